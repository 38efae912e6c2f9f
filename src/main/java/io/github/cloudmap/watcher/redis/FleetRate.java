package io.github.cloudmap.watcher.redis;

/**
 * The fleet's rate as Redis holds it: requests per second, and a version that grows by one with
 * every change. The version orders changes made by different processes: Bucket4j replaces the
 * bucket's configuration only for a higher version, so a slow process can never roll the bucket
 * back to an older rate. Immutable.
 */
record FleetRate(double rate, long version) {

    FleetRate {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be positive and finite, got " + rate);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
    }

    /** The same rate under the next version. */
    FleetRate next(double newRate) {
        return new FleetRate(newRate, version + 1);
    }
}
