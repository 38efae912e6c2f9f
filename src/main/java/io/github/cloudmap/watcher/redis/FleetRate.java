package io.github.cloudmap.watcher.redis;

/**
 * The fleet's rate as Redis holds it: requests per second, a version that grows by one with
 * every change, and whether the fleet is still in slow start (no cut yet). The version orders
 * changes made by different processes: Bucket4j replaces the bucket's configuration only for a
 * higher version, so a slow process can never roll the bucket back to an older rate. Immutable.
 */
record FleetRate(double rate, long version, boolean slowStart) {

    FleetRate {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be positive and finite, got " + rate);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
    }

    /** After a cut: the next version, slow start over. */
    FleetRate cutTo(double newRate) {
        return new FleetRate(newRate, version + 1, false);
    }

    /** After a raise: the next version. */
    FleetRate raisedTo(double newRate) {
        return new FleetRate(newRate, version + 1, slowStart);
    }
}
