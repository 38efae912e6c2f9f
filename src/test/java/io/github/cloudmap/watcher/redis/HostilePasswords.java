package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.fail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passwords and user names that break naive masking ({@code @ # / ? : % + space \ ' " ; = & [ ]},
 * unicode, percent-encodings, an empty user, a user holding {@code @}), the Redis URIs a person
 * could write with them, and the check that a text shows none of their secrets in any form.
 * Each secret carries runs of letters and digits no message would hold by chance
 * ({@code Kq7Wm}), so a secret cut in half by a mask that stops too early is caught as well.
 */
public final class HostilePasswords {

    /** A user name holding {@code @}, written raw or encoded in the URIs below. */
    public static final String USER_WITH_AT = "Jr5Nd@ops";

    /** The passwords: at least 30, every character that has broken URI masking somewhere. */
    public static final List<String> PASSWORDS = List.of(
            "Zx9#Qw7",                       // the one the issue saw printed
            "Kq7Wm@Vb3Tp",
            "Kq7Wm@@Vb3Tp",
            "Kq7Wm/Vb3Tp",
            "Kq7Wm?Vb3Tp",
            "Kq7Wm:Vb3Tp",
            "Kq7Wm%Vb3Tp",
            "Kq7Wm%40Vb3Tp",                 // looks percent-encoded already
            "Kq7Wm%2FVb3Tp%3f",
            "Kq7Wm+Vb3Tp",
            "Kq7Wm Vb3Tp",
            "Kq7Wm\\Vb3Tp",
            "Kq7Wm'Vb3Tp",
            "Kq7Wm\"Vb3Tp",
            "Kq7Wm;Vb3Tp",
            "Kq7Wm=Vb3Tp",
            "Kq7Wm&Vb3Tp",
            "Kq7Wm[Vb3Tp]",
            "[Kq7Wm::Vb3Tp]",                // an IPv6 literal's shape
            "Kq7Wm#Vb3Tp@Hx5Lq:6379",        // a fake host inside the password
            "Kq7Wm@127.0.0.1:6379/0?x=Vb3Tp",
            "Kq7Wm/../Vb3Tp",
            "Kq7Wm?Tm5Qo=5s&Vb3Tp#Fr4Gx",
            "Gd4Rv-Пароль-Ключ7",             // Cyrillic
            "Gd4Rv密码Hs8Lz",                  // CJK
            "Gd4Rv\u00e9\u00e8Hs8Lz\u00fc",   // accents
            "Gd4Rv\uD83D\uDD11Hs8Lz",         // an emoji (a surrogate pair)
            "Gd4Rv\tHs8Lz",
            "Gd4Rv%zzHs8Lz",                 // a broken percent-encoding
            "Gd4Rv%%Hs8Lz%",
            "Gd4Rv***@Hs8Lz",                // holds the mask itself
            "Gd4Rv://Hs8Lz",
            "Gd4Rv redis://Hs8Lz@Yt6Pc",
            "Gd4Rv~!$&'()*+,;=Hs8Lz",        // every sub-delimiter RFC 3986 allows in user info
            "Gd4Rv<>{}|^`Hs8Lz",
            "Gd4Rv,Hs8Lz,Yt6Pc",
            "   Gd4RvHs8Lz   ",              // spaces around it
            "Gd4RvHs8LzYt6PcMn2Qx");         // a plain one, for contrast

    private static final Pattern RUN = Pattern.compile("[\\p{L}\\p{N}]{4,}");
    /** Runs that are words of the messages themselves, not of a secret. */
    private static final Set<String> WORDS = Set.of("redis", "rediss");

    private HostilePasswords() {}

    /** A URI written with a password, and every secret it holds. */
    public record Case(String uri, List<String> secrets) {
        @Override
        public String toString() {
            return "URI #" + Integer.toHexString(uri.hashCode());   // the test names must not show them either
        }
    }

    /**
     * The URIs a person could write with {@code password}: raw and percent-encoded, with an empty
     * user, a user, a user holding {@code @}, TLS, no host, no scheme, another scheme, a bad
     * port, a query and a fragment. Those that are valid point at 127.0.0.1:1, where nothing
     * listens.
     */
    public static List<Case> cases(String password) {
        String enc = encode(password);
        List<String> both = List.of(password, USER_WITH_AT);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("redis://:" + password + "@cache.internal:6379", List.of(password)));
        cases.add(new Case("redis://fleet:" + password + "@127.0.0.1:1/0", List.of(password)));
        cases.add(new Case("redis://fleet:" + enc + "@127.0.0.1:1", List.of(password)));
        cases.add(new Case("redis://:" + enc + "@127.0.0.1:1/2", List.of(password)));
        cases.add(new Case("redis://" + encode(USER_WITH_AT) + ":" + enc + "@127.0.0.1:1", both));
        cases.add(new Case("redis://" + USER_WITH_AT + ":" + password + "@127.0.0.1:1", both));
        cases.add(new Case("rediss://:" + enc + "@127.0.0.1:1", List.of(password)));
        cases.add(new Case("redis://:" + password + "@", List.of(password)));
        if (password.indexOf('@') < 0) {
            // With an @ this one is a valid URI whose host is the password's tail: nothing can
            // tell it from a real host.
            cases.add(new Case("redis://:" + password, List.of(password)));
        }
        cases.add(new Case(":" + password + "@cache.internal:6379", List.of(password)));
        cases.add(new Case("http://u:" + password + "@cache.internal:6379", List.of(password)));
        cases.add(new Case("redis//:" + password + "@cache.internal", List.of(password)));
        cases.add(new Case("redis://:" + password + "@cache.internal:notaport", List.of(password)));
        cases.add(new Case("redis://:" + enc + "@cache.internal:notaport", List.of(password)));
        cases.add(new Case("redis://:" + enc + "@127.0.0.1:1?timeout=5s#frag", List.of(password)));
        cases.add(new Case("  redis://" + USER_WITH_AT + ":" + enc + "@127.0.0.1:1  ", both));
        return cases;
    }

    /** Every case of every password. */
    public static List<Case> allCases() {
        List<Case> all = new ArrayList<>();
        PASSWORDS.forEach(p -> all.addAll(cases(p)));
        return all;
    }

    /** The password percent-encoded as a URI's user info needs it (UTF-8, space as %20). */
    public static String encode(String secret) {
        return URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The forms in which a secret could leak: as written, percent-encoded (upper and lower case
     * hex, space as %20 or +), and each run of four or more letters or digits in it (digits
     * alone are a port), so that half a password counts as a leak.
     */
    public static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        String strip = secret.strip();
        forms.add(strip);
        forms.add(encode(strip));
        forms.add(URLEncoder.encode(strip, StandardCharsets.UTF_8));
        forms.add(lowerHex(encode(strip)));
        Matcher runs = RUN.matcher(secret);
        while (runs.find()) {
            if (!WORDS.contains(runs.group()) && !runs.group().chars().allMatch(Character::isDigit)) {
                forms.add(runs.group());
            }
        }
        forms.removeIf(String::isEmpty);
        return forms;
    }

    /**
     * Fails if {@code text} holds any form of any of {@code secrets}, saying which form and where
     * (never printing the whole text, which is the leak).
     */
    public static void assertNoSecret(String what, String text, List<String> secrets) {
        if (text == null) {
            return;
        }
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                int at = text.indexOf(form);
                if (at >= 0) {
                    int from = Math.max(0, at - 40);
                    fail(what + " shows a secret (form '" + form + "') at " + at + ": ..."
                            + text.substring(from, Math.min(text.length(), at + form.length() + 40)) + "...");
                }
            }
        }
    }

    private static String lowerHex(String encoded) {
        StringBuilder out = new StringBuilder();
        Matcher m = Pattern.compile("%[0-9A-F]{2}").matcher(encoded);
        while (m.find()) {
            m.appendReplacement(out, m.group().toLowerCase(Locale.ROOT));
        }
        m.appendTail(out);
        return out.toString();
    }
}
