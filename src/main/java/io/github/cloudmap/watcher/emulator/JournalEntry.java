package io.github.cloudmap.watcher.emulator;

import java.time.Instant;

/**
 * One request as the emulator's {@link RequestJournal} recorded it: what was asked, when, by whom,
 * and how the emulator answered.
 *
 * <p>Immutable. The ID fields hold the request's own {@code OperationId}, {@code ServiceId},
 * {@code InstanceId} and {@code NamespaceId}; for the calls that name their resource
 * {@code Id} (GetNamespace, DeleteNamespace, Update*Namespace, GetService, DeleteService,
 * UpdateService) that {@code Id} fills {@code namespaceId} or {@code serviceId}. Absent fields
 * are null.
 *
 * @param sequence    the request's number since the emulator started (or the journal was
 *                    cleared), from 1; gaps never appear, so {@code sequence} minus the position
 *                    in {@link RequestJournal#entries()} tells how many were dropped
 * @param arrival     when the request arrived, on the emulator's clock
 * @param action      the operation, such as {@code "GetOperation"}
 * @param operationId the request's {@code OperationId}, or null
 * @param serviceId   the request's {@code ServiceId} (or {@code Id} of a service call), or null
 * @param instanceId  the request's {@code InstanceId}, or null
 * @param namespaceId the request's {@code NamespaceId} (or {@code Id} of a namespace call), or null
 * @param status      the HTTP status answered, or 0 when no answer was sent (a hung or reset
 *                    connection from the fault plan)
 * @param errorCode   the error's {@code __type} (such as {@code "ThrottlingException"}), or null
 *                    for a success
 * @param throttled   whether the answer was a throttling error
 * @param userAgent   the caller's {@code User-Agent} header, or null
 */
public record JournalEntry(long sequence, Instant arrival, String action, String operationId, String serviceId,
        String instanceId, String namespaceId, int status, String errorCode, boolean throttled, String userAgent) {

    /** One line for failure messages: {@code #3 GetOperation OperationId=op-1 -> 400 ThrottlingException at ...}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("#").append(sequence).append(' ').append(action);
        append(s, "OperationId", operationId);
        append(s, "ServiceId", serviceId);
        append(s, "InstanceId", instanceId);
        append(s, "NamespaceId", namespaceId);
        s.append(" -> ").append(status == 0 ? "no answer" : Integer.toString(status));
        if (errorCode != null) {
            s.append(' ').append(errorCode);
        }
        return s.append(" at ").append(arrival).toString();
    }

    private static void append(StringBuilder s, String name, String value) {
        if (value != null) {
            s.append(' ').append(name).append('=').append(value);
        }
    }
}
