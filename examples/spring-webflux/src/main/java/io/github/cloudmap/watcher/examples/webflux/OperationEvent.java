package io.github.cloudmap.watcher.examples.webflux;

import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * The data of one Server-Sent Event about an operation: what a browser or {@code curl} sees.
 *
 * @param operationId the operation's ID (a resubmission has a new one)
 * @param type for example REGISTER_INSTANCE
 * @param status SUBMITTED, PENDING, SUCCESS or FAIL
 * @param errorCode on FAIL, for example THROTTLED_REQUEST; otherwise null
 * @param errorMessage on FAIL, Cloud Map's explanation; otherwise null
 * @param updateDate when Cloud Map last changed the operation (ISO-8601), or null
 */
public record OperationEvent(String operationId, String type, String status, String errorCode,
                             String errorMessage, String updateDate) {

    /** The event for {@code operation}, or null for null. */
    static OperationEvent of(Operation operation) {
        if (operation == null) {
            return null;
        }
        return new OperationEvent(operation.id(), operation.typeAsString(), operation.statusAsString(),
                operation.errorCode(), operation.errorMessage(),
                operation.updateDate() == null ? null : operation.updateDate().toString());
    }
}
