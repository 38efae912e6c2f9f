package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.CloudMapErrors;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;

/**
 * Sorts the failures of an SDK call into what the watcher does about them. The service's own
 * codes are read by the public {@link CloudMapErrors}, so users who handle the same failures
 * read them the same way; this adds what only the poll loop knows (its rate budget, the
 * not-found grace window).
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class FailureClassifier {

    /** What a failed call means for the watch. */
    enum Kind {
        /**
         * The service asked us to slow down: never fatal while the deadline allows.
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

    private FailureClassifier() {}

    /** See {@link CloudMapErrors#unwrap(Throwable)}. */
    static Throwable unwrap(Throwable failure) {
        return CloudMapErrors.unwrap(failure);
    }

    /** Classifies a failure, after {@linkplain #unwrap(Throwable) unwrapping} it. */
    static Kind classify(Throwable failure) {
        Throwable error = unwrap(failure);
        if (error instanceof OperationNotFoundException) {
            return Kind.NOT_FOUND;
        }
        if (CloudMapErrors.isThrottling(error)) {
            return Kind.THROTTLED;
        }
        return CloudMapErrors.isTransient(error) ? Kind.TRANSIENT : Kind.FATAL;
    }

    /** True when the service throttled the call, or the watcher's own budget had no permit. */
    static boolean isThrottling(Throwable failure) {
        return classify(failure) == Kind.THROTTLED;
    }
}
