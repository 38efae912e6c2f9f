package io.github.cloudmap.watcher.internal;

import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;

/**
 * Sorts the failures of an SDK call into what the watcher does about them.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
public final class FailureClassifier {

    /** What a failed call means for the watch. */
    public enum Kind {
        /**
         * The service asked us to slow down, or the watcher's own rate budget had no permit in
         * time: never fatal while the deadline allows.
         */
        THROTTLED,
        /**
         * HTTP 500/502/503/504, a RequestTimeout, an I/O failure or a timeout: worth a bounded
         * number of quick retries.
         */
        TRANSIENT,
        /** Cloud Map does not know the operation (yet): tolerated for a grace window. */
        NOT_FOUND,
        /** Anything else (InvalidInput, access denied, other 4xx, programming errors): fail at once. */
        FATAL
    }

    private static final Set<Integer> RETRYABLE_STATUS_CODES = Set.of(500, 502, 503, 504);
    private static final Set<String> RETRYABLE_ERROR_CODES =
            Set.of("RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete");

    private FailureClassifier() {}

    /**
     * Strips the {@link CompletionException} / {@link ExecutionException} layers that
     * {@code CompletableFuture}-based SDK calls add, so callers see the SDK's own exception.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Classifies a failure, after {@linkplain #unwrap(Throwable) unwrapping} it. */
    public static Kind classify(Throwable failure) {
        Throwable error = unwrap(failure);
        if (error instanceof RequestNotPermitted) {
            // Our own rate budget had no permit in time: the same as being throttled.
            return Kind.THROTTLED;
        }
        if (error instanceof OperationNotFoundException) {
            return Kind.NOT_FOUND;
        }
        if (error instanceof SdkServiceException serviceError) {
            // AwsServiceException overrides this to cover ThrottlingException,
            // RequestLimitExceeded, HTTP 429 and the other throttling codes.
            if (serviceError.isThrottlingException()) {
                return Kind.THROTTLED;
            }
            // The status and error codes the SDK itself retries; 501 Not Implemented will not get better.
            boolean transientCode = serviceError instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    && RETRYABLE_ERROR_CODES.contains(aws.awsErrorDetails().errorCode());
            return transientCode || RETRYABLE_STATUS_CODES.contains(serviceError.statusCode())
                    ? Kind.TRANSIENT : Kind.FATAL;
        }
        if (error instanceof ApiCallAttemptTimeoutException || error instanceof ApiCallTimeoutException) {
            return Kind.TRANSIENT;
        }
        // Connection resets, refused connections and read timeouts reach us as an
        // SdkClientException caused by an IOException; a connection-pool acquire timeout (many
        // watches on one client) as one caused by a TimeoutException. Configuration problems
        // such as missing credentials are SdkClientExceptions too, but retrying those is pointless.
        return hasCause(error, IOException.class, UncheckedIOException.class, TimeoutException.class)
                ? Kind.TRANSIENT : Kind.FATAL;
    }

    /** True when the service throttled the call. */
    public static boolean isThrottling(Throwable failure) {
        return classify(failure) == Kind.THROTTLED;
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
