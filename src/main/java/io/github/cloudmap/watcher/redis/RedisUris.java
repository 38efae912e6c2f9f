package io.github.cloudmap.watcher.redis;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/**
 * Parses Redis URIs and writes them down without their secrets: the only form of a URI that
 * may reach a log line, an exception message or a {@code toString()}.
 *
 * <p>Why the masking does not follow the URI grammar: the URIs it must hide secrets of are
 * mostly the ones that break that grammar (a password holding {@code # / ? @} or a space, unencoded).
 * So everything between {@code ://} and the <i>last</i> {@code @} is masked, user name
 * included; of what follows, only a host, port and database number are shown, never a query or
 * fragment; and where there is no {@code @} in a URI that does not parse, nothing after the
 * scheme is shown, since the text there may be a password written without its host.
 */
final class RedisUris {

    /** A URI scheme as RFC 3986 writes it: anything else before {@code ://} is not shown. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,15}");
    /** A host (name, IPv4 or bracketed IPv6), optional port and database: what may be shown of the rest. */
    private static final Pattern HOST_PORT_DB = Pattern.compile(
            "(?:[A-Za-z0-9._-]*|\\[[0-9A-Fa-f:.]*\\])(?::[A-Za-z0-9]*)?(?:/[0-9]*)?");
    private static final String EXPECTED = " (expected redis[s]://[[user]:password@]host[:port][/database])";

    private RedisUris() {}

    /**
     * Parses {@code uri} ({@code redis://} or {@code rediss://}, with optional
     * {@code user:password@}, percent-encoded where they hold reserved characters).
     *
     * @throws IllegalArgumentException saying what was wrong, with no secret of the URI in it
     */
    static RedisURI parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("Redis URI must not be empty");
        }
        String trimmed = uri.strip();
        int separator = trimmed.indexOf("://");
        String scheme = separator < 0 ? "" : trimmed.substring(0, separator);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("Redis URI must start with redis:// or rediss:// (TLS), got "
                    + redact(trimmed));
        }
        RedisURI parsed;
        try {
            // Lettuce reads a bad port as no port: a server authority must parse strictly first.
            new java.net.URI(trimmed).parseServerAuthority();
            parsed = RedisURI.create(trimmed);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // Neither message is passed on, nor the exception as a cause: both quote the URI,
            // password and all.
            throw new IllegalArgumentException("Redis URI is not valid: " + redact(trimmed) + EXPECTED);
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("Redis URI has no host: " + redact(trimmed) + EXPECTED);
        }
        return parsed;
    }

    /**
     * {@code uri} as it may be shown: its scheme, {@code ***@} for everything up to the last
     * {@code @}, then its host, port and database if they look like one; never a query, a
     * fragment, or anything the masking cannot tell from a password.
     */
    static String redact(String uri) {
        String trimmed = uri.strip();
        int separator = trimmed.indexOf("://");
        if (separator < 0 || !SCHEME.matcher(trimmed.substring(0, separator)).matches()) {
            return "a value that does not (not shown: it may hold a password)";
        }
        String scheme = trimmed.substring(0, separator + 3);
        String rest = trimmed.substring(separator + 3);
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            // Without an @, whatever follows the scheme may be a password that lost its host.
            return scheme + "(not shown)";
        }
        String host = rest.substring(at + 1);
        int end = firstOf(host, '?', '#');
        host = host.substring(0, end);
        return scheme + "***@" + (HOST_PORT_DB.matcher(host).matches() ? host : "(not shown)");
    }

    private static int firstOf(String text, char... stops) {
        int first = text.length();
        for (char stop : stops) {
            int i = text.indexOf(stop);
            if (i >= 0 && i < first) {
                first = i;
            }
        }
        return first;
    }

    /** A parsed URI written down for people: scheme, host, port and database; never credentials. */
    static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
}
