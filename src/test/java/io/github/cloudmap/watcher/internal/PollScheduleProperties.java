package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The backoff rules hold for any settings and any sequence of throttled polls: 500 random cases
 * from a fixed seed, so a failure names a case that reproduces.
 */
class PollScheduleProperties {

    private static final long SEED = 20261127L;

    @Test
    void delaysStartAtZeroNeverPassTheCapAndStayInTheJitterBand() {
        Random cases = new Random(SEED);
        for (int n = 0; n < 500; n++) {
            Duration initial = Duration.ofMillis(1 + cases.nextInt(10_000));
            Duration max = initial.plusMillis(cases.nextInt(50_001));
            double multiplier = 1.0 + 3.0 * cases.nextDouble();
            double throttleMultiplier = 1.0 + 3.0 * cases.nextDouble();
            double jitter = 0.99 * cases.nextDouble();
            Random random = new Random(cases.nextLong());
            String label = String.format("case %d: initial=%s max=%s x%.3f throttle x%.3f jitter=%.3f",
                    n, initial, max, multiplier, throttleMultiplier, jitter);
            PollSchedule jittered = new PollSchedule(initial, max, multiplier, throttleMultiplier, jitter,
                    () -> random);
            PollSchedule nominal = new PollSchedule(initial, max, multiplier, throttleMultiplier, 0.0, Random::new);

            assertThat(jittered.nextDelay()).as(label).isZero();
            assertThat(nominal.nextDelay()).as(label).isZero();
            long previousNominal = 0;
            int polls = cases.nextInt(41);
            for (int poll = 0; poll < polls; poll++) {
                long ceiling = nominal.nextDelay().toNanos();
                long delay = jittered.nextDelay().toNanos();

                assertThat(ceiling).as(label).isBetween(previousNominal, max.toNanos());
                assertThat(delay).as(label).isBetween((long) Math.floor(ceiling * (1 - jitter)) - 1, ceiling);
                previousNominal = ceiling;
                if (cases.nextBoolean()) {
                    jittered.onThrottled();
                    nominal.onThrottled();
                }
            }
        }
    }
}
