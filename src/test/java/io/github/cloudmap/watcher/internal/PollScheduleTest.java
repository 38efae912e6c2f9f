package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private static PollSchedule schedule(double jitter, long seed) {
        return new PollSchedule(Duration.ofMillis(500), Duration.ofSeconds(10), 2.0, 2.0, jitter,
                () -> new Random(seed));
    }

    private static List<Long> delays(PollSchedule schedule, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(schedule.nextDelay().toMillis());
        }
        return delays;
    }

    @Test
    void firstPollIsImmediateThenDelaysDoubleUpToTheCap() {
        assertThat(delays(schedule(0, 1), 8)).containsExactly(0L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L);
    }

    @Test
    void aThrottledPollMovesTheBackoffForwardButNotPastTheCap() {
        PollSchedule schedule = schedule(0, 1);
        schedule.nextDelay();
        schedule.nextDelay();          // 500 ms; next would be 1 s
        schedule.onThrottled();
        assertThat(schedule.nextDelay().toMillis()).isEqualTo(2_000L);
        for (int i = 0; i < 10; i++) {
            schedule.onThrottled();
        }
        assertThat(schedule.nextDelay().toMillis()).isEqualTo(10_000L);
    }

    @Test
    void jitterOnlyShortensDelaysWithinItsShare() {
        List<Long> jittered = delays(schedule(0.3, 7), 30);
        List<Long> nominal = delays(schedule(0, 7), 30);
        for (int i = 1; i < jittered.size(); i++) {
            assertThat(jittered.get(i)).isBetween(Math.round(nominal.get(i) * 0.7) - 1, nominal.get(i));
        }
        assertThat(jittered).isNotEqualTo(nominal);
    }
}
