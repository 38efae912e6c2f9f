package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationFailedException;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Sends a mutating request, watches the operation it starts, and sends the request again when
 * the operation FAILs with a retryable code (THROTTLED_REQUEST) or the submission itself is
 * throttled, under a Resilience4j policy (attempts, backoff, its own exception predicate).
 *
 * <p>The returned Flux emits every attempt's status changes in order, including the FAIL that
 * causes a resubmission; a new attempt starts with a new OperationId. A submission answered
 * with {@code DuplicateRequest} (the same work is already running as another operation) follows
 * that operation instead. It ends after the first SUCCESS, after a FAIL that is not retried (a
 * non-retryable code, or the policy's attempts are used up), with the error that stopped it, or
 * at the overall deadline if one is set. Thread-safe and cold. Not part of the public API.
 */
final class Resubmitter {

    private static final Logger log = LoggerFactory.getLogger(Resubmitter.class);

    private final WatchSettings settings;
    private final OperationPoller poller;
    /** Hears each submitAndWatch for tracing; {@link WatchObserver#NONE} without an ObservationRegistry. */
    private final WatchObserver observer;

    Resubmitter(WatchSettings settings, OperationPoller poller) {
        this(settings, poller, WatchObserver.NONE);
    }

    Resubmitter(WatchSettings settings, OperationPoller poller, WatchObserver observer) {
        this.settings = settings;
        this.poller = poller;
        this.observer = observer;
    }

    /**
     * See the class documentation; {@code submission} must send a new request per subscription.
     *
     * @param ownerAccount the account that owns a shared namespace, or null for the caller's own
     */
    Flux<Operation> submitAndWatch(Mono<String> submission, String ownerAccount) {
        return Flux.defer(() -> {
            Scheduler scheduler = settings.scheduler().get();
            SubmitState state = new SubmitState(Clocks.nanos(scheduler));
            Mono<String> validated = budgeted(submission)
                    .doOnSubscribe(s -> state.submissions.incrementAndGet())
                    .onErrorMap(FailureClassifier::unwrap)
                    .onErrorResume(DuplicateRequestException.class, this::followDuplicate)
                    .map(id -> Arguments.operationId(id, "the OperationId returned by the submission"))
                    .doOnNext(id -> state.operationId = id);
            Flux<Operation> oneAttempt = poller.watch(validated, ownerAccount)
                    .handle((operation, sink) -> {
                        sink.next(operation);
                        if (isRetryableFail(operation)) {
                            // An error is how retryWhen learns to resubscribe; it never escapes.
                            sink.error(new RetryableFailure(operation));
                        }
                    });
            Retry.AsyncContext<Object> context = settings.resubmission().asyncContext();
            AtomicInteger attempt = new AtomicInteger(1);
            Flux<Operation> attempts = oneAttempt.retryWhen(reactor.util.retry.Retry.from(signals -> signals
                    .<Long>handle((signal, sink) -> {
                        Throwable failure = signal.failure();
                        Operation failed = failure instanceof RetryableFailure rf ? rf.operation : null;
                        if (failed == null && !FailureClassifier.isThrottling(failure)) {
                            sink.error(failure);
                            return;
                        }
                        Throwable cause = failed != null ? new OperationFailedException(failed) : failure;
                        long waitMillis = context.onError(cause);
                        if (waitMillis < 0) {
                            // Out of attempts: a FAIL was already emitted as data and ends the
                            // Flux like any FAIL; a throttled submission surfaces as its error.
                            if (failed != null) {
                                sink.complete();
                            } else {
                                sink.error(failure);
                            }
                            return;
                        }
                        settings.listener().onResubmit(failed, cause, attempt.incrementAndGet());
                        sink.next(waitMillis);
                    })
                    .concatMap(waitMillis -> Mono.delay(Duration.ofMillis(waitMillis), scheduler))))
                    .doOnNext(operation -> {
                        state.lastObserved = operation;
                        if (operation.status() == OperationStatus.SUCCESS) {
                            context.onComplete(); // for the Retry's metrics and events
                        }
                    });
            return observer.submission(withOverallDeadline(attempts, state, scheduler), ownerAccount,
                    state.submissions::get);
        });
    }

    /**
     * A {@code DuplicateRequest} names the operation already doing this work (a create or a
     * registration sent twice, a retry of a request whose answer was lost): follow it rather
     * than fail. Without a {@code DuplicateOperationId} there is nothing to follow.
     */
    private Mono<String> followDuplicate(DuplicateRequestException duplicate) {
        String operationId = duplicate.duplicateOperationId();
        if (operationId == null || operationId.isBlank()) {
            return Mono.error(duplicate);
        }
        log.debug("Submission answered DuplicateRequest; following operation {}", operationId);
        settings.listener().onDuplicate(operationId, duplicate);
        return Mono.just(operationId);
    }

    /**
     * The overall deadline, if set, over all attempts and the waits between them: one deadline
     * from subscription that fires even while a request hangs (the timeout for each next
     * emission is a delay of only the time that is left).
     */
    private Flux<Operation> withOverallDeadline(Flux<Operation> attempts, SubmitState state, Scheduler scheduler) {
        Duration overall = settings.overallTimeout();
        if (overall == null) {
            return attempts;
        }
        long deadline = state.startNanos + overall.toNanos();
        // The deadline fires on the timer thread, which every watch's delays and deadlines share:
        // hand the error over to a delivery worker like every other signal, so a subscriber that
        // blocks in onError holds up only itself.
        Flux<Operation> expired = Flux.defer(() -> Flux.<Operation>error(new OperationTimeoutException(
                        state.operationId, state.lastObserved, overall, Math.max(1, state.submissions.get()))))
                .subscribeOn(poller.deliveryScheduler(scheduler));
        return attempts.timeout(
                Mono.delay(overall, scheduler),
                emitted -> Mono.delay(Duration.ofNanos(
                        Math.max(0L, deadline - Clocks.nanos(scheduler))), scheduler),
                expired);
    }

    /**
     * Each subscription (each attempt) waits for a permit of the submission budget, inside the
     * attempt's deadline, and reports whether the submission was throttled.
     */
    private Mono<String> budgeted(Mono<String> submission) {
        return Mono.defer(() -> settings.submissionBudget().acquire(settings.scheduler().get()))
                .flatMap(PermitOutcome.sending(submission));
    }

    private static boolean isRetryableFail(Operation operation) {
        return operation.status() == OperationStatus.FAIL
                && OperationFailedException.isRetryableErrorCode(operation.errorCode());
    }

    /** What one submitAndWatch knows, for its overall timeout message. */
    private static final class SubmitState {
        final long startNanos;
        final AtomicInteger submissions = new AtomicInteger();
        volatile String operationId;
        volatile Operation lastObserved;

        SubmitState(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /** Carries a retryable FAIL from the attempt to the retry policy. */
    private static final class RetryableFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Operation operation;

        RetryableFailure(Operation operation) {
            super("retryable FAIL of operation " + operation.id(), null, false, false);
            this.operation = operation;
        }
    }
}
