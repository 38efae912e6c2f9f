package io.github.cloudmap.watcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * How the watcher reads the failures of Cloud Map calls, for code that handles the same
 * failures itself (a command line, a retry of the caller's own, a log line): the
 * {@code CompletionException} layers of the async SDK stripped, throttling and transient
 * failures told apart the way the watcher tells them apart.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * watcher.submitAndAwait(submission)
 *     .onErrorResume(e -> CloudMapErrors.isThrottling(e),
 *         e -> Mono.error(new ServiceBusyException(CloudMapErrors.unwrap(e))));
 * }</pre>
 */
public final class CloudMapErrors {

    private static final Set<Integer> RETRYABLE_STATUS_CODES = Set.of(500, 502, 503, 504);
    private static final Set<String> RETRYABLE_ERROR_CODES =
            Set.of("RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete");

    private CloudMapErrors() {}

    /**
     * Strips the {@link CompletionException} / {@link ExecutionException} layers that
     * {@code CompletableFuture}-based SDK calls add, so callers see the SDK's own exception.
     *
     * @param failure what a call failed with
     * @return the first cause that is neither, or {@code failure} itself
     * @throws NullPointerException if {@code failure} is null
     */
    public static Throwable unwrap(Throwable failure) {
        Objects.requireNonNull(failure, "failure must not be null");
        Throwable current = failure;
        // A cause chain can loop (A -> B -> A): remember what was seen, as hasCause does.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null && seen.add(current)) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * True when the service asked the caller to slow down: the SDK's
     * {@code isThrottlingException()} (ThrottlingException, RequestLimitExceeded, HTTP 429 and
     * the other throttling codes), after {@linkplain #unwrap(Throwable) unwrapping}. The watcher
     * backs off and goes on polling; a throttled submission is sent again. False for null.
     *
     * @param failure what a call failed with
     * @return true for a throttle
     */
    public static boolean isThrottling(Throwable failure) {
        return failure != null && unwrap(failure) instanceof SdkServiceException serviceError
                && serviceError.isThrottlingException();
    }

    /**
     * True for a failure that may pass if the same call is sent again soon: HTTP 500, 502, 503
     * or 504, a {@code RequestTimeout} or {@code PriorRequestNotComplete}, the SDK's call
     * timeouts, or an I/O failure (connection reset or refused, read timeout, connection-pool
     * acquire timeout), after {@linkplain #unwrap(Throwable) unwrapping}. Throttling is not
     * transient here: see {@link #isThrottling(Throwable)}. False for null.
     *
     * @param failure what a call failed with
     * @return true for a failure worth retrying soon
     */
    public static boolean isTransient(Throwable failure) {
        if (failure == null) {
            return false;
        }
        Throwable error = unwrap(failure);
        if (error instanceof SdkServiceException serviceError) {
            if (serviceError.isThrottlingException()) {
                return false;
            }
            // The status and error codes the SDK itself retries; 501 Not Implemented will not get better.
            boolean transientCode = serviceError instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    && RETRYABLE_ERROR_CODES.contains(aws.awsErrorDetails().errorCode());
            return transientCode || RETRYABLE_STATUS_CODES.contains(serviceError.statusCode());
        }
        if (error instanceof ApiCallAttemptTimeoutException || error instanceof ApiCallTimeoutException) {
            return true;
        }
        // Connection resets, refused connections and read timeouts reach us as an
        // SdkClientException caused by an IOException; a connection-pool acquire timeout (many
        // watches on one client) as one caused by a TimeoutException. Configuration problems
        // such as missing credentials are SdkClientExceptions too, but retrying those is pointless.
        return hasCause(error, IOException.class, UncheckedIOException.class, TimeoutException.class);
    }

    @SafeVarargs
    private static boolean hasCause(Throwable error, Class<? extends Throwable>... types) {
        // A cause chain can loop (A -> B -> A): remember what was seen.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
