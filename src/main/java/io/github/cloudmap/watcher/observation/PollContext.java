package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import java.util.List;

/**
 * What the {@code cloudmap.watcher.poll} observation knows about one GetOperation request. The
 * budget wait and the wire time are measured apart, on the watcher's clock (monotonic; virtual in
 * tests): the first from asking the rate budget to the permit, the second from the permit to the
 * answer.
 *
 * <p>One poll loop serves every watch of an operation: the observation is a child of the oldest
 * of them ({@link #getParentWatch()}), and {@link #getSharedWith()} lists the others, so a
 * handler of your own can link them (Micrometer Observation itself has no links).
 */
public class PollContext extends Observation.Context {

    private final String operationId;
    private final String ownerAccount;
    private final WatchContext parentWatch;
    private final List<WatchContext> sharedWith;
    private volatile PollOutcome outcome;
    private volatile long budgetWaitNanos;
    private volatile long wireNanos;

    /**
     * @param operationId the operation polled
     * @param ownerAccount the account that owns a shared namespace, or null
     * @param parentWatch the watch the poll is a child of, or null when no watch is observed
     * @param sharedWith the other watches the loop served when the request started
     */
    public PollContext(String operationId, String ownerAccount, WatchContext parentWatch,
            List<WatchContext> sharedWith) {
        this.operationId = operationId;
        this.ownerAccount = ownerAccount;
        this.parentWatch = parentWatch;
        this.sharedWith = List.copyOf(sharedWith);
    }

    /** {@return the operation polled} */
    public String getOperationId() {
        return operationId;
    }

    /** {@return the account that owns a shared namespace, or null for the caller's own} */
    public String getOwnerAccount() {
        return ownerAccount;
    }

    /**
     * {@return the oldest watch of the loop when the request started: the observation's parent; may
     * be null}
     */
    public WatchContext getParentWatch() {
        return parentWatch;
    }

    /** {@return the loop's other watches when the request started, oldest first; empty for a loop of one} */
    public List<WatchContext> getSharedWith() {
        return sharedWith;
    }

    /** {@return how many watches the request served} */
    public int getWatches() {
        return (parentWatch != null ? 1 : 0) + sharedWith.size();
    }

    /** {@return how the request ended; null while it runs} */
    public PollOutcome getOutcome() {
        return outcome;
    }

    void setOutcome(PollOutcome outcome) {
        this.outcome = outcome;
    }

    /** {@return how long the request waited for its rate-budget permit} */
    public long getBudgetWaitNanos() {
        return budgetWaitNanos;
    }

    void setBudgetWaitNanos(long budgetWaitNanos) {
        this.budgetWaitNanos = budgetWaitNanos;
    }

    /** {@return how long the request was on the wire, from the permit to the answer (or the cancel)} */
    public long getWireNanos() {
        return wireNanos;
    }

    void setWireNanos(long wireNanos) {
        this.wireNanos = wireNanos;
    }
}
