package io.github.cloudmap.watcher;

import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * How the wait for one operation of a batch ended ({@link OperationWatcher#awaitAll}): SUCCESS,
 * FAIL with Cloud Map's error code and message, timed out with the last status seen, another
 * error, or stopped because another operation of a {@linkplain BatchOptions#failFast fail-fast}
 * batch did not succeed.
 *
 * <pre>{@code
 * switch (outcome.kind()) {
 *     case FAIL -> log.warn("{} failed: {} {}", outcome.operationId(), outcome.errorCode(), outcome.errorMessage());
 *     case TIMED_OUT -> log.warn("{} still {}", outcome.operationId(), outcome.lastStatus());
 *     default -> { }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class OperationOutcome {

    /** The ways the wait for one operation can end. */
    public enum Kind {
        /** The operation reached SUCCESS. */
        SUCCESS,
        /** The operation reached FAIL; {@link #errorCode()} and {@link #errorMessage()} say why. */
        FAIL,
        /**
         * Its deadline (or the batch's overall deadline) passed first; {@link #error()} is the
         * {@link OperationTimeoutException}. The operation may still finish.
         */
        TIMED_OUT,
        /** The watch failed with another error (access denied, OperationNotFound...): {@link #error()}. */
        ERROR,
        /**
         * Not watched to its end: another operation of a fail-fast batch did not succeed, so the
         * batch stopped watching it. The operation itself goes on (Cloud Map cannot cancel it).
         */
        STOPPED
    }

    private final String operationId;
    private final Kind kind;
    private final Operation operation;
    private final Throwable error;

    private OperationOutcome(String operationId, Kind kind, Operation operation, Throwable error) {
        this.operationId = Objects.requireNonNull(operationId, "operationId must not be null");
        this.kind = kind;
        this.operation = operation;
        this.error = error;
    }

    /**
     * The outcome of an operation that reached SUCCESS or FAIL.
     *
     * @param terminal the operation in status SUCCESS or FAIL
     * @return a new outcome
     * @throws NullPointerException if {@code terminal} is null
     * @throws IllegalArgumentException if its status is neither SUCCESS nor FAIL
     */
    public static OperationOutcome terminal(Operation terminal) {
        Objects.requireNonNull(terminal, "terminal must not be null");
        if (terminal.status() == OperationStatus.SUCCESS) {
            return new OperationOutcome(terminal.id(), Kind.SUCCESS, terminal, null);
        }
        if (terminal.status() == OperationStatus.FAIL) {
            return new OperationOutcome(terminal.id(), Kind.FAIL, terminal, null);
        }
        throw new IllegalArgumentException("operation " + terminal.id() + " is " + terminal.statusAsString()
                + ", not SUCCESS or FAIL");
    }

    /**
     * The outcome of an operation whose deadline passed.
     *
     * @param operationId the operation's ID
     * @param timeout the exception the deadline raised
     * @return a new outcome
     * @throws NullPointerException if an argument is null
     */
    public static OperationOutcome timedOut(String operationId, OperationTimeoutException timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        return new OperationOutcome(operationId, Kind.TIMED_OUT, timeout.lastObserved(), timeout);
    }

    /**
     * The outcome of a watch that failed with {@code error}.
     *
     * @param operationId the operation's ID
     * @param error what the watch failed with
     * @param lastObserved the last status seen, or null
     * @return a new outcome
     * @throws NullPointerException if {@code operationId} or {@code error} is null
     */
    public static OperationOutcome error(String operationId, Operation lastObserved, Throwable error) {
        Objects.requireNonNull(error, "error must not be null");
        return new OperationOutcome(operationId, Kind.ERROR, lastObserved, error);
    }

    /**
     * The outcome of an operation a fail-fast batch stopped watching.
     *
     * @param operationId the operation's ID
     * @param lastObserved the last status seen, or null
     * @return a new outcome
     * @throws NullPointerException if {@code operationId} is null
     */
    public static OperationOutcome stopped(String operationId, Operation lastObserved) {
        return new OperationOutcome(operationId, Kind.STOPPED, lastObserved, null);
    }

    /** {@return the operation this outcome is about} */
    public String operationId() {
        return operationId;
    }

    /** {@return how the wait ended} */
    public Kind kind() {
        return kind;
    }

    /** {@return true for {@link Kind#SUCCESS}} */
    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }

    /**
     * {@return the terminal operation (SUCCESS, FAIL), or the last state seen before the end, or
     * null if none was seen}
     */
    public Operation operation() {
        return operation;
    }

    /** {@return the last status seen (the terminal one for SUCCESS and FAIL), or null if none was seen} */
    public OperationStatus lastStatus() {
        return operation == null ? null : operation.status();
    }

    /** {@return Cloud Map's {@code ErrorCode} of a FAIL, else null} */
    public String errorCode() {
        return kind == Kind.FAIL ? operation.errorCode() : null;
    }

    /** {@return Cloud Map's {@code ErrorMessage} of a FAIL, else null} */
    public String errorMessage() {
        return kind == Kind.FAIL ? operation.errorMessage() : null;
    }

    /**
     * What ended the watch: the {@link OperationTimeoutException} of {@link Kind#TIMED_OUT}, the
     * error of {@link Kind#ERROR}; null for the other kinds.
     *
     * @return the error, or null
     */
    public Throwable error() {
        return error;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(operationId).append(' ').append(kind);
        if (kind == Kind.FAIL) {
            text.append(' ').append(errorCode()).append(": ").append(errorMessage());
        } else if (kind != Kind.SUCCESS) {
            text.append(" (last status ").append(operation == null ? "none" : operation.statusAsString()).append(')');
            if (error != null) {
                text.append(": ").append(error);
            }
        }
        return text.toString();
    }
}
