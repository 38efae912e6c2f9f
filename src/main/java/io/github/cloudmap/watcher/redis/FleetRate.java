package io.github.cloudmap.watcher.redis;

/**
 * The fleet's rate as Redis holds it: requests per second, a version that grows by one with
 * every change, whether the fleet is still in slow start (no cut yet), and the rate just before
 * the last cut ({@code NaN} before any), from which the shared rule ({@code RateRule}) scales
 * the climb. The version orders changes made by different processes: a process that knows a
 * higher version than Redis holds restores it (Redis lost its state), never the reverse.
 * Immutable.
 */
record FleetRate(double rate, long version, boolean slowStart, double beforeCut) {

    FleetRate {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be positive and finite, got " + rate);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
    }

    /** A rate that has never been cut. */
    FleetRate(double rate, long version, boolean slowStart) {
        this(rate, version, slowStart, Double.NaN);
    }

    /** After a cut: the next version, slow start over, this rate remembered as the one before the cut. */
    FleetRate cutTo(double newRate) {
        return new FleetRate(newRate, version + 1, false, rate);
    }

    /** After a raise: the next version. */
    FleetRate raisedTo(double newRate) {
        return new FleetRate(newRate, version + 1, slowStart, beforeCut);
    }
}
