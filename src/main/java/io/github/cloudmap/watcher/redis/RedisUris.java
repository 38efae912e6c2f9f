package io.github.cloudmap.watcher.redis;

import io.lettuce.core.RedisURI;
import java.util.regex.Pattern;

/**
 * Parses Redis URIs and writes them down without their secrets: the only form of a URI that
 * may reach a log line, an exception message or a {@code toString()}.
 */
final class RedisUris {

    /** The user-info part of a URI: {@code scheme://USER:PASSWORD@}. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^@/?#]*@");

    private RedisUris() {}

    /**
     * Parses {@code uri} ({@code redis://} or {@code rediss://}, with optional
     * {@code user:password@}).
     *
     * @throws IllegalArgumentException saying what was wrong, with any password left out
     */
    static RedisURI parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("Redis URI must not be empty");
        }
        String trimmed = uri.strip();
        String scheme = trimmed.contains("://") ? trimmed.substring(0, trimmed.indexOf("://")) : "";
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
            // Lettuce's own message may quote the URI, password and all: it is not passed on.
            throw new IllegalArgumentException("Redis URI is not valid: " + redact(trimmed)
                    + " (expected redis[s]://[[user]:password@]host[:port][/database])");
        }
        if (parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("Redis URI has no host: " + redact(trimmed));
        }
        return parsed;
    }

    /** {@code uri} with its user information (user name and password) masked. */
    static String redact(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("***@");
    }

    /** A parsed URI written down for people: scheme, host, port and database; never credentials. */
    static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
}
