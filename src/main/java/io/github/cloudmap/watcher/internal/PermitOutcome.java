package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.RequestBudget;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import reactor.core.publisher.Mono;

/**
 * Reports how a request sent under a permit ended, the same way for every caller (polls,
 * submissions, sweeps), so an adaptive budget learns only from what the service said:
 * <ul>
 *   <li>a result, and an error answer that is not a throttle (4xx: {@code OperationNotFound},
 *       {@code InvalidInput}, {@code DuplicateRequest}, {@code AccessDenied}): the service read
 *       and counted the request, so it had room for it: {@code onAnswered};</li>
 *   <li>a throttle: {@code onThrottled};</li>
 *   <li>a 5xx, an I/O failure, a timeout ({@code RequestTimeout} included), a cancellation, or
 *       an error that is not the service's answer at all: nothing was learnt about the quota,
 *       and a brownout must not raise the rate: {@code onUnanswered}.</li>
 * </ul>
 * Stateless. Not part of the public API.
 */
final class PermitOutcome {

    private PermitOutcome() {}

    /** {@code request} with its outcome reported once to {@code permit}. */
    static <T> Mono<T> reported(Mono<T> request, RequestBudget.Permit permit) {
        return request
                .doOnSuccess(value -> permit.onAnswered())
                .doOnError(error -> report(permit, error))
                .doOnCancel(permit::onUnanswered);
    }

    /** A function for {@code flatMap}: sends {@code request} under each permit. */
    static <T> Function<RequestBudget.Permit, Mono<T>> sending(Mono<T> request) {
        return permit -> reported(request, permit);
    }

    static void report(RequestBudget.Permit permit, Throwable error) {
        switch (FailureClassifier.classify(error)) {
            case THROTTLED -> permit.onThrottled();
            case TRANSIENT -> permit.onUnanswered();
            // Only the service's own answer says it had room; anything else (a submission's own
            // bug, an SDK client error before sending) says nothing about the quota.
            default -> {
                if (FailureClassifier.unwrap(error) instanceof AwsServiceException) {
                    permit.onAnswered();
                } else {
                    permit.onUnanswered();
                }
            }
        }
    }
}
