package io.github.cloudmap.watcher;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * The members of an {@link Operation} in plain serializable fields, so that the exceptions that
 * carry an operation survive Java serialization (a cache, a session store, a remote call) with
 * the same answers, and can rebuild an equal {@code Operation} afterwards. The SDK's model class
 * is {@code Serializable} too, but its serialized form belongs to the SDK version that wrote it;
 * these fields belong to us.
 *
 * <p>Immutable and thread-safe. Not part of the public API.
 */
record OperationSnapshot(
        String id,
        String ownerAccount,
        String type,
        String status,
        String errorCode,
        String errorMessage,
        Instant createDate,
        Instant updateDate,
        LinkedHashMap<String, String> targets) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The snapshot of {@code operation}, or null for null. */
    static OperationSnapshot of(Operation operation) {
        if (operation == null) {
            return null;
        }
        // targetsAsStrings() is empty, never null, when Cloud Map sent no Targets; keep "absent" apart.
        LinkedHashMap<String, String> targets = operation.hasTargets()
                ? new LinkedHashMap<>(operation.targetsAsStrings()) : null;
        return new OperationSnapshot(operation.id(), operation.ownerAccount(), operation.typeAsString(),
                operation.statusAsString(), operation.errorCode(), operation.errorMessage(),
                operation.createDate(), operation.updateDate(), targets);
    }

    /** An {@code Operation} equal to the one this snapshot was taken of. */
    Operation toOperation() {
        Operation.Builder builder = Operation.builder()
                .id(id)
                .ownerAccount(ownerAccount)
                .type(type)
                .status(status)
                .errorCode(errorCode)
                .errorMessage(errorMessage)
                .createDate(createDate)
                .updateDate(updateDate);
        if (targets != null) {
            builder.targetsWithStrings(targets);
        }
        return builder.build();
    }
}
