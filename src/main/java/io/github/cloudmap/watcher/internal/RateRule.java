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
 * {@code R (1 - d) / K = R^2 (1 - d^2) w / (2 N)}. At high rates a hundred permits pass within
 * a window, so the climb takes at least {@link #MIN_WINDOWS_PER_CLIMB} windows: the step is at
 * most {@code R (1 - d) / 5}. At 0.5/s that is about 0.001/s per second (a climb of two
 * minutes), at 25/s about 2/s, at 200/s 20/s (five seconds; a fixed +2/s per second took 50 s,
 * and kept the default budget 1.3 x a tuned one's p99 lag at 200/s). Before the first cut
 * (nothing known of the quota) the step is {@code increaseStep}, or doubling with slow start;
 * past {@code R} without a throttle the quota has grown, and the step follows the rate itself,
 * never more than {@code increaseStep}.
 *
 * <p>Public only so that the {@code redis} integration can share it; not part of the public API.
 */
public final class RateRule {

    /** About how many permits the climb from a cut back to the rate of that cut takes. */
    public static final int PERMITS_PER_CLIMB = 100;

    /**
     * The fewest cut windows the climb back to the rate of a cut takes: at high rates a hundred
     * permits pass in well under a window, and the climb would jump straight back into the quota.
     */
    public static final int MIN_WINDOWS_PER_CLIMB = 5;

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
     * @return the raised rate, at most {@code maxRate}
     */
    public double raise(double rate, double rateBeforeLastCut, boolean slowStart) {
        if (slowStart) {
            return Math.min(config.maxRate(), rate * 2);
        }
        if (Double.isNaN(rateBeforeLastCut)) {
            return Math.min(config.maxRate(), rate + config.increaseStep());
        }
        // Below the last cut's rate, climb back to it; past it without a throttle, the quota has
        // grown (or others left): probe on, with a step that follows the rate itself.
        double step = rate < rateBeforeLastCut ? step(rateBeforeLastCut) : probeStep(rate);
        return Math.min(config.maxRate(), rate + step);
    }

    /**
     * Requests/s added per quiet window on the way back to the rate of the last cut: the step
     * that climbs back in about {@link #PERMITS_PER_CLIMB} permits, but in no fewer than
     * {@link #MIN_WINDOWS_PER_CLIMB} windows; {@code increaseStep} before any cut.
     *
     * @param rateBeforeLastCut the rate just before the last cut ({@code Double.NaN} before any)
     * @return the step, requests/s per window
     */
    public double step(double rateBeforeLastCut) {
        if (Double.isNaN(rateBeforeLastCut)) {
            return config.increaseStep();
        }
        double perWindows = rateBeforeLastCut * (1 - config.decreaseFactor()) / MIN_WINDOWS_PER_CLIMB;
        return Math.min(perWindows, perPermits(rateBeforeLastCut));
    }

    /** Past the rate of the last cut: the same scaling, never more than {@code increaseStep}. */
    private double probeStep(double rate) {
        return Math.min(config.increaseStep(), perPermits(rate));
    }

    /** The step that climbs from {@code d R} back to {@code R} in about {@link #PERMITS_PER_CLIMB} permits. */
    private double perPermits(double rateAtCut) {
        double d = config.decreaseFactor();
        return rateAtCut * rateAtCut * (1 - d * d) * windowSeconds / (2.0 * PERMITS_PER_CLIMB);
    }
}
