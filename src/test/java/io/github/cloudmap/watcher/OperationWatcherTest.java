package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.FAIL;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUCCESS;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/**
 * The behaviour rules of {@link OperationWatcher}, one nested class per rule, all in virtual
 * time against a scripted client. With jitter off and the default intervals, polls happen at
 * 0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5, 35.5 ... seconds.
 */
class OperationWatcherTest {

    private static final Duration VERIFY_BOUND = Duration.ofSeconds(10);

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final PollTimes polls = new PollTimes();

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).listener(polls);
    }

    /**
     * A watcher on a scheduler of the test's own, without the listener that reads the global
     * virtual clock: for tests that advance time by hand, also after a Flux has ended.
     */
    private OperationWatcher watcherOn(VirtualTimeScheduler scheduler) {
        return OperationWatcher.builder(client).jitter(0).scheduler(scheduler).build();
    }

    private static Flux<OperationStatus> statuses(Flux<Operation> operations) {
        return operations.map(Operation::status);
    }

    @Nested
    class Rule1StatusChanges {

        @Test
        void pollsAtOnceOnSubscriptionAndEmitsOnlyChangesThenCompletesWithoutFurtherRequests() {
            client.script("op-1").submitted().submitted().pending().pending().success();
            OperationWatcher watcher = watcher().build();
            Flux<Operation> watch = watcher.watch("op-1");
            assertThat(client.requests()).as("cold: nothing before subscription").isEmpty();

            StepVerifier.withVirtualTime(() -> statuses(watch))
                    .expectSubscription()
                    .expectNext(SUBMITTED)
                    .expectNoEvent(Duration.ofMillis(1499))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(PENDING)
                    .expectNoEvent(Duration.ofMillis(5999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(SUCCESS)
                    .expectComplete()
                    .verify(VERIFY_BOUND);

            assertThat(polls.millis).containsExactly(0L, 500L, 1500L, 3500L, 7500L);
            assertThat(client.getOperationCount("op-1")).isEqualTo(5);
        }

        @Test
        void ignoresAStaleReadOfAnEarlierStatus() {
            client.script("op-1").pending().submitted().pending().success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
        }

        @Test
        void emitsFailExactlyOnceAndStopsPolling() {
            client.script("op-1").submitted().fail("ACCESS_DENIED", "denied");

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(SUBMITTED)
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext(FAIL)
                    .verifyComplete();
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
        }

        @Test
        void noRequestFollowsSuccessOrFail() {
            client.script("op-ok").submitted().success();
            client.script("op-fail").submitted().fail("ACCESS_DENIED", "no");
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcherOn(scheduler);
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

            watcher.watch("op-ok").subscribe(op -> seen.add(op.id() + ":" + op.status()), e -> seen.add("error"),
                    () -> seen.add("op-ok:complete"));
            watcher.watch("op-fail").subscribe(op -> seen.add(op.id() + ":" + op.status()), e -> seen.add("error"),
                    () -> seen.add("op-fail:complete"));
            scheduler.advanceTimeBy(Duration.ofMillis(500));
            assertThat(seen).containsExactlyInAnyOrder("op-ok:SUBMITTED", "op-fail:SUBMITTED",
                    "op-ok:SUCCESS", "op-ok:complete", "op-fail:FAIL", "op-fail:complete");

            scheduler.advanceTimeBy(Duration.ofHours(1));
            assertThat(client.getOperationCount("op-ok")).isEqualTo(2);
            assertThat(client.getOperationCount("op-fail")).isEqualTo(2);
        }

        @Test
        void aSubscriptionAfterTheEndPollsAfresh() {
            client.script("op-1").success();
            Flux<Operation> watch = watcher().build().watch("op-1");

            StepVerifier.withVirtualTime(() -> statuses(watch)).expectNext(SUCCESS).verifyComplete();
            StepVerifier.withVirtualTime(() -> statuses(watch)).expectNext(SUCCESS).verifyComplete();
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
        }
    }

    @Nested
    class OnePollLoopPerOperation {

        @Test
        void concurrentWatchesOfOneOperationShareOnePollLoop() {
            client.script("op-1").submitted().submitted().pending().success();
            OperationWatcher watcher = watcher().build();

            StepVerifier.withVirtualTime(() -> Flux.merge(
                            watcher.watch("op-1").map(op -> "a:" + op.status()),
                            watcher.watch("op-1").map(op -> "b:" + op.status())))
                    .expectNext("a:SUBMITTED", "b:SUBMITTED")
                    .thenAwait(Duration.ofSeconds(2))
                    .expectNext("a:PENDING", "b:PENDING")
                    .thenAwait(Duration.ofSeconds(2))
                    .expectNext("a:SUCCESS", "b:SUCCESS")
                    .verifyComplete();
            assertThat(client.getOperationCount("op-1")).as("one loop, not two").isEqualTo(4);
        }

        @Test
        void aWatchThatJoinsLateStartsFromTheLatestStatus() {
            client.script("op-1").submitted().pending().pending().success();
            OperationWatcher watcher = watcher().build();

            StepVerifier.withVirtualTime(() -> Flux.merge(
                            watcher.watch("op-1").map(op -> "early:" + op.status()),
                            Mono.delay(Duration.ofSeconds(1)).flatMapMany(x -> watcher.watch("op-1"))
                                    .map(op -> "late:" + op.status())))
                    .expectNext("early:SUBMITTED")
                    .thenAwait(Duration.ofMillis(500))
                    .expectNext("early:PENDING")
                    .thenAwait(Duration.ofMillis(500))
                    .expectNext("late:PENDING")
                    .thenAwait(Duration.ofSeconds(5))
                    .expectNext("early:SUCCESS", "late:SUCCESS")
                    .verifyComplete();
            assertThat(client.getOperationCount("op-1")).isEqualTo(4);
        }

        @Test
        void theLoopGoesOnWhileOneWatchRemainsAndStopsWithTheLast() {
            client.script("op-1").pending();
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcherOn(scheduler);

            var first = watcher.watch("op-1").subscribe();
            var second = watcher.watch("op-1").subscribe();
            scheduler.advanceTimeBy(Duration.ofMillis(500));
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
            first.dispose();
            scheduler.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(client.getOperationCount("op-1")).as("still polling for the second").isEqualTo(3);
            second.dispose();
            scheduler.advanceTimeBy(Duration.ofMinutes(1));
            assertThat(client.getOperationCount("op-1")).isEqualTo(3);
        }

        @Test
        void eachWatchKeepsItsOwnDeadline() {
            client.script("op-1").pending();
            OperationWatcher shortWatcher = watcher().timeout(Duration.ofSeconds(10)).build();

            StepVerifier.withVirtualTime(() -> Flux.merge(
                            shortWatcher.watch("op-1").map(op -> "first:" + op.status()),
                            Mono.delay(Duration.ofSeconds(5)).flatMapMany(x -> shortWatcher.watch("op-1"))
                                    .map(op -> "second:" + op.status())
                                    .onErrorResume(OperationTimeoutException.class, e -> Mono.just("second:timeout"))))
                    .expectNext("first:PENDING")
                    .thenAwait(Duration.ofSeconds(5))
                    .expectNext("second:PENDING")
                    .thenAwait(Duration.ofSeconds(5))
                    .expectError(OperationTimeoutException.class)
                    .verify(VERIFY_BOUND);
        }
    }

    @Nested
    class Rule2Backoff {

        @Test
        void delaysGrowExponentiallyUpToTheCap() {
            client.script("op-1").pending().times(9).success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(2))
                    .expectNext(SUCCESS)
                    .verifyComplete();

            assertThat(polls.millis).containsExactly(
                    0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 25_500L, 35_500L, 45_500L, 55_500L);
        }

        @Test
        void honoursACustomIntervalAndMultiplier() {
            client.script("op-1").pending().times(4).success();
            OperationWatcher watcher = watcher()
                    .pollInterval(Duration.ofSeconds(1), Duration.ofSeconds(2))
                    .backoffMultiplier(1.5)
                    .build();

            StepVerifier.withVirtualTime(() -> statuses(watcher.watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();

            assertThat(polls.millis).containsExactly(0L, 1_000L, 2_500L, 4_500L, 6_500L);
        }

        @Test
        void jitterTakesOffAShareOfEachDelayFromTheInjectedRandomSource() {
            client.script("op-1").pending().times(3).success();
            OperationWatcher watcher = OperationWatcher.builder(client)
                    .listener(polls)
                    .jitter(0.2)
                    .random(half())
                    .build();

            StepVerifier.withVirtualTime(() -> statuses(watcher.watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();

            // each delay is d * (1 - 0.2 * 0.5) = 0.9 d: 450 ms, 900 ms, 1800 ms
            assertThat(polls.millis).containsExactly(0L, 450L, 1_350L, 3_150L);
        }

        @Test
        void aSeededRandomSourceRepeatsTheSameDelaysAndStaysWithinTheJitterBand() {
            List<Long> first = pollTimesWithSeed(42);
            List<Long> second = pollTimesWithSeed(42);

            assertThat(first).isEqualTo(second).hasSize(6);
            long[] nominal = {500, 1_000, 2_000, 4_000, 8_000};
            for (int i = 1; i < first.size(); i++) {
                long delay = first.get(i) - first.get(i - 1);
                assertThat(delay).isBetween((long) (nominal[i - 1] * 0.8), nominal[i - 1]);
            }
            assertThat(first).isNotEqualTo(List.of(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L));
        }

        private List<Long> pollTimesWithSeed(long seed) {
            ScriptedServiceDiscoveryClient scripted = ScriptedServiceDiscoveryClient.create();
            scripted.script("op-1").pending().times(5).success();
            PollTimes times = new PollTimes();
            OperationWatcher watcher = OperationWatcher.builder(scripted)
                    .listener(times)
                    .jitter(0.2)
                    .random(new Random(seed))
                    .build();
            StepVerifier.withVirtualTime(() -> statuses(watcher.watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            return List.copyOf(times.millis);
        }
    }

    @Nested
    class Rule3ThrottlingAndTransientErrors {

        @Test
        void aThrottledPollSlowsPollingDownAndTheWatchGoesOn() {
            client.script("op-1").submitted().throttle().throttle().pending().success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(SUBMITTED)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(PENDING, SUCCESS)
                    .verifyComplete();

            // without throttling: 0, 500, 1500, 3500, 7500; each throttle doubles the backoff once more
            assertThat(polls.millis).containsExactly(0L, 500L, 2_500L, 10_500L, 20_500L);
            assertThat(polls.throttled).hasValue(2);
        }

        @Test
        void throttlingIsNeverFatalWhileTheDeadlineAllows() {
            client.script("op-1").throttle().times(40).success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().timeout(Duration.ofMinutes(10)).build().watch("op-1")))
                    .thenAwait(Duration.ofMinutes(10))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            assertThat(polls.throttled).hasValue(40);
        }

        @Test
        void serverErrorsAreRetriedWithTheResilience4jBackoff() {
            client.script("op-1").submitted().serverError(503).serverError(503).success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(SUBMITTED)
                    .expectNoEvent(Duration.ofMillis(1_099))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();

            // poll at 500 ms fails, retried 200 ms later, then 400 ms later
            assertThat(polls.millis).containsExactly(0L, 500L, 700L, 1_100L);
            assertThat(polls.transientErrors).hasValue(2);
        }

        @Test
        void ioErrorsAreRetriedToo() {
            client.script("op-1").ioError().success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            assertThat(polls.millis).containsExactly(0L, 200L);
        }

        @Test
        void whenTransientRetriesRunOutTheOriginalSdkExceptionSurfaces() {
            client.script("op-1").submitted().serverError(500);

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectNext(SUBMITTED)
                    .thenAwait(Duration.ofSeconds(5))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isExactlyInstanceOf(ServiceDiscoveryException.class)
                                .isNotInstanceOf(CompletionException.class);
                        assertThat(((ServiceDiscoveryException) error).statusCode()).isEqualTo(500);
                    })
                    .verify(VERIFY_BOUND);
            assertThat(client.getOperationCount("op-1")).as("1 poll + 3 attempts").isEqualTo(4);
        }

        @Test
        void clientErrorsFailAtOnce() {
            client.script("op-1").error(() -> SdkErrors.invalidInput("OperationId is not valid"));

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectErrorSatisfies(error -> assertThat(error)
                            .isInstanceOf(ServiceDiscoveryException.class)
                            .hasMessageContaining("OperationId is not valid"))
                    .verify(VERIFY_BOUND);
            assertThat(client.getOperationCount("op-1")).isEqualTo(1);
        }

        @Test
        void aRetryOfTheUsersOwnCountsItsCallsInItsMetrics() {
            client.script("op-1").serverError(503).success();
            io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("mine",
                    OperationWatcherBuilder.defaultTransientRetry());

            StepVerifier.withVirtualTime(() -> statuses(watcher().transientRetry(retry).build().watch("op-1")))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        }

        @Test
        void aCustomTransientRetryPolicyIsHonoured() {
            client.script("op-1").serverError(500).serverError(500).success();
            OperationWatcher watcher = watcher()
                    .transientRetry(io.github.resilience4j.retry.RetryConfig.custom()
                            .maxAttempts(2).waitDuration(Duration.ofSeconds(1)).build())
                    .build();

            StepVerifier.withVirtualTime(() -> statuses(watcher.watch("op-1")))
                    .thenAwait(Duration.ofSeconds(5))
                    .expectError(ServiceDiscoveryException.class)
                    .verify(VERIFY_BOUND);
            assertThat(polls.millis).containsExactly(0L, 1_000L);
        }
    }

    @Nested
    class Rule4NotFoundGrace {

        @Test
        void operationNotFoundIsToleratedWithinTheGraceWindow() {
            client.script("op-1").notFound().times(3).submitted().success();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .thenAwait(Duration.ofSeconds(4))
                    .expectNext(SUBMITTED)
                    .thenAwait(Duration.ofSeconds(4))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            assertThat(polls.notFound).hasValue(3);
        }

        @Test
        void afterTheGraceWindowTheSdkExceptionSurfaces() {
            client.script("op-1").notFound();

            StepVerifier.withVirtualTime(() -> statuses(watcher().build().watch("op-1")))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(25_499))
                    .thenAwait(Duration.ofMillis(1))
                    .expectError(OperationNotFoundException.class)
                    .verify(VERIFY_BOUND);
            // the polls at 0 .. 15.5 s fall within the default 20 s window; the one at 25.5 s does not
            assertThat(polls.millis).last().isEqualTo(25_500L);
        }

        @Test
        void aZeroGraceWindowFailsOnTheFirstNotFound() {
            client.script("op-1").notFound();

            StepVerifier.withVirtualTime(() -> statuses(watcher().notFoundGrace(Duration.ZERO).build().watch("op-1")))
                    .expectError(OperationNotFoundException.class)
                    .verify(VERIFY_BOUND);
            assertThat(client.getOperationCount("op-1")).isEqualTo(1);
        }

        @Test
        void theDefaultGraceWindowIsAtMostThirtySeconds() {
            assertThat(OperationWatcher.create(client).notFoundGrace()).isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Nested
    class Rule5Fail {

        @Test
        void awaitTerminalTurnsFailIntoATypedErrorWithCodeAndMessage() {
            client.script("op-1").pending().fail("CANNOT_CREATE_HOSTED_ZONE", "Route 53 said no");

            StepVerifier.withVirtualTime(() -> watcher().build().awaitTerminal("op-1"))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(OperationFailedException.class);
                        OperationFailedException failed = (OperationFailedException) error;
                        assertThat(failed.errorCode()).isEqualTo("CANNOT_CREATE_HOSTED_ZONE");
                        assertThat(failed.errorMessage()).isEqualTo("Route 53 said no");
                        assertThat(failed.operation().status()).isEqualTo(FAIL);
                        assertThat(failed.operationId()).isEqualTo("op-1");
                        assertThat(failed.isRetryable()).isFalse();
                        assertThat(failed).hasMessageContaining("op-1").hasMessageContaining("Route 53 said no");
                    })
                    .verify(VERIFY_BOUND);
        }

        @Test
        void awaitTerminalYieldsTheSuccessOperation() {
            client.script("op-1").success();

            StepVerifier.withVirtualTime(() -> watcher().build().awaitTerminal("op-1"))
                    .assertNext(op -> assertThat(op.status()).isEqualTo(SUCCESS))
                    .verifyComplete();
        }

        @Test
        void anUnknownErrorCodePassesThroughAsText() {
            client.script("op-1").fail("SOMETHING_NEW", "a code from the future");

            StepVerifier.withVirtualTime(() -> watcher().build().awaitTerminal("op-1"))
                    .expectErrorSatisfies(error -> assertThat(((OperationFailedException) error).errorCode())
                            .isEqualTo("SOMETHING_NEW"))
                    .verify(VERIFY_BOUND);
        }

        @Test
        void onlyThrottledRequestIsRetryable() {
            assertThat(OperationFailedException.isRetryableErrorCode("THROTTLED_REQUEST")).isTrue();
            for (String code : List.of("ACCESS_DENIED", "CANNOT_CREATE_HOSTED_ZONE", "EXPIRED_TOKEN",
                    "HOSTED_ZONE_NOT_FOUND", "INTERNAL_FAILURE", "INVALID_CHANGE_BATCH", "SOMETHING_NEW")) {
                assertThat(OperationFailedException.isRetryableErrorCode(code)).as(code).isFalse();
            }
            assertThat(OperationFailedException.isRetryableErrorCode(null)).isFalse();
        }
    }

    @Nested
    class Rule6Resubmission {

        private Mono<String> submission() {
            return Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("srv-1").instanceId("i-1")))
                    .map(r -> r.operationId());
        }

        @Test
        void aThrottledRequestFailureIsResubmittedAndTheNewOperationWatched() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").submitted().fail("THROTTLED_REQUEST", "Rate exceeded");
            client.script("op-2").pending().success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission())
                            .map(op -> op.id() + ":" + op.status()))
                    .expectNext("op-1:SUBMITTED")
                    .thenAwait(Duration.ofMillis(500))
                    .expectNext("op-1:FAIL")
                    .expectNoEvent(Duration.ofMillis(999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext("op-2:PENDING")
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext("op-2:SUCCESS")
                    .verifyComplete();
            assertThat(client.submissionCount()).isEqualTo(2);
            assertThat(polls.resubmits).hasValue(1);
        }

        @Test
        void aResubmissionRetryOfTheUsersOwnCountsTheSuccessAfterResubmitting() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
            client.script("op-2").success();
            io.github.resilience4j.retry.Retry retry = io.github.resilience4j.retry.Retry.of("mine",
                    OperationWatcherBuilder.defaultResubmission());

            StepVerifier.withVirtualTime(() -> watcher().resubmission(retry).build().submitAndAwait(submission()))
                    .thenAwait(Duration.ofSeconds(2))
                    .expectNextCount(1)
                    .verifyComplete();
            assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
        }

        @Test
        void aNonRetryableFailEndsTheFluxWithThatFail() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").fail("ACCESS_DENIED", "no");

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission()).map(Operation::status))
                    .expectNext(FAIL)
                    .verifyComplete();
            assertThat(client.submissionCount()).isEqualTo(1);
        }

        @Test
        void whenAttemptsRunOutTheLastFailEndsTheFlux() {
            client.submissions().operationIds("op-1", "op-2", "op-3", "op-4");
            for (String id : List.of("op-1", "op-2", "op-3")) {
                client.script(id).fail("THROTTLED_REQUEST", "throttled");
            }

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission()).map(Operation::id))
                    .expectNext("op-1")
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext("op-2")
                    .thenAwait(Duration.ofSeconds(2))
                    .expectNext("op-3")
                    .verifyComplete();
            assertThat(client.submissionCount()).as("default policy: 3 submissions").isEqualTo(3);
        }

        @Test
        void submitAndAwaitReportsTheLastFailAsAnError() {
            client.submissions().operationIds("op-1");
            client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
            OperationWatcher watcher = watcher()
                    .resubmission(io.github.resilience4j.retry.RetryConfig.custom().maxAttempts(1).build())
                    .build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndAwait(submission()))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(OperationFailedException.class)
                            .extracting(e -> ((OperationFailedException) e).isRetryable()).isEqualTo(true))
                    .verify(VERIFY_BOUND);
            assertThat(client.submissionCount()).isEqualTo(1);
        }

        @Test
        void aThrottledSubmissionIsRetried() {
            client.submissions().throttle().operationIds("op-1");
            client.script("op-1").success();

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission()).map(Operation::status))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
            assertThat(client.submissionCount()).isEqualTo(2);
        }

        @Test
        void otherSubmissionErrorsAreNotRetried() {
            client.submissions().error(() -> SdkErrors.invalidInput("bad instance")).operationIds("op-1");

            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(submission()))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ServiceDiscoveryException.class)
                            .hasMessageContaining("bad instance"))
                    .verify(VERIFY_BOUND);
            assertThat(client.submissionCount()).isEqualTo(1);
        }

        @Test
        void thePolicysOwnPredicateCanNarrowWhatIsResubmitted() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
            OperationWatcher watcher = watcher()
                    .resubmission(io.github.resilience4j.retry.RetryConfig.custom()
                            .maxAttempts(5).retryOnException(e -> false).build())
                    .build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndWatch(submission()).map(Operation::status))
                    .expectNext(FAIL)
                    .verifyComplete();
            assertThat(client.submissionCount()).isEqualTo(1);
        }

        @Test
        void aSubmissionThatYieldsNoOperationIdFailsClearly() {
            StepVerifier.withVirtualTime(() -> watcher().build().submitAndWatch(Mono.empty()))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("without an OperationId"))
                    .verify(VERIFY_BOUND);
        }
    }

    @Nested
    class Rule7Deadline {

        @Test
        void theDeadlineFiresWhileARequestHangsAndCancelsIt() {
            client.script("op-1").hang();

            StepVerifier.withVirtualTime(() -> watcher().timeout(Duration.ofMinutes(1)).build().watch("op-1"))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofSeconds(59))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(OperationTimeoutException.class);
                        OperationTimeoutException timeout = (OperationTimeoutException) error;
                        assertThat(timeout.lastObserved()).isNull();
                        assertThat(timeout.timeout()).isEqualTo(Duration.ofMinutes(1));
                        assertThat(timeout.operationId()).isEqualTo("op-1");
                    })
                    .verify(VERIFY_BOUND);
            assertThat(client.cancelledRequests()).isEqualTo(1);
        }

        @Test
        void theTimeoutCarriesTheLastStateSeen() {
            client.script("op-1").submitted().pending();

            StepVerifier.withVirtualTime(() -> statuses(watcher().timeout(Duration.ofSeconds(30)).build().watch("op-1")))
                    .expectNext(SUBMITTED)
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext(PENDING)
                    .expectNoEvent(Duration.ofSeconds(28))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectErrorSatisfies(error -> assertThat(((OperationTimeoutException) error).lastObserved().status())
                            .isEqualTo(PENDING))
                    .verify(VERIFY_BOUND);
        }

        @Test
        void aSubmissionThatHangsTimesOutWithoutAnOperationId() {
            StepVerifier.withVirtualTime(() -> watcher().timeout(Duration.ofSeconds(30)).build()
                            .submitAndWatch(Mono.never()))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofSeconds(29))
                    .thenAwait(Duration.ofSeconds(1))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(OperationTimeoutException.class)
                                .hasMessageContaining("submission");
                        assertThat(((OperationTimeoutException) error).operationId()).isNull();
                    })
                    .verify(VERIFY_BOUND);
        }

        @Test
        void eachResubmittedAttemptHasItsOwnDeadline() {
            client.submissions().operationIds("op-1", "op-2");
            client.script("op-1").pending().times(3).fail("THROTTLED_REQUEST", "throttled");
            client.script("op-2").pending();
            OperationWatcher watcher = watcher().timeout(Duration.ofSeconds(10)).build();

            StepVerifier.withVirtualTime(() -> watcher.submitAndWatch(
                            Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("s").instanceId("i")))
                                    .map(r -> r.operationId()))
                            .map(op -> op.id() + ":" + op.status()))
                    .expectNext("op-1:PENDING")
                    .thenAwait(Duration.ofMillis(3_500))
                    .expectNext("op-1:FAIL")
                    .thenAwait(Duration.ofSeconds(1))
                    .expectNext("op-2:PENDING")
                    // op-2's attempt started at 4.5 s: its deadline is 14.5 s, not the first attempt's 10 s
                    .expectNoEvent(Duration.ofMillis(9_999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectError(OperationTimeoutException.class)
                    .verify(VERIFY_BOUND);
        }

        @Test
        void theDefaultDeadlineIsMinutesLong() {
            assertThat(OperationWatcher.create(client).timeout()).isEqualTo(Duration.ofMinutes(5));
        }
    }

    @Nested
    class Rule8Cancellation {

        @Test
        void cancellingCancelsTheRequestInFlightAndSendsNoMore() {
            client.script("op-1").submitted().hang();
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcherOn(scheduler);

            var subscription = watcher.watch("op-1").subscribe();
            scheduler.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(client.hangingRequests()).isEqualTo(1);
            subscription.dispose();

            assertThat(client.cancelledRequests()).isEqualTo(1);
            scheduler.advanceTimeBy(Duration.ofMinutes(10));
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
        }

        @Test
        void cancellingBetweenPollsSendsNoMoreRequests() {
            client.script("op-1").submitted();
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcherOn(scheduler);

            var subscription = watcher.watch("op-1").subscribe();
            scheduler.advanceTimeBy(Duration.ofMillis(600));
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
            subscription.dispose();
            scheduler.advanceTimeBy(Duration.ofMinutes(10));
            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
        }
    }

    @Nested
    class Rule9InjectedTime {

        @Test
        void aWatcherBuiltBeforeVirtualTimeIsInstalledStillRunsInVirtualTime() {
            client.script("op-1").pending().times(6).success();
            OperationWatcher watcher = OperationWatcher.create(client); // defaults, jitter included

            StepVerifier.withVirtualTime(() -> statuses(watcher.watch("op-1")))
                    .expectNext(PENDING)
                    .thenAwait(Duration.ofMinutes(1))
                    .expectNext(SUCCESS)
                    .verifyComplete();
        }

        @Test
        void anExplicitSchedulerDrivesEveryDelay() {
            client.script("op-1").pending().success();
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
            OperationWatcher watcher = watcherOn(scheduler);
            List<OperationStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

            watcher.watch("op-1").map(Operation::status).subscribe(seen::add);
            assertThat(seen).containsExactly(PENDING);
            scheduler.advanceTimeBy(Duration.ofMillis(499));
            assertThat(seen).containsExactly(PENDING);
            scheduler.advanceTimeBy(Duration.ofMillis(1));
            assertThat(seen).containsExactly(PENDING, SUCCESS);
        }
    }

    @Nested
    class Rule10BadInput {

        private final OperationWatcher watcher = OperationWatcher.create(client);

        @Test
        void operationIdsAreCheckedBeforeAnyRequest() {
            assertThatThrownBy(() -> watcher.watch(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("operationId");
            assertThatThrownBy(() -> watcher.watch("  ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blank");
            assertThatThrownBy(() -> watcher.awaitTerminal("x".repeat(256)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
            assertThat(watcher.watch("x".repeat(255))).isNotNull();
            assertThat(client.requests()).isEmpty();
        }

        @Test
        void ownerAccountsMustBeTwelveDigits() {
            assertThatThrownBy(() -> watcher.watch("op-1", "12345")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("12-digit").hasMessageContaining("12345");
            assertThatThrownBy(() -> watcher.watch("op-1", "12345678901a")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> watcher.awaitTerminal("op-1", null)).isInstanceOf(NullPointerException.class);
            assertThat(client.requests()).isEmpty();
        }

        @Test
        void theOwnerAccountIsSentWithEveryPoll() {
            client.script("op-1").success();

            StepVerifier.withVirtualTime(() -> watcher.watch("op-1", "123456789012")).expectNextCount(1).verifyComplete();
            assertThat(client.getOperationRequests()).singleElement()
                    .satisfies(r -> assertThat(r.ownerAccount()).isEqualTo("123456789012"));
        }

        @Test
        void builderSettingsAreValidatedWhenSet() {
            OperationWatcherBuilder builder = OperationWatcher.builder(client);
            assertThatThrownBy(() -> OperationWatcher.builder(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("client");
            assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
            assertThatThrownBy(() -> builder.pollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("initial poll interval (PT2S) must be <= max poll interval (PT1S)");
            assertThatThrownBy(() -> builder.pollInterval(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.timeout(Duration.ofDays(400)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT24H");
            assertThatThrownBy(() -> builder.pollInterval(Duration.ofSeconds(1), Duration.ofDays(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max poll interval");
            assertThatThrownBy(() -> builder.jitter(1.0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jitter");
            assertThatThrownBy(() -> builder.backoffMultiplier(0.5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.notFoundGrace(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> builder.scheduler((reactor.core.scheduler.Scheduler) null))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> watcher.submitAndWatch(null)).isInstanceOf(NullPointerException.class);
        }
    }

    private static RandomGenerator half() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.5;
            }
        };
    }
}
