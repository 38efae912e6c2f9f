package io.github.cloudmap.watcher.redis;

import java.util.Objects;

/**
 * The Redis keys of one account's and Region's budget: {@code PREFIX:{ACCOUNT:REGION}:state}
 * (rate and bucket), {@code :cut}, {@code :raise} and {@code :live}. The braces are a Redis Cluster hash tag, so
 * all four live on one shard. Immutable.
 */
record FleetKey(String prefix, String account, String region) {

    FleetKey {
        Objects.requireNonNull(prefix, "key prefix must not be null");
        Objects.requireNonNull(account, "account must not be null");
        Objects.requireNonNull(region, "region must not be null");
        requireWord(prefix, "key prefix");
        requireWord(account, "account");
        requireWord(region, "region");
    }

    private static void requireWord(String value, String name) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '{' || c == '}') {
                throw new IllegalArgumentException(name + " must not contain spaces, control characters or braces, got \""
                        + value + "\"");
            }
        }
    }

    private String base() {
        return prefix + ":{" + account + ":" + region + "}";
    }

    /** The processes seen lately: a sorted set scored by Redis time. */
    String live() {
        return base() + ":live";
    }

    String state() {
        return base() + ":state";
    }

    String cutMarker() {
        return base() + ":cut";
    }

    String raiseMarker() {
        return base() + ":raise";
    }

    @Override
    public String toString() {
        return base();
    }
}
