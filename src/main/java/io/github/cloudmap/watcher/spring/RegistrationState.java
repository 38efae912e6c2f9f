package io.github.cloudmap.watcher.spring;

import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Where the application's own Cloud Map instance stands ({@link CloudMapInstanceRegistration#state()}),
 * as the registration's health indicator reports it.
 *
 * @param phase where the registration is
 * @param operationId the last operation seen (RegisterInstance or DeregisterInstance), or null
 * @param operationStatus that operation's last status (SUBMITTED, PENDING, SUCCESS, FAIL), or null
 * @param errorCode on a failure: the operation's error code (such as INTERNAL_FAILURE),
 *        {@code TIMEOUT}, or the exception's simple name; otherwise null
 * @param message on a failure, what went wrong; otherwise null
 */
public record RegistrationState(Phase phase, String operationId, String operationStatus, String errorCode,
        String message) {

    /** The phases, in the order a registration goes through them. */
    public enum Phase {
        /** Startup has not reached the registration yet. */
        NOT_STARTED,
        /** RegisterInstance was sent and its operation is not finished: not ready yet. */
        REGISTERING,
        /** RegisterInstance succeeded: the instance is listed. */
        REGISTERED,
        /** RegisterInstance failed or timed out. */
        FAILED,
        /** Shutdown sent DeregisterInstance and waits for it. */
        DEREGISTERING,
        /** DeregisterInstance succeeded: the instance is gone. */
        DEREGISTERED,
        /** DeregisterInstance failed or timed out (logged; shutdown went on). */
        DEREGISTRATION_FAILED
    }

    /**
     * Checks the components.
     *
     * @param phase where the registration is
     * @param operationId the last operation seen, or null
     * @param operationStatus that operation's last status, or null
     * @param errorCode on a failure, its code; otherwise null
     * @param message on a failure, what went wrong; otherwise null
     * @throws NullPointerException if {@code phase} is null
     */
    public RegistrationState {
        Objects.requireNonNull(phase, "phase");
    }

    static RegistrationState of(Phase phase) {
        return new RegistrationState(phase, null, null, null, null);
    }

    static RegistrationState of(Phase phase, Operation operation) {
        return new RegistrationState(phase, operation.id(), operation.statusAsString(), null, null);
    }

    RegistrationState failed(Phase failedPhase, String errorCode, String message) {
        return new RegistrationState(failedPhase, operationId, operationStatus, errorCode, message);
    }
}
