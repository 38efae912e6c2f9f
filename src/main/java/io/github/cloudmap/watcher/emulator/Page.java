package io.github.cloudmap.watcher.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One page of a list answer, and its opaque NextToken.
 *
 * <p>The token names the sequence number of the last item handed out, so a page boundary does not
 * move when items are added or removed between calls. Immutable.
 */
record Page<T>(List<T> items, String nextToken) {

    /**
     * Takes up to {@code maxResults} items after the one {@code token} points at.
     *
     * @param items    every item, ordered by ascending sequence number
     * @param kind     guards against a token of another list being passed in
     */
    static <T> Page<T> of(List<T> items, ToLongFunction<T> seq, String token, int maxResults, String kind) {
        long after = decode(token, kind);
        List<T> page = new ArrayList<>();
        boolean more = false;
        for (T item : items) {
            if (seq.applyAsLong(item) <= after) {
                continue;
            }
            if (page.size() == maxResults) {
                more = true;
                break;
            }
            page.add(item);
        }
        String next = more ? encode(kind, seq.applyAsLong(page.get(page.size() - 1))) : null;
        return new Page<>(page, next);
    }

    static String encode(String kind, long lastSeq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + lastSeq).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String token, String kind) {
        if (token == null) {
            return Long.MIN_VALUE;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return Long.parseLong(text.substring(kind.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the InvalidInput below; NumberFormatException is an IllegalArgumentException
        }
        throw CloudMapError.invalidInput("NextToken '" + token + "' is not valid for " + kind
                + "; pass the NextToken of a previous answer of the same list");
    }
}
