package io.github.cloudmap.watcher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a whole batch ({@link OperationWatcher#awaitAll}): one {@link OperationOutcome}
 * per distinct operation ID, in the order the IDs were given ({@link #outcomes()}) and in the
 * order they finished ({@link #finishOrder()}), with the usual questions answered.
 *
 * <pre>{@code
 * BatchOutcome batch = watcher.awaitAll(operationIds).block();
 * if (!batch.allSucceeded()) {
 *     batch.failures().forEach(f -> log.warn("{} failed: {}", f.operationId(), f.errorCode()));
 *     batch.timedOut().forEach(t -> log.warn("{} still {}", t.operationId(), t.lastStatus()));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BatchOutcome {

    private static final BatchOutcome EMPTY = new BatchOutcome(Map.of(), List.of());

    private final Map<String, OperationOutcome> byId;
    private final List<OperationOutcome> finishOrder;

    private BatchOutcome(Map<String, OperationOutcome> byId, List<OperationOutcome> finishOrder) {
        this.byId = byId;
        this.finishOrder = finishOrder;
    }

    /** {@return the outcome of a batch of no operations: {@link #allSucceeded()} is true} */
    public static BatchOutcome empty() {
        return EMPTY;
    }

    /**
     * A batch outcome.
     *
     * @param operationIds the distinct IDs of the batch, in the order they were given
     * @param finishOrder one outcome per ID, in the order they finished
     * @return a new batch outcome
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalArgumentException unless {@code finishOrder} holds exactly one outcome for each
     *         ID of {@code operationIds}
     */
    public static BatchOutcome of(List<String> operationIds, List<OperationOutcome> finishOrder) {
        Objects.requireNonNull(operationIds, "operationIds must not be null");
        Objects.requireNonNull(finishOrder, "finishOrder must not be null");
        Map<String, OperationOutcome> found = new LinkedHashMap<>();
        for (OperationOutcome outcome : finishOrder) {
            Objects.requireNonNull(outcome, "an outcome is null");
            if (found.put(outcome.operationId(), outcome) != null) {
                throw new IllegalArgumentException("two outcomes for operation " + outcome.operationId());
            }
        }
        Map<String, OperationOutcome> byId = new LinkedHashMap<>();
        for (String id : operationIds) {
            OperationOutcome outcome = found.remove(Objects.requireNonNull(id, "an operation ID is null"));
            if (outcome == null) {
                throw new IllegalArgumentException("no outcome for operation " + id);
            }
            byId.put(id, outcome);
        }
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("outcomes for operations not in the batch: " + found.keySet());
        }
        return new BatchOutcome(Collections.unmodifiableMap(byId), List.copyOf(finishOrder));
    }

    /** {@return every outcome, in the order the operation IDs were given (duplicates once)} */
    public List<OperationOutcome> outcomes() {
        return List.copyOf(byId.values());
    }

    /** {@return every outcome, in the order the operations finished; the batch's unfinished ones last} */
    public List<OperationOutcome> finishOrder() {
        return finishOrder;
    }

    /**
     * The outcome of one operation of the batch.
     *
     * @param operationId one of the batch's IDs
     * @return its outcome, or empty for an ID not in the batch
     */
    public Optional<OperationOutcome> outcome(String operationId) {
        return Optional.ofNullable(byId.get(operationId));
    }

    /** {@return how many distinct operations the batch had} */
    public int size() {
        return byId.size();
    }

    /** {@return true when every operation reached SUCCESS (also for an empty batch)} */
    public boolean allSucceeded() {
        return finishOrder.stream().allMatch(OperationOutcome::isSuccess);
    }

    /** {@return the operations that reached SUCCESS, in finish order} */
    public List<OperationOutcome> succeeded() {
        return ofKind(OperationOutcome.Kind.SUCCESS);
    }

    /** {@return the operations that reached FAIL, in finish order} */
    public List<OperationOutcome> failures() {
        return ofKind(OperationOutcome.Kind.FAIL);
    }

    /** {@return the operations whose deadline passed first, in finish order} */
    public List<OperationOutcome> timedOut() {
        return ofKind(OperationOutcome.Kind.TIMED_OUT);
    }

    /** {@return the operations whose watch failed with another error, in finish order} */
    public List<OperationOutcome> errors() {
        return ofKind(OperationOutcome.Kind.ERROR);
    }

    /** {@return the operations a fail-fast batch stopped watching} */
    public List<OperationOutcome> stopped() {
        return ofKind(OperationOutcome.Kind.STOPPED);
    }

    /**
     * The outcomes of one kind, in finish order.
     *
     * @param kind the kind
     * @return the outcomes of that kind, in finish order
     */
    public List<OperationOutcome> ofKind(OperationOutcome.Kind kind) {
        Objects.requireNonNull(kind, "kind must not be null");
        List<OperationOutcome> matching = new ArrayList<>();
        for (OperationOutcome outcome : finishOrder) {
            if (outcome.kind() == kind) {
                matching.add(outcome);
            }
        }
        return List.copyOf(matching);
    }

    /** {@return how many outcomes of each kind (every kind present, zero included)} */
    public Map<OperationOutcome.Kind, Integer> counts() {
        Map<OperationOutcome.Kind, Integer> counts = new EnumMap<>(OperationOutcome.Kind.class);
        for (OperationOutcome.Kind kind : OperationOutcome.Kind.values()) {
            counts.put(kind, 0);
        }
        finishOrder.forEach(outcome -> counts.merge(outcome.kind(), 1, Integer::sum));
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public String toString() {
        return "BatchOutcome" + counts();
    }
}
