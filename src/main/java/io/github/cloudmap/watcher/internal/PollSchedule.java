package io.github.cloudmap.watcher.internal;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The delays between the GetOperation polls of one watch: the first poll at once, then capped
 * exponential backoff with jitter, computed afresh for every poll.
 *
 * <p>A throttled poll moves the backoff forward by an extra factor, so a watch that is being
 * throttled polls less often from then on instead of returning to its old pace.
 *
 * <p>One instance per poll loop: it holds that loop's backoff state and is <b>not</b>
 * thread-safe. The polls of one loop run one after another, never concurrently, so no
 * synchronisation is needed.
 */
final class PollSchedule {

    private final long maxNanos;
    private final double multiplier;
    private final double throttleMultiplier;
    private final double jitter;
    private final Supplier<? extends RandomGenerator> random;

    private boolean first = true;
    private double baseNanos;

    /**
     * @param initial the delay after the first poll; positive
     * @param max the cap on any delay; at least {@code initial}
     * @param multiplier growth of the delay per poll; at least 1
     * @param throttleMultiplier extra growth after a throttled poll; at least 1
     * @param jitter share of each delay taken off at random, in [0, 1)
     * @param random where the jitter comes from
     */
    PollSchedule(Duration initial, Duration max, double multiplier, double throttleMultiplier,
                        double jitter, Supplier<? extends RandomGenerator> random) {
        this.baseNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.multiplier = multiplier;
        this.throttleMultiplier = throttleMultiplier;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * The delay before the next poll: zero for the first poll, then the current backoff with
     * jitter applied, after which the backoff grows by the multiplier (up to the cap).
     */
    public Duration nextDelay() {
        if (first) {
            first = false;
            return Duration.ZERO;
        }
        double delay = baseNanos;
        if (jitter > 0) {
            // "Subtractive" jitter: the delay lies in [base * (1 - jitter), base], so the cap
            // is never exceeded and concurrent watches started together drift apart.
            delay -= baseNanos * jitter * random.get().nextDouble();
        }
        baseNanos = Math.min(maxNanos, baseNanos * multiplier);
        return Duration.ofNanos(Math.max(0L, Math.round(delay)));
    }

    /** Records that the last poll was throttled: the following delays are longer. */
    public void onThrottled() {
        baseNanos = Math.min(maxNanos, baseNanos * throttleMultiplier);
    }
}
