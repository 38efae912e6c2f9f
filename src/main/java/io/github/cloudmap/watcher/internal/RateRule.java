package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;

/**
 * How an adaptive rate moves: the one rule that the local budget and the Redis fleet budget both
 * follow, so a fleet adapts exactly as one process would. A pure function of its inputs; where
 * the state lives (a lock, a Redis hash) is the caller's business. Immutable and thread-safe.
 *
 * <p>Public only so that the {@code redis} integration can share it; not part of the public API.
 */
public final class RateRule {

    private final AdaptiveBudgetConfig config;

    /** The rule of budgets built from {@code config}. */
    public RateRule(AdaptiveBudgetConfig config) {
        this.config = config;
    }

    /** The settings this rule follows. */
    public AdaptiveBudgetConfig config() {
        return config;
    }

    /** The rate after a throttled answer (at most one cut per cut window; the caller keeps the window). */
    public double cut(double rate) {
        return Math.max(config.minRate(), rate * config.decreaseFactor());
    }

    /**
     * The rate after one quiet cut window in which the rate held requests back.
     *
     * @param rate the rate now
     * @param rateBeforeLastCut the rate just before the last cut ({@code Double.NaN} before any cut)
     * @param slowStart true until the first cut
     */
    public double raise(double rate, double rateBeforeLastCut, boolean slowStart) {
        return Math.min(config.maxRate(), slowStart ? rate * 2 : rate + config.increaseStep());
    }
}
