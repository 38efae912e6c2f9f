package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;

/**
 * What the {@code cloudmap.watcher.submission} observation knows about one
 * {@code submitAndWatch}: its submissions, the last operation, how it ended. The watches of its
 * attempts are its children.
 */
public class SubmissionContext extends Observation.Context {

    private final String ownerAccount;
    private volatile String operationId;
    private volatile String operationType;
    private volatile String errorCode;
    private volatile WatchOutcome outcome;
    private volatile int attempts;

    /** @param ownerAccount the account that owns a shared namespace, or null for the caller's own */
    public SubmissionContext(String ownerAccount) {
        this.ownerAccount = ownerAccount;
    }

    /** {@return the account that owns a shared namespace, or null for the caller's own} */
    public String getOwnerAccount() {
        return ownerAccount;
    }

    /** {@return the last attempt's OperationId, or null before one was seen} */
    public String getOperationId() {
        return operationId;
    }

    void setOperationId(String operationId) {
        this.operationId = operationId;
    }

    /** {@return the operation's type, or null until a status was read} */
    public String getOperationType() {
        return operationType;
    }

    void setOperationType(String operationType) {
        this.operationType = operationType;
    }

    /** {@return the ErrorCode of the FAIL that ended it, or null} */
    public String getErrorCode() {
        return errorCode;
    }

    void setErrorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    /** {@return how it ended; null while it runs} */
    public WatchOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(WatchOutcome outcome) {
        this.outcome = outcome;
    }

    /** {@return submissions sent, the first included; known at the end} */
    public int getAttempts() {
        return attempts;
    }

    void setAttempts(int attempts) {
        this.attempts = attempts;
    }
}
