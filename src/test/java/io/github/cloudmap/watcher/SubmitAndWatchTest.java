package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * {@code submitAndWatch} and {@code submitAndAwait}: shared namespaces (OwnerAccount), a
 * DuplicateRequest answer followed, and the optional overall deadline, all in virtual time
 * against the scripted client. Polls of one attempt happen 0, 0.5, 1.5, 3.5, 7.5 s after it starts.
 */
class SubmitAndWatchTest {

    private static final Duration VERIFY_BOUND = Duration.ofSeconds(10);
    private static final String OWNER = "123456789012";

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final List<String> duplicates = new CopyOnWriteArrayList<>();
    private final WatchListener listener = new WatchListener() {
        @Override
        public void onDuplicate(String duplicateOperationId, DuplicateRequestException duplicate) {
            duplicates.add(duplicateOperationId + " <- " + duplicate.awsErrorDetails().errorCode());
        }
    };

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).listener(listener);
    }

    private Mono<String> submission() {
        return Mono.fromFuture(() -> client.deregisterInstance(b -> b.serviceId("srv-1").instanceId("i-1")))
                .map(r -> r.operationId());
    }

    @Nested
    class OwnerAccount {

        @Test
        void everyPollOfEveryAttemptCarriesTheOwnerAccount() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
            client.script("op-2").pending().success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndAwait(submission(), OWNER))
                    .thenAwait(Duration.ofSeconds(2))
                    .assertNext(op -> assertThat(op.id()).isEqualTo("op-2"))
                    .verifyComplete();
            assertThat(client.getOperationRequests()).hasSize(3)
                    .allSatisfy(r -> assertThat(r.ownerAccount()).isEqualTo(OWNER));
        }

        @Test
        void submitAndWatchWithAnOwnerAccountEmitsEveryStatus() {
            client.submissions().operationIds("op-1");
            client.script("op-1").pending().success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission(), OWNER)
                            .map(Operation::statusAsString))
                    .expectNext("PENDING")
                    .thenAwait(Duration.ofMillis(500))
                    .expectNext("SUCCESS")
                    .verifyComplete();
            assertThat(client.getOperationRequests()).allSatisfy(r -> assertThat(r.ownerAccount()).isEqualTo(OWNER));
        }

        @Test
        void aBadOwnerAccountIsRefusedBeforeAnyRequestOrSubscription() {
            OperationWatcher watcher = watcher().build();
            AtomicInteger subscribed = new AtomicInteger();
            Mono<String> submission = submission().doOnSubscribe(s -> subscribed.incrementAndGet());

            assertThatThrownBy(() -> watcher.submitAndWatch(submission, "12345"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12-digit")
                    .hasMessageContaining("'12345'");
            assertThatThrownBy(() -> watcher.submitAndAwait(submission, "12345678901x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> watcher.submitAndAwait(submission, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("ownerAccount");
            assertThatThrownBy(() -> watcher.submitAndWatch(null, OWNER))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("submission");
            assertThat(subscribed).hasValue(0);
            assertThat(client.requests()).isEmpty();
        }
    }

    @Nested
    class DuplicateRequest {

        @Test
        void aDuplicateRequestFollowsTheOperationAlreadyDoingTheWorkAndSaysSo() {
            client.submissions().duplicateRequest("op-running");
            client.script("op-running").pending().success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission())
                            .map(op -> op.id() + ":" + op.status()))
                    .expectNext("op-running:PENDING")
                    .thenAwait(Duration.ofMillis(500))
                    .expectNext("op-running:SUCCESS")
                    .verifyComplete();
            assertThat(client.submissionCount()).as("the duplicate is followed, not resent").isEqualTo(1);
            assertThat(duplicates).containsExactly("op-running <- DuplicateRequest");
        }

        @Test
        void aFollowedDuplicateThatFailsThrottledIsResubmittedLikeAnyAttempt() {
            client.submissions().duplicateRequest("op-running").operationIds("op-2");
            client.script("op-running").fail("THROTTLED_REQUEST", "throttled");
            client.script("op-2").success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndAwait(submission()))
                    .thenAwait(Duration.ofSeconds(1))
                    .assertNext(op -> assertThat(op.id()).isEqualTo("op-2"))
                    .verifyComplete();
            assertThat(client.submissionCount()).isEqualTo(2);
        }

        @Test
        void aDuplicateRequestWithoutAnOperationIdSurfacesAsItIs() {
            client.submissions().error(() -> SdkErrors.duplicateRequest(null));

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission()))
                    .expectError(DuplicateRequestException.class)
                    .verify(VERIFY_BOUND);
            assertThat(duplicates).isEmpty();
            assertThat(client.getOperationRequests()).isEmpty();
        }
    }

    @Nested
    class OverallDeadline {

        @Test
        void theOverallDeadlineBoundsAllAttemptsAndWaitsAndCarriesTheLastStatus() {
            // op-1 FAILs THROTTLED_REQUEST at 7.5 s; after the 1 s wait op-2 starts at 8.5 s and
            // stays PENDING. Each attempt's own deadline (10 s) would let this run to 18.5 s and
            // beyond; the overall deadline ends it at 11 s.
            client.submissions().operationIds("op-1", "op-2", "op-3");
            client.script("op-1").submitted().pending().pending().pending().fail("THROTTLED_REQUEST", "throttled");
            client.script("op-2").submitted().pending();
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcher().scheduler(scheduler)
                    .timeout(Duration.ofSeconds(10))
                    .overallTimeout(Duration.ofSeconds(11))
                    .build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndWatch(submission())
                            .map(op -> op.id() + ":" + op.status()), () -> scheduler, Long.MAX_VALUE)
                    .expectNext("op-1:SUBMITTED")
                    .thenAwait(Duration.ofMillis(500)).expectNext("op-1:PENDING")
                    .thenAwait(Duration.ofSeconds(7)).expectNext("op-1:FAIL")
                    .thenAwait(Duration.ofSeconds(1)).expectNext("op-2:SUBMITTED")
                    .thenAwait(Duration.ofMillis(500)).expectNext("op-2:PENDING")
                    .expectNoEvent(Duration.ofMillis(1999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(OperationTimeoutException.class);
                        OperationTimeoutException timeout = (OperationTimeoutException) error;
                        assertThat(timeout.isOverall()).isTrue();
                        assertThat(timeout.timeout()).isEqualTo(Duration.ofSeconds(11));
                        assertThat(timeout.attempts()).isEqualTo(2);
                        assertThat(timeout.operationId()).isEqualTo("op-2");
                        assertThat(timeout.lastStatus()).isEqualTo(PENDING);
                        assertThat(timeout.lastObserved().id()).isEqualTo("op-2");
                        assertThat(timeout).hasMessageContaining("overall submitAndWatch timeout of PT11S after 2 submissions");
                    })
                    .verify(VERIFY_BOUND);

            long requests = client.requests().size();
            scheduler.advanceTimeBy(Duration.ofMinutes(5));
            assertThat(client.requests()).as("nothing is sent after the overall deadline").hasSize((int) requests);
            assertThat(client.submissionCount()).isEqualTo(2);
        }

        @Test
        void theOverallDeadlineFiresDuringTheWaitBeforeAResubmissionToo() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
            OperationWatcher watcher = watcher().overallTimeout(Duration.ofMillis(600)).build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndWatch(submission()).map(Operation::statusAsString))
                    .expectNext("FAIL")
                    .expectNoEvent(Duration.ofMillis(599))
                    .thenAwait(Duration.ofMillis(1))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(
                            OperationTimeoutException.class, t -> {
                                assertThat(t.attempts()).isEqualTo(1);
                                assertThat(t.lastStatus().toString()).isEqualTo("FAIL");
                            }))
                    .verify(VERIFY_BOUND);
            assertThat(client.submissionCount()).as("the resubmission after 1 s never happened").isEqualTo(1);
        }

        @Test
        void aSubmitAndWatchThatFinishesInTimeIsUntouchedByTheOverallDeadline() {
            client.submissions().operationIds("op-1");
            client.script("op-1").pending().success();
            OperationWatcher watcher = watcher().overallTimeout(Duration.ofSeconds(1)).build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndAwait(submission()))
                    .thenAwait(Duration.ofMillis(500))
                    .expectNextCount(1)
                    .verifyComplete();
            assertThat(watcher.overallTimeout()).contains(Duration.ofSeconds(1));
        }

        @Test
        void withoutAnOverallDeadlinePlainWatchesAndSubmissionsKeepTheirOwnDeadlines() {
            client.script("op-1").pending();

            assertThat(watcher().build().overallTimeout()).isEmpty();
            StepVerifier.withVirtualTime(() -> watcher().overallTimeout(Duration.ofSeconds(1))
                            .timeout(Duration.ofSeconds(3)).build().watch("op-1"))
                    .expectNextCount(1)
                    .thenAwait(Duration.ofSeconds(3))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(
                            OperationTimeoutException.class, t -> assertThat(t.isOverall()).isFalse()))
                    .verify(VERIFY_BOUND);
        }
    }
}
