package io.github.cloudmap.watcher.emulator;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * One asynchronous operation. Its status follows the clock: the
 * state lock settles it ({@link EmulatorState#settle}) and applies its effect when it succeeds.
 */
final class OperationEntry {

    /** The change an operation makes when it succeeds; throws {@link CloudMapError} if it no longer can. */
    @FunctionalInterface
    interface Effect {
        void apply();
    }

    final long seq;
    final String id;
    final OperationType type;
    /** NAMESPACE / SERVICE / INSTANCE to resource ID, in that order. */
    final Map<String, String> targets;
    final Instant createDate;
    final Instant pendingAt;
    final Instant finishAt;
    /** What this operation works on, e.g. "register:srv-x/i-1": two in flight on one key conflict. */
    final String key;
    final String requestId;
    final FaultInjector.PlannedFailure plannedFailure;
    final Effect effect;

    OperationStatus status = OperationStatus.SUBMITTED;
    Instant updateDate;
    String errorCode;
    String errorMessage;

    OperationEntry(long seq, String id, OperationType type, Map<String, String> targets, Instant createDate,
                   Instant pendingAt, Instant finishAt, String key, String requestId,
                   FaultInjector.PlannedFailure plannedFailure, Effect effect) {
        this.seq = seq;
        this.id = id;
        this.type = type;
        this.targets = targets;
        this.createDate = createDate;
        this.pendingAt = pendingAt;
        this.finishAt = finishAt;
        this.key = key;
        this.requestId = requestId;
        this.plannedFailure = plannedFailure;
        this.effect = effect;
        this.updateDate = createDate;
    }

    boolean inFlight() {
        return status == OperationStatus.SUBMITTED || status == OperationStatus.PENDING;
    }
}
