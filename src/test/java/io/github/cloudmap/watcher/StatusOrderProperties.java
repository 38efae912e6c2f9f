package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.OperationScript;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * For any sequence of GetOperation answers (statuses in any order, stale reads, throttles), a
 * watch emits a strictly advancing sequence of statuses, ends with the first terminal status
 * exactly once and sends no request after it, or times out when there is none.
 */
class StatusOrderProperties {

    private enum Answer { SUBMITTED, PENDING, SUCCESS, FAIL, THROTTLE }

    @Provide
    Arbitrary<List<Answer>> scripts() {
        return Arbitraries.of(Answer.class).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 300)
    void emittedStatusesAdvanceAndEndWithTheFirstTerminalOne(@ForAll("scripts") List<Answer> answers) {
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
        assertThat(emitted).containsExactlyElementsOf(expected.statuses);
        if (expected.terminalAt >= 0) {
            assertThat(completed.get()).isTrue();
            assertThat(client.getOperationCount("op-1")).as("no request after the terminal status")
                    .isEqualTo(expected.terminalAt + 1);
        } else {
            assertThat(error.get()).isInstanceOf(OperationTimeoutException.class);
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
