package io.github.cloudmap.watcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of {@link RequestBudget#adaptive(AdaptiveBudgetConfig)}: an AIMD rate budget
 * that starts at {@link #initialRate()}, cuts its rate by {@link #decreaseFactor()} on a
 * throttled answer (at most once per {@link #cutWindow()}, so one burst of throttles is one
 * cut), and raises it while the service answers and the budget is what holds requests back:
 * doubling per window until the first cut ({@link #slowStart()}); after a cut, by a step per
 * window that scales with the rate of that cut, so that the climb back to it takes about a
 * hundred permits at any rate (at most {@link #increaseStep()}); always between
 * {@link #minRate()} and {@link #maxRate()}. Requests that end without an answer (5xx, I/O
 * failures, timeouts, cancellations) neither raise nor cut it.
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} validates every setting at once and
 * refuses bad ones with a message naming each.
 *
 * <p><b>Defaults</b> (chosen from a virtual-time simulation against token buckets of 0.5 to
 * 200 requests/s; see {@code docs/budget.md}): initial rate
 * {@value #DEFAULT_INITIAL_RATE}/s, floor {@value #DEFAULT_MIN_RATE}/s, ceiling
 * {@value #DEFAULT_MAX_RATE}/s, increase step {@value #DEFAULT_INCREASE_STEP}/s per window,
 * decrease factor {@value #DEFAULT_DECREASE_FACTOR}, cut window 1 s, burst
 * {@value #DEFAULT_BURST} permits, slow start on.
 *
 * <pre>{@code
 * RequestBudget budget = RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
 *     .initialRate(20).maxRate(80)       // this application's share of the account's quota
 *     .build());
 * }</pre>
 */
public final class AdaptiveBudgetConfig {

    /** Default starting rate, requests/s. */
    public static final double DEFAULT_INITIAL_RATE = 20.0;
    /**
     * Default floor, requests/s: a budget never goes slower, however often it is throttled. Below
     * Cloud Map's smallest quotas (0.5/s for CreateHttpNamespace and ListNamespaces), so a budget
     * can settle under them; it was 1/s, twice the smallest quota.
     */
    public static final double DEFAULT_MIN_RATE = 0.1;
    /** Default ceiling, requests/s. */
    public static final double DEFAULT_MAX_RATE = 400.0;
    /** Default additive raise before the first cut, and the largest after it, requests/s per window. */
    public static final double DEFAULT_INCREASE_STEP = 2.0;
    /** Default multiplicative cut on a throttle. */
    public static final double DEFAULT_DECREASE_FACTOR = 0.5;
    /** Default cut window: at most one cut, and at most one raise, per window. */
    public static final Duration DEFAULT_CUT_WINDOW = Duration.ofSeconds(1);
    /** Default burst, permits: what an idle budget grants at once. */
    public static final int DEFAULT_BURST = 10;

    private static final AdaptiveBudgetConfig DEFAULTS = builder().build();

    private final double initialRate;
    private final double minRate;
    private final double maxRate;
    private final double increaseStep;
    private final double decreaseFactor;
    private final Duration cutWindow;
    private final int burst;
    private final boolean slowStart;

    private AdaptiveBudgetConfig(Builder b) {
        this.initialRate = b.initialRate;
        this.minRate = b.minRate;
        this.maxRate = b.maxRate;
        this.increaseStep = b.increaseStep;
        this.decreaseFactor = b.decreaseFactor;
        this.cutWindow = b.cutWindow;
        this.burst = b.burst;
        this.slowStart = b.slowStart;
    }

    /** {@return the default settings} */
    public static AdaptiveBudgetConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a new builder whose settings start at the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a new builder that starts from these settings} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the rate a new budget starts at, requests/s} */
    public double initialRate() {
        return initialRate;
    }

    /** {@return the floor, requests/s} */
    public double minRate() {
        return minRate;
    }

    /** {@return the ceiling, requests/s} */
    public double maxRate() {
        return maxRate;
    }

    /**
     * Requests/s added per window in which requests are answered, none is throttled and some
     * waited: before the first cut (without slow start) this step; after a cut, the step that
     * climbs back to the rate of that cut in about a hundred permits but in no fewer than five
     * windows; past that rate, the step that follows the rate, never more than this.
     *
     * @return the step, requests/s per window
     */
    public double increaseStep() {
        return increaseStep;
    }

    /** {@return the factor in (0, 1) the rate is multiplied by on a cut} */
    public double decreaseFactor() {
        return decreaseFactor;
    }

    /** {@return the window: at most one cut (and at most one raise) per window} */
    public Duration cutWindow() {
        return cutWindow;
    }

    /**
     * How many permits an idle budget grants at once. A budget holds at most two seconds of
     * {@link #maxRate()} (at least one permit), whatever this says: an account's bucket holds
     * about two seconds of its quota, and the ceiling is what the application knows of the quota.
     *
     * @return the configured burst, permits
     */
    public int burst() {
        return burst;
    }

    /** {@return whether the rate doubles per window until the first cut, instead of rising by the step} */
    public boolean slowStart() {
        return slowStart;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptiveBudgetConfig c && c.initialRate == initialRate && c.minRate == minRate
                && c.maxRate == maxRate && c.increaseStep == increaseStep && c.decreaseFactor == decreaseFactor
                && c.cutWindow.equals(cutWindow) && c.burst == burst && c.slowStart == slowStart;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialRate, minRate, maxRate, increaseStep, decreaseFactor, cutWindow, burst, slowStart);
    }

    @Override
    public String toString() {
        return "AdaptiveBudgetConfig{initialRate=" + initialRate + ", minRate=" + minRate + ", maxRate=" + maxRate
                + ", increaseStep=" + increaseStep + ", decreaseFactor=" + decreaseFactor + ", cutWindow=" + cutWindow
                + ", burst=" + burst + ", slowStart=" + slowStart + '}';
    }

    /**
     * Builds an {@link AdaptiveBudgetConfig}. Setters only record; {@link #build()} checks
     * everything at once, so the order of the calls never matters. Not thread-safe.
     */
    public static final class Builder {

        /** The longest cut window accepted. */
        private static final Duration MAX_CUT_WINDOW = Duration.ofMinutes(1);

        private double initialRate = DEFAULT_INITIAL_RATE;
        private double minRate = DEFAULT_MIN_RATE;
        private double maxRate = DEFAULT_MAX_RATE;
        private double increaseStep = DEFAULT_INCREASE_STEP;
        private double decreaseFactor = DEFAULT_DECREASE_FACTOR;
        private Duration cutWindow = DEFAULT_CUT_WINDOW;
        private int burst = DEFAULT_BURST;
        private boolean slowStart = true;

        private Builder() {}

        private Builder(AdaptiveBudgetConfig c) {
            initialRate = c.initialRate;
            minRate = c.minRate;
            maxRate = c.maxRate;
            increaseStep = c.increaseStep;
            decreaseFactor = c.decreaseFactor;
            cutWindow = c.cutWindow;
            burst = c.burst;
            slowStart = c.slowStart;
        }

        /**
         * The starting rate, between the floor and the ceiling (checked by {@link #build()}).
         *
         * @param permitsPerSecond requests/s
         * @return this builder
         */
        public Builder initialRate(double permitsPerSecond) {
            this.initialRate = permitsPerSecond;
            return this;
        }

        /**
         * The floor; positive (checked by {@link #build()}).
         *
         * @param permitsPerSecond requests/s
         * @return this builder
         */
        public Builder minRate(double permitsPerSecond) {
            this.minRate = permitsPerSecond;
            return this;
        }

        /**
         * The ceiling; at least the floor, at most 1,000,000 (checked by {@link #build()}).
         *
         * @param permitsPerSecond requests/s
         * @return this builder
         */
        public Builder maxRate(double permitsPerSecond) {
            this.maxRate = permitsPerSecond;
            return this;
        }

        /**
         * Requests/s added per window without a throttle before the first cut, and at most past
         * the rate of the last cut; positive (checked by {@link #build()}).
         *
         * @param permitsPerSecond requests/s per window
         * @return this builder
         */
        public Builder increaseStep(double permitsPerSecond) {
            this.increaseStep = permitsPerSecond;
            return this;
        }

        /**
         * The factor applied on a cut; in (0, 1) (checked by {@link #build()}).
         *
         * @param factor what the rate is multiplied by on a cut
         * @return this builder
         */
        public Builder decreaseFactor(double factor) {
            this.decreaseFactor = factor;
            return this;
        }

        /**
         * At most one cut per window; positive, at most 1 minute (checked by {@link #build()}).
         *
         * @param window the window
         * @return this builder
         * @throws NullPointerException if {@code window} is null
         */
        public Builder cutWindow(Duration window) {
            this.cutWindow = Objects.requireNonNull(window, "cutWindow must not be null");
            return this;
        }

        /**
         * Permits an idle budget grants at once; at least 1 (checked by {@link #build()}). A
         * budget holds at most two seconds of the ceiling, whatever this says.
         *
         * @param permits the burst
         * @return this builder
         */
        public Builder burst(int permits) {
            this.burst = permits;
            return this;
        }

        /**
         * Double the rate per window until the first cut (default), or rise by the step from the start.
         *
         * @param slowStart true to double
         * @return this builder
         */
        public Builder slowStart(boolean slowStart) {
            this.slowStart = slowStart;
            return this;
        }

        /**
         * The validated settings.
         *
         * @return the settings
         * @throws IllegalArgumentException naming every bad setting: a rate that is not
         *         positive and finite, a floor above the ceiling, an initial rate outside
         *         them, a decrease factor outside (0, 1), a window that is not positive or
         *         over a minute, a burst below 1
         */
        public AdaptiveBudgetConfig build() {
            List<String> problems = new ArrayList<>();
            positiveRate(problems, "minRate", minRate);
            positiveRate(problems, "maxRate", maxRate);
            positiveRate(problems, "initialRate", initialRate);
            positiveRate(problems, "increaseStep", increaseStep);
            if (maxRate > 1_000_000) {
                problems.add("maxRate must be at most 1000000 requests/s, but was " + maxRate);
            }
            if (minRate > maxRate) {
                problems.add("minRate (" + minRate + ") must be <= maxRate (" + maxRate + ")");
            } else if (initialRate < minRate || initialRate > maxRate) {
                problems.add("initialRate (" + initialRate + ") must be between minRate (" + minRate
                        + ") and maxRate (" + maxRate + ")");
            }
            if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
                problems.add("decreaseFactor must be in (0, 1), but was " + decreaseFactor);
            }
            if (cutWindow.isNegative() || cutWindow.isZero() || cutWindow.compareTo(MAX_CUT_WINDOW) > 0) {
                problems.add("cutWindow must be positive and at most " + MAX_CUT_WINDOW + ", but was " + cutWindow);
            }
            if (burst < 1) {
                problems.add("burst must be >= 1 permit, but was " + burst);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Invalid AdaptiveBudgetConfig: " + String.join("; ", problems));
            }
            return new AdaptiveBudgetConfig(this);
        }

        private static void positiveRate(List<String> problems, String name, double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                problems.add(name + " must be positive and finite, but was " + value);
            }
        }
    }
}
