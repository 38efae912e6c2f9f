package io.github.cloudmap.watcher;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * A watch reached its deadline before the operation reached SUCCESS or FAIL.
 *
 * <p>This does not mean the operation failed or was cancelled: Cloud Map has no API to cancel
 * an operation, so it may still finish. {@link #lastObserved()} is the last state the watch
 * saw (null if no GetOperation answered in time). To keep waiting, watch the same operation ID
 * again: the new watch polls afresh and emits the status it finds first.
 *
 * <p>Immutable and thread-safe.
 */
public class OperationTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operationId;
    private final transient Operation lastObserved;
    private final Duration timeout;

    /**
     * @param operationId the watched operation, or null if the submission itself timed out
     * @param lastObserved the last state seen, or null
     * @param timeout the deadline that was reached
     */
    public OperationTimeoutException(String operationId, Operation lastObserved, Duration timeout) {
        this(operationId, lastObserved, timeout, null);
    }

    /**
     * @param operationId the watched operation, or null if the submission itself timed out
     * @param lastObserved the last state seen, or null
     * @param timeout the deadline that was reached
     * @param detail what else the watch knew when the deadline passed (e.g. that its requests
     *        were waiting for the rate budget), or null
     */
    public OperationTimeoutException(String operationId, Operation lastObserved, Duration timeout, String detail) {
        super(describe(operationId, lastObserved, Objects.requireNonNull(timeout, "timeout"))
                + (detail == null ? "" : "; " + detail));
        this.operationId = operationId;
        this.lastObserved = lastObserved;
        this.timeout = timeout;
    }

    private static String describe(String operationId, Operation lastObserved, Duration timeout) {
        String what = operationId == null
                ? "The submission of a Cloud Map operation"
                : "Cloud Map operation " + operationId;
        String last = lastObserved == null
                ? "no status was observed: GetOperation did not answer in time, or answered only"
                        + " OperationNotFound (check the ID, the Region and the owner account) or throttling"
                : "last observed status " + lastObserved.statusAsString();
        return what + " did not finish within " + timeout + " (" + last
                + "); the operation may still complete: Cloud Map cannot cancel operations";
    }

    /** The watched operation's ID, or null if the deadline passed before the submission returned one. */
    public String operationId() {
        return operationId;
    }

    /** The last state the watch saw, or null if none. */
    public Operation lastObserved() {
        return lastObserved;
    }

    /** The configured deadline that was reached. */
    public Duration timeout() {
        return timeout;
    }
}
