package io.github.cloudmap.watcher.redis;

import java.time.Duration;

/**
 * The adaptive rules the fleet follows, the same as a local adaptive budget's: start at
 * {@code initialRate}; a throttled answer cuts the rate to {@code rate * decreaseFactor} (never
 * below {@code minRate}), at most once per {@code cutWindow} however many requests were
 * throttled in it; each {@code raiseInterval} without a throttle raises it by
 * {@code increaseStep} (never above {@code maxRate}).
 *
 * <p>This class computes the new rate; whether a change happens at all is decided atomically in
 * Redis ({@link FleetScript}), so that three processes throttled in the same instant cut once.
 * Immutable.
 */
record FleetRules(double initialRate, double minRate, double maxRate, double increaseStep,
        double decreaseFactor, Duration cutWindow, Duration raiseInterval) {

    FleetRules {
        if (!(minRate > 0) || !(minRate <= initialRate) || !(initialRate <= maxRate) || Double.isInfinite(maxRate)) {
            throw new IllegalArgumentException("rates must satisfy 0 < minRate <= initialRate <= maxRate < infinity,"
                    + " got minRate " + minRate + ", initialRate " + initialRate + ", maxRate " + maxRate);
        }
        if (!(increaseStep > 0) || Double.isInfinite(increaseStep)) {
            throw new IllegalArgumentException("increaseStep must be positive and finite, got " + increaseStep);
        }
        if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
            throw new IllegalArgumentException("decreaseFactor must be in (0, 1), got " + decreaseFactor);
        }
        if (cutWindow.isNegative() || cutWindow.isZero() || raiseInterval.isNegative() || raiseInterval.isZero()) {
            throw new IllegalArgumentException("cutWindow and raiseInterval must be positive, got "
                    + cutWindow + " and " + raiseInterval);
        }
    }

    /** The rate after a throttle. */
    double cut(double rate) {
        return Math.max(minRate, rate * decreaseFactor);
    }

    /** The rate after a quiet {@code raiseInterval}. */
    double raise(double rate) {
        return Math.min(maxRate, rate + increaseStep);
    }

    /** True when {@link #raise} would change nothing. */
    boolean atMax(double rate) {
        return rate >= maxRate;
    }
}
