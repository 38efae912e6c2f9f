package io.github.cloudmap.watcher.emulator;

import java.util.List;

/**
 * The emulator's health model: what health status an instance reports, in
 * GetInstancesHealthStatus and DiscoverInstances.
 *
 * <ul>
 *   <li>A service with {@code HealthCheckCustomConfig}: the status of the instance's custom
 *       health check, set when the instance is registered from its {@code AWS_INIT_HEALTH_STATUS}
 *       attribute (HEALTHY when absent, as the model says) and changed by
 *       UpdateInstanceCustomHealthStatus. Real Cloud Map waits about 30 seconds before it acts
 *       on an update; the emulator applies it at once, so tests need not wait.</li>
 *   <li>A service with {@code HealthCheckConfig} (a Route 53 health check): HEALTHY, since
 *       nothing probes the endpoint, unless {@link FaultInjector#instanceHealth} says otherwise.
 *       An instance registered with {@code AWS_ALIAS_DNS_NAME} reports UNKNOWN: the model says
 *       Route 53 creates no health check for an alias record.</li>
 *   <li>A service with no health check: UNKNOWN.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; called under the state lock.
 */
final class InstanceHealth {

    static final String HEALTHY = "HEALTHY";
    static final String UNHEALTHY = "UNHEALTHY";
    static final String UNKNOWN = "UNKNOWN";
    /** The values of the model's CustomHealthStatus, and of AWS_INIT_HEALTH_STATUS. */
    static final List<String> CUSTOM_STATUSES = List.of(HEALTHY, UNHEALTHY);

    private InstanceHealth() {
    }

    static String of(ServiceEntry service, InstanceEntry instance, FaultInjector faults) {
        if (service.healthCheckCustomConfig != null) {
            return service.customHealth.getOrDefault(instance.id(), HEALTHY);
        }
        if (service.healthCheckConfig != null) {
            if (instance.attributes().containsKey(InstanceAttributeRules.ALIAS_DNS_NAME)) {
                return UNKNOWN;
            }
            return faults.route53Health(service.id, instance.id()).orElse(HEALTHY);
        }
        return UNKNOWN;
    }

    /** The status a custom health check starts with: AWS_INIT_HEALTH_STATUS, else HEALTHY. */
    static String initialCustomStatus(InstanceEntry instance) {
        return instance.attributes().getOrDefault(InstanceAttributeRules.INIT_HEALTH_STATUS, HEALTHY);
    }
}
