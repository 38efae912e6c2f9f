package io.github.cloudmap.watcher.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of the emulator, thrown by handlers and turned into the AWS JSON 1.1 error body
 * {@code {"__type": type, "Message": message, ...extra}} by {@link WireHandler}.
 *
 * <p>Not thread-safe while being built with {@link #with}; immutable in practice once thrown.
 */
final class CloudMapError extends RuntimeException {

    private final String type;
    private final int status;
    private final Map<String, String> extra = new LinkedHashMap<>();

    CloudMapError(String type, int status, String message) {
        // Stack traces are never shown to clients and these errors are ordinary answers, so skip them.
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    static CloudMapError of(String type, String message) {
        return new CloudMapError(type, 400, message);
    }

    static CloudMapError invalidInput(String message) {
        return of("InvalidInput", message);
    }

    static CloudMapError namespaceNotFound(String id) {
        return of("NamespaceNotFound", "Namespace not found: " + id);
    }

    static CloudMapError serviceNotFound(String id) {
        return of("ServiceNotFound", "Service not found: " + id);
    }

    static CloudMapError instanceNotFound(String serviceId, String instanceId) {
        return of("InstanceNotFound", "Instance " + instanceId + " not found in service " + serviceId);
    }

    static CloudMapError duplicateRequest(String message, String operationId) {
        return of("DuplicateRequest", message).with("DuplicateOperationId", operationId);
    }

    /** Adds a documented extra member of the error shape; {@code null} values are left out. */
    CloudMapError with(String member, String value) {
        if (value != null) {
            extra.put(member, value);
        }
        return this;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    Map<String, String> extra() {
        return Collections.unmodifiableMap(extra);
    }
}
