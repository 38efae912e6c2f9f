package io.github.cloudmap.watcher;

import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * One event of a batch ({@link OperationWatcher#watchAll}), tagged with its operation ID: a
 * status change ({@link #status()}), the end of that operation's wait ({@link #outcome()}), or
 * both at once for SUCCESS and FAIL. Each operation of the batch has exactly one final update
 * ({@link #isFinal()}); a timeout, an error or a fail-fast stop has no status.
 *
 * <pre>{@code
 * watcher.watchAll(ids).subscribe(u -> log.info("{} {}", u.operationId(),
 *         u.isFinal() ? u.outcome().kind() : u.status().status()));
 * }</pre>
 *
 * @param operationId the operation this update is about
 * @param status the status change, or null for an end without one (timed out, error, stopped)
 * @param outcome how the wait for this operation ended, or null while it goes on
 */
public record BatchUpdate(String operationId, Operation status, OperationOutcome outcome) {

    /**
     * Checks the components.
     *
     * @param operationId the operation this update is about
     * @param status the status change, or null for an end without one
     * @param outcome how the wait ended, or null while it goes on
     * @throws NullPointerException if {@code operationId} is null, or both {@code status} and
     *         {@code outcome} are
     */
    public BatchUpdate {
        Objects.requireNonNull(operationId, "operationId must not be null");
        if (status == null && outcome == null) {
            throw new NullPointerException("status and outcome must not both be null");
        }
    }

    /** {@return true for the last update of this operation: the one with its {@link #outcome()}} */
    public boolean isFinal() {
        return outcome != null;
    }
}
