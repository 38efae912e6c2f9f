package io.github.cloudmap.watcher.observation;

/** How one GetOperation request ended: the {@code cloudmap.poll.outcome} key. */
public enum PollOutcome {
    /** Cloud Map answered with the operation. */
    ANSWERED,
    /** Throttled by the service; the watch backs off and goes on. */
    THROTTLED,
    /** HTTP 5xx (or RequestTimeout): retried a bounded number of times. */
    SERVER_ERROR,
    /** An I/O failure or a timeout of the SDK: retried a bounded number of times. */
    IO_ERROR,
    /** OperationNotFound: tolerated within the grace window. */
    NOT_FOUND,
    /** Any other error (InvalidInput, access denied): ends the watches. */
    CLIENT_ERROR,
    /** The watch ended (cancel, deadline) while the request waited for its permit or its answer. */
    CANCELLED
}
