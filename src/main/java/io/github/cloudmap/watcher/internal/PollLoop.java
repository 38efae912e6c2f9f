package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * The GetOperation poll loop of one operation, built from Reactor operators: a deferred,
 * delayed call {@code repeat}ed until the status is terminal, de-duplicated. It has no deadline
 * of its own: each watch that shares the loop brings its own.
 *
 * <p>Thread-safe; the Flux it returns is cold, and each subscription gets its own backoff
 * state. Not part of the public API.
 */
final class PollLoop {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final WatchSettings settings;
    /** Wakes loops early from ListOperations sweeps; null unless coalesced polling is on. */
    private final SweepCoordinator coordinator;
    /** Hears each request for tracing; {@link WatchObserver#NONE} without an ObservationRegistry. */
    private final WatchObserver observer;

    PollLoop(WatchSettings settings) {
        this(settings, WatchObserver.NONE);
    }

    PollLoop(WatchSettings settings, WatchObserver observer) {
        this.settings = settings;
        this.coordinator = settings.sweepInterval() != null ? new SweepCoordinator(settings) : null;
        this.observer = observer;
    }

    /** The coalesced-polling coordinator, or null when it is off; for tests. */
    SweepCoordinator coordinator() {
        return coordinator;
    }

    /** Polls {@code operationId} until SUCCESS or FAIL, emitting the first status and each change. */
    Flux<Operation> statuses(String operationId, String ownerAccount) {
        GetOperationRequest request = GetOperationRequest.builder()
                .operationId(operationId)
                .ownerAccount(ownerAccount)
                .overrideConfiguration(RequestOverrides.CONFIGURATION)
                .build();
        return Flux.defer(() -> {
            Scheduler scheduler = settings.scheduler().get();
            // Operations of another account never show in our ListOperations: no coalescing for them.
            SweepCoordinator.Ticket ticket = coordinator != null && ownerAccount == null
                    ? coordinator.register(operationId) : null;
            LoopState state = new LoopState(settings.newPollSchedule(), Clocks.nanos(scheduler), ticket);
            Mono<Operation> onePoll = Mono.defer(() -> {
                Duration delay = state.schedule.nextDelay();
                Mono<Operation> call = getOperation(request, scheduler)
                        .onErrorResume(error -> absorb(operationId, error, state, scheduler));
                if (delay.isZero()) {
                    return call;
                }
                // Coalesced: the first of the usual delay and a sweep's wake-up, so a sweep that
                // is slow or refused leaves the usual schedule, never a slower one.
                return ticket == null ? call.delaySubscription(delay, scheduler)
                        : call.delaySubscription(ticket.wakeAfter(delay, scheduler));
            });
            // repeat() resubscribes the deferred poll, so every poll draws a fresh delay;
            // takeUntil cancels the loop right after the terminal status, so no request follows.
            Flux<Operation> loop = onePoll.repeat()
                    .filter(state::advances)
                    .doOnNext(settings.listener()::onStatusChange)
                    .takeUntil(PollLoop::isTerminal);
            return ticket == null ? loop : loop.doFinally(signal -> ticket.close());
        });
    }

    /** One GetOperation call within the rate budget, with bounded retries for what is transient. */
    private Mono<Operation> getOperation(GetOperationRequest request, Scheduler scheduler) {
        String operationId = request.operationId();
        RequestBudget budget = settings.pollBudget();
        // Every attempt, retries included, waits for a permit of its own. The wait is part of
        // the watch: cancelling the watch (or its deadline) cancels it, and a cancelled wait
        // takes no permit.
        Mono<GetOperationResponse> budgeted = Mono.defer(() -> {
            long askedNanos = Clocks.nanos(scheduler);
            WatchObserver.Poll poll = observer.poll(operationId, request.ownerAccount(), scheduler);
            return poll.observe(budget.acquire(scheduler).flatMap(permit -> {
                poll.permitted();
                long waited = Clocks.nanos(scheduler) - askedNanos;
                if (waited > 0) {
                    settings.listener().onBudgetWait(operationId, Duration.ofNanos(waited));
                }
                return send(request, permit, poll);
            }));
        });
        return ResilienceRetry.retry(
                budgeted.map(GetOperationResponse::operation).onErrorMap(FailureClassifier::unwrap),
                settings.transientRetry(), scheduler,
                error -> FailureClassifier.classify(error) == FailureClassifier.Kind.TRANSIENT,
                error -> settings.listener().onTransientError(operationId, error));
    }

    /** Sends one request under {@code permit} and reports how it went, exactly once. */
    private Mono<GetOperationResponse> send(GetOperationRequest request, RequestBudget.Permit permit,
            WatchObserver.Poll poll) {
        settings.listener().onPoll(request.operationId());
        // fromFuture(Supplier) sends a new request per subscription (so retries resend),
        // and cancelling the Mono cancels the SDK future, which aborts the HTTP request.
        return PermitOutcome.reported(Mono.fromFuture(() -> poll.send(() -> settings.client().getOperation(request))), permit);
    }

    /** Turns the failures a watch survives into an empty poll; the rest end the loop. */
    private Mono<Operation> absorb(String operationId, Throwable error, LoopState state, Scheduler scheduler) {
        switch (FailureClassifier.classify(error)) {
            case THROTTLED:
                log.debug("GetOperation {} throttled; backing off", operationId);
                state.schedule.onThrottled();
                settings.listener().onThrottled(operationId, error);
                return Mono.empty();
            case NOT_FOUND:
                long waited = Clocks.nanos(scheduler) - state.startNanos;
                if (waited < settings.notFoundGrace().toNanos()) {
                    log.debug("Operation {} not found yet; within the grace window", operationId);
                    settings.listener().onNotFound(operationId);
                    return Mono.empty();
                }
                return Mono.error(error);
            default:
                return Mono.error(error);
        }
    }

    static boolean isTerminal(Operation operation) {
        OperationStatus status = operation.status();
        return status == OperationStatus.SUCCESS || status == OperationStatus.FAIL;
    }

    /** The state of one loop; its polls run one after another, never concurrently. */
    private static final class LoopState {
        final PollSchedule schedule;
        final long startNanos;
        private final SweepCoordinator.Ticket ticket;
        private int lastRank = -1;

        LoopState(PollSchedule schedule, long startNanos, SweepCoordinator.Ticket ticket) {
            this.schedule = schedule;
            this.startNanos = startNanos;
            this.ticket = ticket;
        }

        /**
         * True for a status later than any seen: the first one, then each change. A stale read
         * of an earlier status after a later one (eventual consistency) is not a change.
         */
        boolean advances(Operation operation) {
            int rank = rank(operation.status());
            if (rank <= lastRank) {
                return false;
            }
            lastRank = rank;
            if (ticket != null) {
                ticket.seen(rank);
            }
            return true;
        }
    }

    /** Orders statuses: SUBMITTED, then PENDING (or a status newer than this SDK), then terminal. */
    static int rank(OperationStatus status) {
        if (status == null) {
            return 1;
        }
        switch (status) {
            case SUBMITTED:
                return 0;
            case SUCCESS:
            case FAIL:
                return 2;
            default:
                // PENDING, and a status newer than this SDK (UNKNOWN_TO_SDK_VERSION), which
                // can only mean "not finished yet": polling goes on. Ranking both alike means
                // a PENDING right after an unknown status is not emitted again.
                return 1;
        }
    }
}
