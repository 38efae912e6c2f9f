package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;

/**
 * How an adaptive rate moves: the one rule that the local budget and the Redis fleet budget both
 * follow, so a fleet adapts exactly as one process would. A pure function of its inputs; where
 * the state lives (a lock, a Redis hash) is the caller's business. Immutable and thread-safe.
 *
 * <p><b>The climb scales with the rate of the last cut.</b> A throttle at rate {@code R} says the
 * quota is a little under {@code R}; the cut takes the rate to {@code R x decreaseFactor}. The
 * climb back is linear, with a step chosen so that it takes about {@link #PERMITS_PER_CLIMB}
 * permits to get back to {@code R}, whatever {@code R} is: a cycle of cut and climb then costs
 * about one or two throttled calls per {@value #PERMITS_PER_CLIMB} permits at every quota. With
 * {@code d = decreaseFactor} and a window of {@code w} seconds, the climb from {@code dR} to
 * {@code R} grants about {@code K w R (1 + d) / 2} permits in {@code K} windows, so the step is
 * {@code R (1 - d) / K = R^2 (1 - d^2) w / (2 N)}, never more than {@code increaseStep}. At 0.5/s
 * that is about 0.001/s per second (a climb of two minutes), at 25/s about 2/s. Before the first
 * cut (nothing known of the quota) the step is {@code increaseStep}, or doubling with slow start;
 * past {@code R} without a throttle the quota has grown, and the step follows the rate itself.
 *
 * <p>Public only so that the {@code redis} integration can share it; not part of the public API.
 */
public final class RateRule {

    /** About how many permits the climb from a cut back to the rate of that cut takes. */
    public static final int PERMITS_PER_CLIMB = 100;

    private final AdaptiveBudgetConfig config;
    private final double windowSeconds;

    /** The rule of budgets built from {@code config}. */
    public RateRule(AdaptiveBudgetConfig config) {
        this.config = config;
        this.windowSeconds = config.cutWindow().toNanos() / 1e9;
    }

    /** The settings this rule follows. */
    public AdaptiveBudgetConfig config() {
        return config;
    }

    /**
     * The permits a bucket of these settings holds: the configured burst, but never more than two
     * seconds of the ceiling (at least one permit). The ceiling is what the application knows of
     * the quota, and an account's bucket holds about two seconds of it (100/s, burst 200 for
     * GetOperation): ten saved permits spent at once against a quota of 0.5/s (a bucket of one)
     * are nine throttles, and a cut that then takes minutes to climb back.
     */
    public int burst() {
        return (int) Math.max(1, Math.min(config.burst(), Math.floor(2 * config.maxRate())));
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
        if (slowStart) {
            return Math.min(config.maxRate(), rate * 2);
        }
        // Past the last cut's rate without a throttle, the quota has grown (or others left): the
        // reference follows the rate, so the probe speeds up as it goes.
        double reference = Double.isNaN(rateBeforeLastCut) ? Double.NaN : Math.max(rate, rateBeforeLastCut);
        return Math.min(config.maxRate(), rate + step(reference));
    }

    /**
     * Requests/s added per quiet window: {@code increaseStep} before any cut, else the step that
     * climbs back to {@code rateBeforeLastCut} in about {@link #PERMITS_PER_CLIMB} permits.
     */
    public double step(double rateBeforeLastCut) {
        if (Double.isNaN(rateBeforeLastCut)) {
            return config.increaseStep();
        }
        double d = config.decreaseFactor();
        double scaled = rateBeforeLastCut * rateBeforeLastCut * (1 - d * d) * windowSeconds / (2.0 * PERMITS_PER_CLIMB);
        return Math.min(config.increaseStep(), scaled);
    }
}
