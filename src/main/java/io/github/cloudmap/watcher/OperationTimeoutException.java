package io.github.cloudmap.watcher;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * A watch reached its deadline before the operation reached SUCCESS or FAIL: the deadline of
 * one watch (or of one {@code submitAndWatch} attempt, {@link OperationWatcherBuilder#timeout}),
 * or the {@linkplain OperationWatcherBuilder#overallTimeout overall deadline} of a whole
 * {@code submitAndWatch} ({@link #isOverall()}).
 *
 * <p>This does not mean the operation failed or was cancelled: Cloud Map has no API to cancel
 * an operation, so it may still finish. {@link #lastObserved()} is the last state the watch
 * saw (null if no GetOperation answered in time). To keep waiting, watch the same operation ID
 * again: the new watch polls afresh and emits the status it finds first.
 *
 * <p>Serializable: {@link #operationId()}, {@link #lastStatus()}, {@link #timeout()},
 * {@link #isOverall()} and {@link #attempts()} are plain fields, and {@link #lastObserved()} is
 * rebuilt from fields after deserialization (an equal {@code Operation}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * watcher.submitAndAwait(submission)
 *     .onErrorResume(OperationTimeoutException.class, e ->
 *         Mono.error(new IllegalStateException("still " + e.lastStatus() + " after " + e.timeout(), e)));
 * }</pre>
 */
public class OperationTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 2L;

    /** The watched operation's ID, or null if no submission returned one in time. */
    private final String operationId;
    /** The last state seen, in a serializable form, or null if none was seen. */
    private final OperationSnapshot lastSnapshot;
    /** The configured deadline that was reached. */
    private final Duration timeout;
    /** True for the overall deadline of a {@code submitAndWatch}. */
    private final boolean overall;
    /** Submissions sent when the overall deadline fired; 1 otherwise. */
    private final int attempts;
    private transient volatile Operation lastObserved;

    /**
     * The deadline of one watch, or of one attempt of a {@code submitAndWatch}.
     *
     * @param operationId the watched operation, or null if the submission itself timed out
     * @param lastObserved the last state seen, or null
     * @param timeout the deadline that was reached
     * @throws NullPointerException if {@code timeout} is null
     */
    public OperationTimeoutException(String operationId, Operation lastObserved, Duration timeout) {
        this(operationId, lastObserved, timeout, false, 1, null);
    }

    /**
     * A watch's deadline, with what else the watch knew when it passed.
     *
     * @param operationId the watched operation, or null if the submission itself timed out
     * @param lastObserved the last state seen, or null
     * @param timeout the deadline that was reached
     * @param detail what else the watch knew when the deadline passed (e.g. that its requests
     *        were waiting for the rate budget), or null
     * @throws NullPointerException if {@code timeout} is null
     */
    public OperationTimeoutException(String operationId, Operation lastObserved, Duration timeout, String detail) {
        this(operationId, lastObserved, timeout, false, 1, detail);
    }

    /**
     * The overall deadline of a whole {@code submitAndWatch}, across its attempts.
     *
     * @param operationId the operation of the latest attempt that returned one, or null if none did
     * @param lastObserved the last state seen of any attempt, or null
     * @param overallTimeout the overall deadline that was reached
     * @param attempts how many submissions had been sent (at least 1)
     * @throws NullPointerException if {@code overallTimeout} is null
     * @throws IllegalArgumentException if {@code attempts < 1}
     */
    public OperationTimeoutException(String operationId, Operation lastObserved, Duration overallTimeout,
                                     int attempts) {
        this(operationId, lastObserved, overallTimeout, true, attempts, null);
    }

    private OperationTimeoutException(String operationId, Operation lastObserved, Duration timeout,
                                      boolean overall, int attempts, String detail) {
        super(describe(operationId, lastObserved, Objects.requireNonNull(timeout, "timeout"), overall,
                positiveAttempts(attempts)) + (detail == null ? "" : "; " + detail));
        this.operationId = operationId;
        this.lastObserved = lastObserved;
        this.lastSnapshot = OperationSnapshot.of(lastObserved);
        this.timeout = timeout;
        this.overall = overall;
        this.attempts = attempts;
    }

    private static int positiveAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, but was " + attempts);
        }
        return attempts;
    }

    private static String describe(String operationId, Operation lastObserved, Duration timeout, boolean overall,
                                   int attempts) {
        String what = operationId == null
                ? "The submission of a Cloud Map operation"
                : "Cloud Map operation " + operationId;
        String deadline = overall
                ? " did not finish within the overall submitAndWatch timeout of " + timeout + " after "
                        + attempts + (attempts == 1 ? " submission" : " submissions")
                : " did not finish within " + timeout;
        String last = lastObserved == null
                ? "no status was observed: GetOperation did not answer in time, or answered only"
                        + " OperationNotFound (check the ID, the Region and the owner account) or throttling"
                : "last observed status " + lastObserved.statusAsString();
        return what + deadline + " (" + last
                + "); the operation may still complete: Cloud Map cannot cancel operations";
    }

    /**
     * {@return the watched operation's ID, or null if the deadline passed before the submission
     * returned one}
     */
    public String operationId() {
        return operationId;
    }

    /**
     * The last state the watch saw, or null if none: the object GetOperation returned, or after
     * Java deserialization an equal one rebuilt from this exception's fields.
     *
     * @return the last operation seen, or null
     */
    public Operation lastObserved() {
        Operation current = lastObserved;
        if (current == null && lastSnapshot != null) {
            current = lastSnapshot.toOperation();
            lastObserved = current; // a benign race: every thread builds an equal value
        }
        return current;
    }

    /** {@return the status of {@link #lastObserved()} (SUBMITTED or PENDING), or null if none was seen} */
    public OperationStatus lastStatus() {
        return lastSnapshot == null ? null : OperationStatus.fromValue(lastSnapshot.status());
    }

    /** {@return the configured deadline that was reached} */
    public Duration timeout() {
        return timeout;
    }

    /**
     * True when the {@linkplain OperationWatcherBuilder#overallTimeout overall deadline} of a
     * {@code submitAndWatch} fired; false for the deadline of one watch or attempt.
     *
     * @return true for the overall deadline
     */
    public boolean isOverall() {
        return overall;
    }

    /**
     * For the {@linkplain #isOverall() overall deadline}, how many submissions had been sent when
     * it fired; otherwise 1: the deadline belongs to one watch or one attempt.
     *
     * @return the number of submissions sent, or 1
     */
    public int attempts() {
        return attempts;
    }
}
