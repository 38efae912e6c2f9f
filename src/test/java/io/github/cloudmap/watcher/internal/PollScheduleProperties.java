package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The backoff rules hold for any settings and any sequence of throttled polls. */
class PollScheduleProperties {

    @Property(tries = 500)
    void delaysStartAtZeroNeverPassTheCapAndStayInTheJitterBand(
            @ForAll @IntRange(min = 1, max = 10_000) int initialMillis,
            @ForAll @IntRange(min = 0, max = 50_000) int extraMaxMillis,
            @ForAll @DoubleRange(min = 1.0, max = 4.0) double multiplier,
            @ForAll @DoubleRange(min = 1.0, max = 4.0) double throttleMultiplier,
            @ForAll @DoubleRange(min = 0.0, max = 0.99) double jitter,
            @ForAll long seed,
            @ForAll @Size(max = 40) List<Boolean> throttled) {
        Duration initial = Duration.ofMillis(initialMillis);
        Duration max = initial.plusMillis(extraMaxMillis);
        Random random = new Random(seed);
        PollSchedule jittered = new PollSchedule(initial, max, multiplier, throttleMultiplier, jitter, () -> random);
        PollSchedule nominal = new PollSchedule(initial, max, multiplier, throttleMultiplier, 0.0, Random::new);

        assertThat(jittered.nextDelay()).isZero();
        assertThat(nominal.nextDelay()).isZero();
        long previousNominal = 0;
        for (boolean wasThrottled : throttled) {
            long expectedCeiling = nominal.nextDelay().toNanos();
            long delay = jittered.nextDelay().toNanos();

            assertThat(expectedCeiling).isBetween(previousNominal, max.toNanos());
            assertThat(delay).isBetween((long) Math.floor(expectedCeiling * (1 - jitter)) - 1, expectedCeiling);
            previousNominal = expectedCeiling;
            if (wasThrottled) {
                jittered.onThrottled();
                nominal.onThrottled();
            }
        }
    }
}
