package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.OperationScript;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * For any sequence of GetOperation answers (statuses in any order, stale reads, throttles), a
 * watch emits a strictly advancing sequence of statuses, ends with the first terminal status
 * exactly once and sends no request after it, or times out when there is none: 300 random
 * scripts from a fixed seed, so a failure names a script that reproduces.
 */
class StatusOrderProperties {

    private enum Answer { SUBMITTED, PENDING, SUCCESS, FAIL, THROTTLE }

    private static final long SEED = 20261127L;

    @Test
    void emittedStatusesAdvanceAndEndWithTheFirstTerminalOne() {
        Random random = new Random(SEED);
        for (int n = 0; n < 300; n++) {
            List<Answer> answers = new ArrayList<>();
            int length = 1 + random.nextInt(30);
            for (int i = 0; i < length; i++) {
                answers.add(Answer.values()[random.nextInt(Answer.values().length)]);
            }
            check(answers);
        }
    }

    private static void check(List<Answer> answers) {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        OperationScript script = client.script("op-1");
        for (Answer answer : answers) {
            switch (answer) {
                case THROTTLE -> script.throttle();
                case FAIL -> script.fail("ACCESS_DENIED", "no");
                default -> script.status(OperationStatus.valueOf(answer.name()));
            }
        }
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock)
                .timeout(Duration.ofHours(1)).build();
        List<OperationStatus> emitted = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Boolean> completed = new AtomicReference<>(false);

        watcher.watch("op-1").map(Operation::status)
                .subscribe(emitted::add, error::set, () -> completed.set(true));
        clock.advanceTimeBy(Duration.ofHours(2));

        Expectation expected = expect(answers);
        String label = "script " + answers;
        assertThat(emitted).as(label).containsExactlyElementsOf(expected.statuses);
        if (expected.terminalAt >= 0) {
            assertThat(completed.get()).as(label).isTrue();
            assertThat(client.getOperationCount("op-1")).as("no request after the terminal status: " + label)
                    .isEqualTo(expected.terminalAt + 1);
        } else {
            assertThat(error.get()).as(label).isInstanceOf(OperationTimeoutException.class);
        }
        clock.dispose();
    }

    private record Expectation(List<OperationStatus> statuses, int terminalAt) {
    }

    private static Expectation expect(List<Answer> answers) {
        List<OperationStatus> statuses = new ArrayList<>();
        int lastRank = -1;
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            if (answer == Answer.THROTTLE) {
                continue;
            }
            int rank = switch (answer) {
                case SUBMITTED -> 0;
                case PENDING -> 1;
                default -> 2;
            };
            if (rank > lastRank) {
                statuses.add(OperationStatus.valueOf(answer.name()));
                lastRank = rank;
            }
            if (rank == 2) {
                return new Expectation(statuses, i);
            }
        }
        return new Expectation(statuses, -1);
    }
}
