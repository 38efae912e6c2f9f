package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the {@code cloudmap.watcher.watch} observation knows about one watch, for conventions and
 * handlers. Durations are measured on the watcher's clock (monotonic; virtual in tests), not the
 * registry's.
 *
 * <p>Written by the watch (its statuses arrive one after another) and read at stop; the poll
 * count is written by the shared loop. Not meant to be built by users.
 */
public class WatchContext extends Observation.Context {

    private final String ownerAccount;
    private volatile String operationId;
    private volatile String operationType;
    private volatile String lastStatus;
    private volatile String errorCode;
    private volatile WatchOutcome outcome;
    private volatile long durationNanos;
    private final AtomicInteger polls = new AtomicInteger();

    /** @param ownerAccount the account that owns a shared namespace, or null for the caller's own */
    public WatchContext(String ownerAccount) {
        this.ownerAccount = ownerAccount;
    }

    /** {@return the operation's ID, or null before the watch knows it (a submission not answered yet)} */
    public String getOperationId() {
        return operationId;
    }

    void setOperationId(String operationId) {
        this.operationId = operationId;
    }

    /** {@return the account that owns a shared namespace, or null for the caller's own} */
    public String getOwnerAccount() {
        return ownerAccount;
    }

    /** {@return the operation's type as Cloud Map names it, or null until a status was read} */
    public String getOperationType() {
        return operationType;
    }

    void setOperationType(String operationType) {
        this.operationType = operationType;
    }

    /** {@return the latest status seen, or null} */
    public String getLastStatus() {
        return lastStatus;
    }

    void setLastStatus(String lastStatus) {
        this.lastStatus = lastStatus;
    }

    /** {@return the FAIL's ErrorCode, or null} */
    public String getErrorCode() {
        return errorCode;
    }

    void setErrorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    /** {@return how the watch ended; null while it runs} */
    public WatchOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(WatchOutcome outcome) {
        this.outcome = outcome;
    }

    /** {@return from subscription to the end, on the watcher's clock; 0 while it runs} */
    public long getDurationNanos() {
        return durationNanos;
    }

    void setDurationNanos(long durationNanos) {
        this.durationNanos = durationNanos;
    }

    /** {@return GetOperation requests the operation's loop sent while this watch ran} */
    public int getPolls() {
        return polls.get();
    }

    void countPoll() {
        polls.incrementAndGet();
    }
}
