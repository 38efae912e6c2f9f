package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Health operations: GetInstancesHealthStatus and UpdateInstanceCustomHealthStatus, over the
 * health model of {@link InstanceHealth}.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class HealthHandler {

    private final EmulatorState state;

    HealthHandler(EmulatorState state) {
        this.state = state;
    }

    /**
     * The health of the instances named in {@code Instances} (an unknown one is InstanceNotFound),
     * or of every instance of the service, in registration order, a page of MaxResults (1-100,
     * default 100) at a time. Instances of a service without a health check report UNKNOWN.
     */
    ObjectNode getStatus(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        List<String> named = request.stringList("Instances", false, 1, Integer.MAX_VALUE, 64);
        int max = request.intInRange("MaxResults", 1, 100, 100);
        String token = request.optionalString("NextToken", 4096).orElse(null);
        ServiceEntry service = state.service(serviceIdOrArn);
        // A set, so that a list naming one instance many times costs no more than naming it once.
        Set<InstanceEntry> selected = new LinkedHashSet<>();
        if (named == null) {
            selected.addAll(service.instances.values());
        } else {
            for (String id : named) {
                InstanceEntry instance = service.instances.get(id);
                if (instance == null) {
                    throw CloudMapError.instanceNotFound(service.id, id);
                }
                selected.add(instance);
            }
        }
        List<InstanceEntry> instances = new ArrayList<>(selected);
        instances.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        // The token is bound to the service, so a token from another service's list is refused.
        Page<InstanceEntry> page = Page.of(instances, InstanceEntry::seq, token, max,
                "GetInstancesHealthStatus:" + service.id);
        ObjectNode out = JsonShapes.object();
        ObjectNode status = out.putObject("Status");
        page.items().forEach(instance -> status.put(instance.id(), state.healthOf(service, instance)));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    /**
     * Sets the custom health status of an instance; CustomHealthNotFound when its service has no
     * HealthCheckCustomConfig (a Route 53 health check cannot be set this way). The change applies
     * at once (real Cloud Map waits about 30 seconds) and does not change InstancesRevision.
     */
    ObjectNode updateCustomStatus(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        String instanceId = request.requiredString("InstanceId", 64);
        String status = request.requiredEnum("Status", InstanceHealth.CUSTOM_STATUSES);
        ServiceEntry service = state.service(serviceIdOrArn);
        if (!service.instances.containsKey(instanceId)) {
            throw CloudMapError.instanceNotFound(service.id, instanceId);
        }
        if (service.healthCheckCustomConfig == null) {
            throw CloudMapError.of("CustomHealthNotFound", "The health check for instance " + instanceId
                    + " of service " + service.id + " isn't a custom health check: the service has "
                    + (service.healthCheckConfig == null ? "no health check" : "a Route 53 health check (HealthCheckConfig)"));
        }
        service.customHealth.put(instanceId, status);
        return JsonShapes.object();
    }
}
