package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;

import io.github.cloudmap.watcher.OperationOutcome.Kind;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;

/**
 * {@link OperationWatcher#awaitAll} and {@link OperationWatcher#watchAll}, in virtual time
 * against a scripted client. With jitter off, each operation's polls fall at 0, 0.5, 1.5, 3.5,
 * 7.5 ... s (an unlimited budget unless a test is about the budget).
 */
class AwaitAllTest {

    private static final Duration VERIFY_BOUND = Duration.ofSeconds(10);

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).pollBudget(RequestBudget.unlimited());
    }

    @Test
    void completesWhenTheLastOperationEndsWithEachOutcomeAndTheFinishOrder() {
        client.script("op-slow").submitted().pending().success();   // SUCCESS at 1.5 s
        client.script("op-fail").submitted().fail("CANNOT_CREATE_HOSTED_ZONE", "Route 53 said no"); // FAIL at 0.5 s
        OperationWatcher watcher = watcher().build();
        AtomicReference<BatchOutcome> batch = new AtomicReference<>();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-slow", "op-fail")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1499))
                .thenAwait(Duration.ofMillis(1))
                .consumeNextWith(batch::set)
                .expectComplete()
                .verify(VERIFY_BOUND);

        BatchOutcome outcome = batch.get();
        assertThat(outcome.size()).isEqualTo(2);
        assertThat(outcome.allSucceeded()).isFalse();
        assertThat(outcome.outcomes()).extracting(OperationOutcome::operationId).containsExactly("op-slow", "op-fail");
        assertThat(outcome.finishOrder()).extracting(OperationOutcome::operationId).containsExactly("op-fail", "op-slow");
        assertThat(outcome.failures()).singleElement().satisfies(f -> {
            assertThat(f.errorCode()).isEqualTo("CANNOT_CREATE_HOSTED_ZONE");
            assertThat(f.errorMessage()).isEqualTo("Route 53 said no");
        });
        assertThat(outcome.succeeded()).extracting(OperationOutcome::operationId).containsExactly("op-slow");
        assertThat(outcome.counts()).containsEntry(Kind.SUCCESS, 1).containsEntry(Kind.FAIL, 1)
                .containsEntry(Kind.TIMED_OUT, 0);
        assertThat(client.getOperationCount("op-slow")).as("the FAIL did not stop the other watch").isEqualTo(3);
    }

    @Test
    void failFastStopsTheOthersAtTheFirstFailureWithTheirLastStatus() {
        client.script("op-slow").submitted().pending().pending().pending().success();
        client.script("op-fail").submitted().fail("ACCESS_DENIED", "no");
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        OperationWatcher watcher = watcher().scheduler(clock).build();
        List<BatchOutcome> seen = new CopyOnWriteArrayList<>();

        watcher.awaitAll(List.of("op-slow", "op-fail"), BatchOptions.defaults().failFast(true)).subscribe(seen::add);
        clock.advanceTimeBy(Duration.ofMillis(500));

        assertThat(seen).singleElement().satisfies(batch -> {
            assertThat(batch.failures()).extracting(OperationOutcome::operationId).containsExactly("op-fail");
            assertThat(batch.stopped()).singleElement().satisfies(s -> {
                assertThat(s.operationId()).isEqualTo("op-slow");
                assertThat(s.lastStatus()).isEqualTo(PENDING);
            });
        });
        long polls = client.getOperationCount("op-slow");
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(client.getOperationCount("op-slow")).as("no poll after the batch stopped").isEqualTo(polls);
        assertThat(watcher.runningPollLoops()).isZero();
    }

    @Test
    void eachOperationHasItsOwnDeadlineAndATimeoutCarriesTheLastStatus() {
        client.script("op-stuck").submitted().pending();   // PENDING for good
        client.script("op-ok").submitted().success();
        OperationWatcher watcher = watcher().timeout(Duration.ofSeconds(10)).build();
        AtomicReference<BatchOutcome> batch = new AtomicReference<>();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-stuck", "op-ok")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(9999))
                .thenAwait(Duration.ofMillis(1))
                .consumeNextWith(batch::set)
                .expectComplete()
                .verify(VERIFY_BOUND);

        assertThat(batch.get().timedOut()).singleElement().satisfies(t -> {
            assertThat(t.operationId()).isEqualTo("op-stuck");
            assertThat(t.lastStatus()).isEqualTo(PENDING);
            assertThat(t.error()).isInstanceOf(OperationTimeoutException.class);
            assertThat(((OperationTimeoutException) t.error()).isOverall()).isFalse();
        });
        assertThat(batch.get().finishOrder()).extracting(OperationOutcome::operationId)
                .containsExactly("op-ok", "op-stuck");
    }

    @Test
    void theOverallDeadlineEndsEveryUnfinishedOperationAsTimedOut() {
        client.script("op-a").submitted();                 // SUBMITTED for good
        client.script("op-b").submitted().pending();       // PENDING for good
        client.script("op-c").success();
        OperationWatcher watcher = watcher().build();
        AtomicReference<BatchOutcome> batch = new AtomicReference<>();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-a", "op-b", "op-c"),
                        BatchOptions.defaults().overallTimeout(Duration.ofSeconds(3))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2999))
                .thenAwait(Duration.ofMillis(1))
                .consumeNextWith(batch::set)
                .expectComplete()
                .verify(VERIFY_BOUND);

        assertThat(batch.get().timedOut()).extracting(OperationOutcome::operationId, OperationOutcome::lastStatus)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("op-a", SUBMITTED),
                        org.assertj.core.groups.Tuple.tuple("op-b", PENDING));
        assertThat(batch.get().timedOut()).allSatisfy(t ->
                assertThat(((OperationTimeoutException) t.error()).isOverall()).isTrue());
        assertThat(batch.get().succeeded()).extracting(OperationOutcome::operationId).containsExactly("op-c");
    }

    @Test
    void theWatchersOverallTimeoutBoundsABatchByDefault() {
        client.script("op-a").submitted();
        OperationWatcher watcher = watcher().overallTimeout(Duration.ofSeconds(2)).build();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-a")))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(batch -> assertThat(batch.timedOut()).hasSize(1))
                .expectComplete()
                .verify(VERIFY_BOUND);
    }

    @Test
    void anErrorIsThatOperationsOutcomeAndTheOthersGoOn() {
        client.script("op-denied").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "not allowed"));
        client.script("op-ok").submitted().pending().success();
        OperationWatcher watcher = watcher().build();
        AtomicReference<BatchOutcome> batch = new AtomicReference<>();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-denied", "op-ok")))
                .thenAwait(Duration.ofSeconds(2))
                .consumeNextWith(batch::set)
                .verifyComplete();

        assertThat(batch.get().errors()).singleElement().satisfies(e -> {
            assertThat(e.operationId()).isEqualTo("op-denied");
            assertThat(e.error()).hasMessageContaining("not allowed");
        });
        assertThat(batch.get().succeeded()).hasSize(1);
    }

    @Test
    void aDuplicateIsWatchedOnceAndKeepsItsFirstPosition() {
        client.script("op-1").success();
        client.script("op-2").success();
        OperationWatcher watcher = watcher().build();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-2", "op-1", "op-2", "op-2")))
                .assertNext(batch -> {
                    assertThat(batch.size()).isEqualTo(2);
                    assertThat(batch.outcomes()).extracting(OperationOutcome::operationId).containsExactly("op-2", "op-1");
                })
                .verifyComplete();
        assertThat(client.getOperationCount("op-2")).isEqualTo(1);
    }

    @Test
    void anEmptyBatchCompletesAtOnceWithoutARequest() {
        OperationWatcher watcher = watcher().build();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of()))
                .assertNext(batch -> {
                    assertThat(batch.size()).isZero();
                    assertThat(batch.allSucceeded()).isTrue();
                })
                .verifyComplete();
        StepVerifier.create(watcher.watchAll(List.of())).verifyComplete();
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void aBadIdIsRefusedBeforeAnyRequestNamingItsPosition() {
        OperationWatcher watcher = watcher().build();

        assertThatThrownBy(() -> watcher.awaitAll(List.of("op-1", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operationIds[1]");
        assertThatThrownBy(() -> watcher.awaitAll(List.of("op-1", "x".repeat(256))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operationIds[1]")
                .hasMessageContaining("255");
        assertThatThrownBy(() -> watcher.watchAll(Arrays.asList("op-1", null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("operationIds[1]");
        assertThatThrownBy(() -> watcher.awaitAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> watcher.awaitAll(List.of("op-1"), "12345"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12-digit");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void watchAllTagsEveryStatusChangeAndEndsEachOperationWithOneFinalUpdate() {
        client.script("op-1").submitted().pending().success();
        client.script("op-2").pending().fail("INTERNAL_FAILURE", "oops");
        OperationWatcher watcher = watcher().build();
        List<String> seen = new ArrayList<>();

        StepVerifier.withVirtualTime(() -> watcher.watchAll(List.of("op-1", "op-2")))
                .recordWith(ArrayList::new)
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(5)
                .consumeRecordedWith(updates -> updates.forEach(u -> seen.add(u.operationId() + " "
                        + (u.status() == null ? "-" : u.status().statusAsString())
                        + (u.isFinal() ? " final " + u.outcome().kind() : ""))))
                .verifyComplete();

        assertThat(seen).containsExactly("op-1 SUBMITTED", "op-2 PENDING", "op-1 PENDING",
                "op-2 FAIL final FAIL", "op-1 SUCCESS final SUCCESS");
    }

    @Test
    void theOwnerAccountGoesWithEveryGetOperation() {
        client.script("op-1").success();
        client.script("op-2").success();
        OperationWatcher watcher = watcher().build();

        StepVerifier.withVirtualTime(() -> watcher.awaitAll(List.of("op-1", "op-2"), "123456789012"))
                .assertNext(batch -> assertThat(batch.allSucceeded()).isTrue())
                .verifyComplete();

        assertThat(client.getOperationRequests()).extracting(GetOperationRequest::ownerAccount)
                .containsOnly("123456789012").hasSize(2);
    }

    @Test
    void everyOperationDrawsFromTheOneBudgetInTurn() {
        for (String id : List.of("op-a", "op-b", "op-c")) {
            client.script(id).submitted();
        }
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        RequestBudget onePerSecond = RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(1).minRate(1).maxRate(1).burst(1).build());
        List<String> polled = new CopyOnWriteArrayList<>();
        OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).scheduler(clock).pollBudget(onePerSecond)
                .listener(new WatchListener() {
                    @Override
                    public void onPoll(String operationId) {
                        polled.add(operationId);
                    }
                }).build();

        Disposable batch = watcher.awaitAll(List.of("op-a", "op-b", "op-c")).subscribe();
        clock.advanceTimeBy(Duration.ofMillis(8_500));
        batch.dispose();

        // Nine permits in 8.5 s: each operation polled three times, none ahead of another.
        assertThat(polled).hasSize(9);
        for (int round = 0; round < 3; round++) {
            assertThat(polled.subList(3 * round, 3 * round + 3)).as("round " + round)
                    .containsExactlyInAnyOrder("op-a", "op-b", "op-c");
        }
        assertThat(watcher.runningPollLoops()).as("cancelling the batch stops every loop").isZero();
    }
}
