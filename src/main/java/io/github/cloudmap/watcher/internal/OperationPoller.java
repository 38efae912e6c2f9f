package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
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
 * Runs the GetOperation poll loop of a watch, built from Reactor operators: a deferred,
 * delayed call {@code repeat}ed until the status is terminal, de-duplicated, under one deadline.
 *
 * <p>Thread-safe and stateless between subscriptions: each subscription gets its own
 * {@link WatchState} and {@link PollSchedule}, so the returned Flux is cold and can be
 * subscribed (or retried) any number of times. Not part of the public API.
 */
public final class OperationPoller {

    private static final Logger log = LoggerFactory.getLogger(OperationPoller.class);

    private final WatchSettings settings;
    private final Retry transientRetry;

    public OperationPoller(WatchSettings settings) {
        this.settings = settings;
        this.transientRetry = Retry.of("cloudmap-getoperation", settings.transientRetry());
    }

    /**
     * Obtains an operation ID from {@code operationId} (subscribed once per subscription), then
     * polls it until SUCCESS or FAIL. One deadline covers both.
     *
     * @param operationId yields the ID to watch: {@code Mono.just(id)} or a submission
     * @param ownerAccount the account that owns a shared namespace, or null
     */
    public Flux<Operation> watch(Mono<String> operationId, String ownerAccount) {
        return Flux.defer(() -> {
            Scheduler scheduler = settings.scheduler().get();
            WatchState state = new WatchState(settings.newPollSchedule(), scheduler.now(TimeUnit.NANOSECONDS));
            Flux<Operation> statuses = operationId
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                            "The submission completed without an OperationId")))
                    .flatMapMany(id -> {
                        state.operationId = id;
                        return poll(id, ownerAccount, state, scheduler);
                    });
            return withDeadline(statuses, state, scheduler);
        });
    }

    private Flux<Operation> poll(String operationId, String ownerAccount, WatchState state, Scheduler scheduler) {
        GetOperationRequest request = GetOperationRequest.builder()
                .operationId(operationId)
                .ownerAccount(ownerAccount)
                .build();
        Mono<Operation> onePoll = Mono.defer(() -> {
            Duration delay = state.schedule.nextDelay();
            Mono<Operation> call = getOperation(request, scheduler)
                    .onErrorResume(error -> absorb(error, state, scheduler));
            return delay.isZero() ? call : call.delaySubscription(delay, scheduler);
        });
        // repeat() resubscribes the deferred poll, so every poll draws a fresh delay; takeUntil
        // cancels the loop right after the terminal status, so no request follows it.
        return onePoll.repeat()
                .doOnNext(operation -> state.lastObserved = operation)
                .filter(state::advances)
                .doOnNext(settings.listener()::onStatusChange)
                .takeUntil(OperationPoller::isTerminal);
    }

    /** One GetOperation call, with bounded retries for what is transient. */
    private Mono<Operation> getOperation(GetOperationRequest request, Scheduler scheduler) {
        String operationId = request.operationId();
        return Mono.defer(() -> {
                    settings.listener().onPoll(operationId);
                    // fromFuture(Supplier) sends a new request per subscription (so retries
                    // resend), and cancelling the Mono cancels the SDK future, which aborts
                    // the HTTP request in flight.
                    return Mono.fromFuture(() -> settings.client().getOperation(request));
                })
                .map(GetOperationResponse::operation)
                .onErrorMap(FailureClassifier::unwrap)
                .retryWhen(ResilienceRetry.forEligible(transientRetry, scheduler,
                        error -> FailureClassifier.classify(error) == FailureClassifier.Kind.TRANSIENT,
                        error -> settings.listener().onTransientError(operationId, error)));
    }

    /** Turns the failures a watch survives into an empty poll; the rest end the watch. */
    private Mono<Operation> absorb(Throwable error, WatchState state, Scheduler scheduler) {
        String operationId = state.operationId;
        switch (FailureClassifier.classify(error)) {
            case THROTTLED:
                log.debug("GetOperation {} throttled; backing off", operationId);
                state.schedule.onThrottled();
                settings.listener().onThrottled(operationId, error);
                return Mono.empty();
            case NOT_FOUND:
                long waited = scheduler.now(TimeUnit.NANOSECONDS) - state.startNanos;
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

    /**
     * One deadline for the whole watch that fires even while a request hangs: the timeout
     * publisher for each next emission is a delay of only the time that is left.
     */
    private Flux<Operation> withDeadline(Flux<Operation> statuses, WatchState state, Scheduler scheduler) {
        Duration timeout = settings.timeout();
        long deadline = state.startNanos + timeout.toNanos();
        Publisher<Long> first = Mono.delay(timeout, scheduler);
        Flux<Operation> expired = Flux.defer(() ->
                Flux.error(new OperationTimeoutException(state.operationId, state.lastObserved, timeout)));
        return statuses.timeout(first,
                emitted -> Mono.delay(Duration.ofNanos(
                        Math.max(0L, deadline - scheduler.now(TimeUnit.NANOSECONDS))), scheduler),
                expired);
    }

    static boolean isTerminal(Operation operation) {
        OperationStatus status = operation.status();
        return status == OperationStatus.SUCCESS || status == OperationStatus.FAIL;
    }

    /** The state of one subscription; its polls run one after another, never concurrently. */
    private static final class WatchState {
        final PollSchedule schedule;
        final long startNanos;
        volatile String operationId;
        volatile Operation lastObserved;
        private int lastRank = -1;

        WatchState(PollSchedule schedule, long startNanos) {
            this.schedule = schedule;
            this.startNanos = startNanos;
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
            return true;
        }

        private static int rank(OperationStatus status) {
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
                    // PENDING, and a status newer than this SDK (UNKNOWN_TO_SDK_VERSION or
                    // null) which can only mean "not finished yet": polling goes on.
                    return 1;
            }
        }
    }
}
