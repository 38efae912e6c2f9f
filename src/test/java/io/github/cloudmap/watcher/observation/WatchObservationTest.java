package io.github.cloudmap.watcher.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/** The watch, poll and submission observations, for every outcome, in virtual time. */
class WatchObservationTest {

    private static final String WATCH = "cloudmap.watcher.watch";
    private static final String POLL = "cloudmap.watcher.poll";
    private static final String SUBMISSION = "cloudmap.watcher.submission";

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final RecordingHandler recorded = new RecordingHandler();

    @BeforeEach
    void record() {
        registry.observationConfig().observationHandler(recorded);
    }

    private OperationWatcherBuilder watcher(ServiceDiscoveryAsyncClient sdk) {
        return OperationWatcher.builder(sdk).scheduler(clock).jitter(0).pollBudget(RequestBudget.unlimited())
                .observationRegistry(registry);
    }

    private List<Operation> watch(OperationWatcher watcher, String operationId, Duration forHowLong) {
        List<Operation> seen = new ArrayList<>();
        watcher.watch(operationId).subscribe(seen::add, error -> { });
        clock.advanceTimeBy(forHowLong);
        return seen;
    }

    @Test
    void aWatchThatSucceedsIsOneObservationWithItsTypeOutcomeAndAPollSpanPerRequest() {
        client.script("op-1").submitted().pending().success();

        watch(watcher(client).build(), "op-1", Duration.ofSeconds(5));

        List<WatchContext> watches = recorded.named(WATCH, WatchContext.class);
        assertThat(watches).hasSize(1);
        WatchContext watch = watches.get(0);
        assertThat(recorded.low(watch, "cloudmap.operation.outcome")).isEqualTo("SUCCESS");
        assertThat(recorded.low(watch, "cloudmap.operation.type")).isEqualTo("REGISTER_INSTANCE");
        assertThat(recorded.low(watch, "cloudmap.operation.error_code")).isEqualTo("none");
        assertThat(recorded.high(watch, "cloudmap.operation.id")).isEqualTo("op-1");
        assertThat(recorded.high(watch, "cloudmap.operation.owner_account")).isEqualTo("self");
        assertThat(recorded.high(watch, "cloudmap.watcher.polls")).isEqualTo("3");
        assertThat(recorded.events.get(watch)).containsExactly("status SUBMITTED", "status PENDING", "status SUCCESS");
        // polls at 0, 0.5 s, 1.5 s: the watch took 1.5 s on the watcher's clock
        assertThat(watch.getDurationNanos()).isEqualTo(Duration.ofMillis(1500).toNanos());

        List<PollContext> polls = recorded.named(POLL, PollContext.class);
        assertThat(polls).hasSize(3).allSatisfy(poll -> {
            assertThat(poll.getParentObservation().getContextView()).isSameAs(watch);
            assertThat(recorded.low(poll, "cloudmap.poll.outcome")).isEqualTo("ANSWERED");
            assertThat(recorded.events.get(poll)).containsExactly("cloudmap.poll.permit");
        });
        assertThat(recorded.stopped).containsAll(recorded.started);
        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyRemainingCurrentObservation()
                .hasNumberOfObservationsWithNameEqualTo(WATCH, 1)
                .hasNumberOfObservationsWithNameEqualTo(POLL, 3);
    }

    @Test
    void aFailIsOutcomeFailWithItsErrorCode() {
        client.script("op-1").pending().fail("ACCESS_DENIED", "no");

        watch(watcher(client).build(), "op-1", Duration.ofSeconds(5));

        WatchContext watch = recorded.named(WATCH, WatchContext.class).get(0);
        assertThat(recorded.low(watch, "cloudmap.operation.outcome")).isEqualTo("FAIL");
        assertThat(recorded.low(watch, "cloudmap.operation.error_code")).isEqualTo("ACCESS_DENIED");
        assertThat(watch.getError()).isNull();
        assertThat(recorded.stopped).contains(watch);
    }

    @Test
    void aDeadlineIsOutcomeTimeoutAndTheErrorOnTheObservation() {
        client.script("op-1").pending();

        watch(watcher(client).timeout(Duration.ofSeconds(3)).build(), "op-1", Duration.ofSeconds(5));

        WatchContext watch = recorded.named(WATCH, WatchContext.class).get(0);
        assertThat(recorded.low(watch, "cloudmap.operation.outcome")).isEqualTo("TIMEOUT");
        assertThat(watch.getError()).isInstanceOf(io.github.cloudmap.watcher.OperationTimeoutException.class);
        assertThat(watch.getDurationNanos()).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(recorded.stopped).containsAll(recorded.started);
    }

    @Test
    void aCancelIsOutcomeCancelledAndCancelsThePollInFlight() {
        client.script("op-1").pending().hang();
        OperationWatcher watcher = watcher(client).build();

        Disposable watching = watcher.watch("op-1").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(1)); // the second poll hangs
        watching.dispose();

        WatchContext watch = recorded.named(WATCH, WatchContext.class).get(0);
        assertThat(recorded.low(watch, "cloudmap.operation.outcome")).isEqualTo("CANCELLED");
        List<PollContext> polls = recorded.named(POLL, PollContext.class);
        assertThat(polls).extracting(p -> recorded.low(p, "cloudmap.poll.outcome"))
                .containsExactly("ANSWERED", "CANCELLED");
        assertThat(recorded.stopped).containsAll(recorded.started);
    }

    @Test
    void anErrorIsOutcomeErrorAndThePollSaysClientError() {
        client.script("op-1").error(() -> InvalidInputException.builder().message("bad").build());

        watch(watcher(client).build(), "op-1", Duration.ofSeconds(1));

        WatchContext watch = recorded.named(WATCH, WatchContext.class).get(0);
        assertThat(recorded.low(watch, "cloudmap.operation.outcome")).isEqualTo("ERROR");
        assertThat(recorded.low(watch, "cloudmap.operation.type")).isEqualTo("UNKNOWN");
        assertThat(watch.getError()).isInstanceOf(InvalidInputException.class);
        PollContext poll = recorded.named(POLL, PollContext.class).get(0);
        assertThat(recorded.low(poll, "cloudmap.poll.outcome")).isEqualTo("CLIENT_ERROR");
        assertThat(recorded.stopped).containsAll(recorded.started);
    }

    @Test
    void eachPollSaysHowItEnded() {
        client.script("op-1").throttle().serverError(503).ioError().notFound().success();

        watch(watcher(client).build(), "op-1", Duration.ofSeconds(30));

        assertThat(recorded.named(POLL, PollContext.class)).extracting(p -> recorded.low(p, "cloudmap.poll.outcome"))
                .containsExactly("THROTTLED", "SERVER_ERROR", "IO_ERROR", "NOT_FOUND", "ANSWERED");
        assertThat(recorded.low(recorded.named(WATCH, WatchContext.class).get(0), "cloudmap.operation.outcome"))
                .isEqualTo("SUCCESS");
    }

    @Test
    void threeWatchesOfOneLoopShareEachPollTheFirstAsItsParentTheOthersByEventAndCount() {
        client.script("op-1").pending().pending().success();
        OperationWatcher watcher = watcher(client).build();

        watcher.watch("op-1").subscribe();
        watcher.watch("op-1").subscribe();
        watcher.watch("op-1").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(5));

        List<WatchContext> watches = recorded.named(WATCH, WatchContext.class);
        assertThat(watches).hasSize(3).allSatisfy(w ->
                assertThat(recorded.low(w, "cloudmap.operation.outcome")).isEqualTo("SUCCESS"));
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
        List<PollContext> polls = recorded.named(POLL, PollContext.class);
        assertThat(polls).hasSize(3);
        // The first poll is sent as the first watch joins, before the others can.
        assertThat(polls.get(0).getParentObservation().getContextView()).isSameAs(watches.get(0));
        assertThat(polls.get(0).getSharedWith()).isEmpty();
        for (PollContext poll : polls.subList(1, 3)) {
            assertThat(poll.getParentObservation().getContextView()).isSameAs(watches.get(0));
            assertThat(poll.getSharedWith()).containsExactly(watches.get(1), watches.get(2));
            assertThat(recorded.high(poll, "cloudmap.poll.watches")).isEqualTo("3");
        }
        assertThat(recorded.high(watches.get(0), "cloudmap.watcher.polls")).isEqualTo("3");
        for (WatchContext other : watches.subList(1, 3)) {
            assertThat(recorded.high(other, "cloudmap.watcher.polls")).isEqualTo("2");
            assertThat(recorded.events.get(other)).filteredOn(e -> e.startsWith("poll "))
                    .containsExactly("poll ANSWERED", "poll ANSWERED");
        }
        assertThat(recorded.stopped).containsAll(recorded.started);
    }

    @Test
    void theBudgetWaitAndTheWireTimeAreMeasuredApartInVirtualTime() {
        client.script("op-1").success();
        ServiceDiscoveryAsyncClient slow = new AnswersLate(client, Duration.ofMillis(200), clock);
        RequestBudget late = new GrantsLate(Duration.ofMillis(300));

        watch(watcher(slow).pollBudget(late).build(), "op-1", Duration.ofSeconds(2));

        PollContext poll = recorded.named(POLL, PollContext.class).get(0);
        assertThat(poll.getBudgetWaitNanos()).isEqualTo(Duration.ofMillis(300).toNanos());
        assertThat(poll.getWireNanos()).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(recorded.high(poll, "cloudmap.poll.budget_wait_ms")).isEqualTo("300");
        assertThat(recorded.high(poll, "cloudmap.poll.wire_ms")).isEqualTo("200");
        assertThat(recorded.named(WATCH, WatchContext.class).get(0).getDurationNanos())
                .isEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test
    void theRequestIsSentWithThePollCurrentSoTheSdksOwnSpansNestUnderIt() {
        client.script("op-1").success();
        AtomicReference<Observation> currentAtSend = new AtomicReference<>();
        ServiceDiscoveryAsyncClient spying = new AnswersLate(client, Duration.ZERO, clock) {
            @Override
            public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
                currentAtSend.set(registry.getCurrentObservation());
                return client.getOperation(request);
            }
        };

        watch(watcher(spying).build(), "op-1", Duration.ofSeconds(1));

        assertThat(currentAtSend.get()).isNotNull();
        assertThat(currentAtSend.get().getContextView()).isSameAs(recorded.named(POLL, PollContext.class).get(0));
        assertThat(registry.getCurrentObservation()).isNull();
    }

    @Test
    void aWatchIsAChildOfTheObservationInTheSubscribersContext() {
        client.script("op-1").success();
        Observation request = Observation.start("http.server.requests", registry);

        watcher(client).build().watch("op-1")
                .contextWrite(context -> context.put(ObservationWatchObserver.CONTEXT_KEY, request))
                .subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        request.stop();

        WatchContext watch = recorded.named(WATCH, WatchContext.class).get(0);
        assertThat(watch.getParentObservation()).isSameAs(request);
    }

    @Test
    void aSubmitAndWatchIsOneObservationWithItsAttemptsAndItsWatchesAsChildren() {
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
        client.script("op-2").success();
        OperationWatcher watcher = watcher(client).build();

        watcher.submitAndWatch(Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("srv").instanceId("i-1")))
                        .map(RegisterInstanceResponse::operationId))
                .subscribe(op -> { }, error -> { });
        clock.advanceTimeBy(Duration.ofSeconds(10));

        List<SubmissionContext> submissions = recorded.named(SUBMISSION, SubmissionContext.class);
        assertThat(submissions).hasSize(1);
        SubmissionContext submission = submissions.get(0);
        assertThat(recorded.low(submission, "cloudmap.operation.outcome")).isEqualTo("SUCCESS");
        assertThat(recorded.high(submission, "cloudmap.submission.attempts")).isEqualTo("2");
        assertThat(recorded.high(submission, "cloudmap.submission.resubmissions")).isEqualTo("1");
        assertThat(recorded.high(submission, "cloudmap.operation.id")).isEqualTo("op-2");
        List<WatchContext> watches = recorded.named(WATCH, WatchContext.class);
        assertThat(watches).extracting(w -> recorded.low(w, "cloudmap.operation.outcome"))
                .containsExactly("FAIL", "SUCCESS");
        assertThat(watches).allSatisfy(w -> assertThat(w.getParentObservation().getContextView()).isSameAs(submission));
        assertThat(recorded.stopped).containsAll(recorded.started);
    }

    @Test
    void aReplacedConventionNamesTheObservation() {
        client.script("op-1").success();
        OperationWatcher watcher = watcher(client).observationConvention(new DefaultWatchObservationConvention() {
            @Override
            public String getName() {
                return "deploy.wait";
            }
        }).build();

        watch(watcher, "op-1", Duration.ofSeconds(1));

        assertThat(recorded.named("deploy.wait", WatchContext.class)).hasSize(1);
        assertThat(recorded.named(WATCH, WatchContext.class)).isEmpty();
    }

    @Test
    void aRegistryWithoutHandlersGetsNoObservationAndTheWatchRunsAsWithoutOne() {
        client.script("op-1").pending().success();
        io.micrometer.observation.ObservationRegistry noop = io.micrometer.observation.ObservationRegistry.create();
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock).jitter(0)
                .pollBudget(RequestBudget.unlimited()).observationRegistry(noop).build();

        List<Operation> seen = watch(watcher, "op-1", Duration.ofSeconds(2));

        assertThat(seen).extracting(Operation::statusAsString).containsExactly("PENDING", "SUCCESS");
        // Whether to observe is decided per watch: a handler added later is heard from the next watch on.
        RecordingHandler later = new RecordingHandler();
        noop.observationConfig().observationHandler(later);
        client.script("op-2").success();
        watch(watcher, "op-2", Duration.ofSeconds(1));
        assertThat(later.named(WATCH, WatchContext.class)).extracting(WatchContext::getOperationId).containsExactly("op-2");
        assertThat(later.named(POLL, PollContext.class)).hasSize(1);
    }

    /** Answers GetOperation from a delegate, {@code delay} later on the virtual clock. */
    static class AnswersLate implements ServiceDiscoveryAsyncClient {
        private final ServiceDiscoveryAsyncClient delegate;
        private final Duration delay;
        private final Scheduler clock;

        AnswersLate(ServiceDiscoveryAsyncClient delegate, Duration delay, Scheduler clock) {
            this.delegate = delegate;
            this.delay = delay;
            this.clock = clock;
        }

        @Override
        public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
            return Mono.delay(delay, clock).then(Mono.fromFuture(() -> delegate.getOperation(request))).toFuture();
        }

        @Override
        public String serviceName() {
            return "servicediscovery";
        }

        @Override
        public void close() { }
    }

    /** Grants every permit {@code delay} after it is asked for, on the caller's scheduler. */
    static final class GrantsLate implements RequestBudget {
        private final RequestBudget unlimited = RequestBudget.unlimited();
        private final Duration delay;

        GrantsLate(Duration delay) {
            this.delay = delay;
        }

        @Override
        public Mono<Permit> acquire(Scheduler scheduler) {
            return Mono.delay(delay, scheduler).then(unlimited.acquire(scheduler));
        }

        @Override
        public double currentRate() {
            return unlimited.currentRate();
        }

        @Override
        public int waiting() {
            return 0;
        }
    }

    @Test
    void aThrowingObservationHandlerDoesNotBreakTheWatch() {
        // The application's handler (a tracing bridge, a metrics convention) fails: the watch
        // must still deliver its statuses and end in SUCCESS.
        registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return true;
            }

            @Override
            public void onStart(io.micrometer.observation.Observation.Context context) {
                throw new IllegalStateException("handler bug");
            }
        });
        client.script("op-1").submitted().pending().success();
        List<Throwable> errors = new ArrayList<>();
        List<Operation> seen = new ArrayList<>();
        watcher(client).build().watch("op-1").subscribe(seen::add, errors::add);
        clock.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(errors).isEmpty();
        assertThat(seen).extracting(Operation::statusAsString).containsExactly("SUBMITTED", "PENDING", "SUCCESS");
    }
}
