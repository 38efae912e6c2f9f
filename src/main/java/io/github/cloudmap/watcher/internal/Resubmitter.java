package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationFailedException;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Sends a mutating request, watches the operation it starts, and sends the request again when
 * the operation FAILs with a retryable code (THROTTLED_REQUEST) or the submission itself is
 * throttled, under a Resilience4j policy (attempts, backoff, its own exception predicate).
 *
 * <p>The returned Flux emits every attempt's status changes in order, including the FAIL that
 * causes a resubmission; a new attempt starts with a new OperationId. It ends after the first
 * SUCCESS, after a FAIL that is not retried (a non-retryable code, or the policy's attempts are
 * used up), or with the error that stopped it. Thread-safe and cold. Not part of the public API.
 */
public final class Resubmitter {

    private final WatchSettings settings;
    private final OperationPoller poller;

    public Resubmitter(WatchSettings settings, OperationPoller poller) {
        this.settings = settings;
        this.poller = poller;
    }

    /** See the class documentation; {@code submission} must send a new request per subscription. */
    public Flux<Operation> submitAndWatch(Mono<String> submission) {
        Mono<String> validated = budgeted(submission)
                .onErrorMap(FailureClassifier::unwrap)
                .map(id -> Arguments.operationId(id, "the OperationId returned by the submission"));
        Flux<Operation> oneAttempt = poller.watch(validated, null)
                .handle((operation, sink) -> {
                    sink.next(operation);
                    if (isRetryableFail(operation)) {
                        // An error is how retryWhen learns to resubscribe; it never escapes.
                        sink.error(new RetryableFailure(operation));
                    }
                });
        return Flux.defer(() -> {
            Scheduler scheduler = settings.scheduler().get();
            Retry.AsyncContext<Object> context = settings.resubmission().asyncContext();
            AtomicInteger attempt = new AtomicInteger(1);
            return oneAttempt.retryWhen(reactor.util.retry.Retry.from(signals -> signals
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
                        if (operation.status() == OperationStatus.SUCCESS) {
                            context.onComplete(); // for the Retry's metrics and events
                        }
                    });
        });
    }

    /**
     * Each subscription (each attempt) waits for a permit of the submission budget, inside the
     * attempt's deadline, and reports whether the submission was throttled.
     */
    private Mono<String> budgeted(Mono<String> submission) {
        return Mono.defer(() -> settings.submissionBudget().acquire(settings.scheduler().get()))
                .flatMap(permit -> submission
                        .doOnSuccess(id -> permit.onAnswered())
                        .doOnError(error -> {
                            if (FailureClassifier.isThrottling(error)) {
                                permit.onThrottled();
                            } else {
                                permit.onAnswered();
                            }
                        })
                        .doOnCancel(permit::onAnswered));
    }

    private static boolean isRetryableFail(Operation operation) {
        return operation.status() == OperationStatus.FAIL
                && OperationFailedException.isRetryableErrorCode(operation.errorCode());
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
