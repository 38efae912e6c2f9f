package io.github.cloudmap.watcher.observation;

/** How a watch or a {@code submitAndWatch} ended: the {@code cloudmap.operation.outcome} key. */
public enum WatchOutcome {
    /** The operation reached SUCCESS. */
    SUCCESS,
    /** The operation reached FAIL (see {@code cloudmap.operation.error_code}). */
    FAIL,
    /** The deadline passed first ({@code OperationTimeoutException}). */
    TIMEOUT,
    /** The subscriber cancelled: only the watching stopped (Cloud Map cannot cancel an operation). */
    CANCELLED,
    /** Another error ended it (access denied, not found after the grace window, retries used up...). */
    ERROR
}
