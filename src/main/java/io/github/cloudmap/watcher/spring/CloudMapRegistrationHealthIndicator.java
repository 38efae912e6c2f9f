package io.github.cloudmap.watcher.spring;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the application's own Cloud Map instance in Actuator's health endpoint
 * ({@code cloudMapRegistration}), apart from the watcher's {@code cloudMapWatcher}: UP once
 * registered; OUT_OF_SERVICE before and while RegisterInstance is in flight (with the operation's
 * ID and status) and from the start of the deregistration on; DOWN when the registration failed,
 * with its {@code errorCode} (the operation's, such as INTERNAL_FAILURE, or TIMEOUT). It sends no
 * request.
 *
 * <pre>{@code
 * "cloudMapRegistration": {"status": "OUT_OF_SERVICE", "details": {"state": "REGISTERING",
 *     "serviceId": "srv-...", "instanceId": "host-8080", "operationId": "...", "operationStatus": "PENDING"}}
 * }</pre>
 *
 * <p>Add it to the readiness group ({@code management.endpoint.health.group.readiness.include=readinessState,cloudMapRegistration})
 * to see the registration in the readiness probe's details. Thread-safe. Auto-configured with
 * Actuator's health module; {@code management.health.cloudmap-registration.enabled=false} turns
 * it off.
 */
public class CloudMapRegistrationHealthIndicator implements HealthIndicator {

    private final CloudMapInstanceRegistration registration;

    /**
     * @throws NullPointerException if {@code registration} is null
     *
     * @param registration the registration reported on
     */
    public CloudMapRegistrationHealthIndicator(CloudMapInstanceRegistration registration) {
        this.registration = Objects.requireNonNull(registration, "registration must not be null");
    }

    @Override
    public Health health() {
        RegistrationState state = registration.state();
        Health.Builder health = switch (state.phase()) {
            case REGISTERED -> Health.up();
            case FAILED -> Health.down();
            default -> Health.status(Status.OUT_OF_SERVICE);
        };
        health.withDetail("state", state.phase().name()).withDetail("serviceId", registration.serviceId());
        if (registration.instanceId() != null) {
            health.withDetail("instanceId", registration.instanceId());
        }
        if (state.operationId() != null) {
            health.withDetail("operationId", state.operationId()).withDetail("operationStatus", state.operationStatus());
        }
        if (state.errorCode() != null) {
            health.withDetail("errorCode", state.errorCode()).withDetail("error", String.valueOf(state.message()));
        }
        return health.build();
    }
}
