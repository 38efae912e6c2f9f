package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.internal.RateRule;
import java.time.Duration;

/**
 * The adaptive rules the fleet follows: the local adaptive budget's own ({@code RateRule} over
 * its {@code AdaptiveBudgetConfig}), so a fleet adapts exactly as one process would. Start at
 * {@code initialRate}; a throttled answer cuts the rate, at most once per {@code window} however
 * many requests were throttled in it; a window without a throttle, in which requests had to wait
 * for the budget, raises it by the shared rule (which scales the climb with the rate before the
 * last cut). The bucket holds {@code burst} permits.
 *
 * <p>This class computes the new rate; whether a change happens at all is decided atomically in
 * Redis ({@link LettuceFleetStore#SCRIPT}), so that three processes throttled in the same
 * instant cut once. Immutable.
 */
record FleetRules(double initialRate, double minRate, double maxRate, double increaseStep,
        double decreaseFactor, Duration window, int burst, boolean slowStart) {

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
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
    }

    /** The same rules as a local budget built from {@code config}. */
    static FleetRules from(AdaptiveBudgetConfig config) {
        // The bucket's size as the local budget's: at most two seconds of the ceiling (RateRule.burst).
        return new FleetRules(config.initialRate(), config.minRate(), config.maxRate(), config.increaseStep(),
                config.decreaseFactor(), config.cutWindow(), new RateRule(config).burst(), config.slowStart());
    }

    /** These rules as the settings of a local adaptive budget. */
    AdaptiveBudgetConfig config() {
        return AdaptiveBudgetConfig.builder().initialRate(initialRate).minRate(minRate).maxRate(maxRate)
                .increaseStep(increaseStep).decreaseFactor(decreaseFactor).cutWindow(window).burst(burst)
                .slowStart(slowStart).build();
    }

    private RateRule rule() {
        return new RateRule(config());
    }

    /** The fleet's rate before any change. */
    FleetRate initial() {
        return new FleetRate(initialRate, 0, slowStart);
    }

    /** The rate after a throttle. */
    double cut(double rate) {
        return rule().cut(rate);
    }

    /** The rate after a window in which the budget held requests back and none was throttled. */
    double raise(FleetRate current) {
        return rule().raise(current.rate(), current.beforeCut(), current.slowStart());
    }

    /** True when {@link #raise} would change nothing. */
    boolean atMax(double rate) {
        return rate >= maxRate;
    }
}
