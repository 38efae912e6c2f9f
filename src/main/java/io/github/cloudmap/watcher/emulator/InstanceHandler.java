package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Instance operations: RegisterInstance and DeregisterInstance (operations), GetInstance,
 * ListInstances, DiscoverInstances and DiscoverInstancesRevision.
 *
 * <p>Rules kept from Cloud Map: one registration at a time per service and instance ID
 * ({@code ResourceInUse}); a retry with the CreatorRequestId of a running or successful
 * registration returns its OperationId, while one of a failed registration runs again; 1,000
 * instances per service and 2,000 per namespace ({@code ResourceLimitExceeded}), counting
 * registered instances only; the attribute rules of {@link InstanceAttributeRules}, checked
 * before an operation is submitted. DiscoverInstances answers in a random order drawn from the
 * emulator's seed, filters by health ({@link InstanceHealth}) where the service has a health
 * check, and reports the InstancesRevision that DiscoverInstancesRevision reports too.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class InstanceHandler {

    static final int MAX_PER_SERVICE = 1_000;
    static final int MAX_PER_NAMESPACE = 2_000;

    private static final Pattern INSTANCE_ID = Pattern.compile("^[0-9a-zA-Z_/:.@-]+$");
    /** The model's AttrKey and AttrValue: printable ASCII; a value may hold inner spaces and tabs. */
    private static final Pattern ATTR_KEY = Pattern.compile("^[a-zA-Z0-9!-~]+$");
    private static final Pattern ATTR_VALUE = Pattern.compile(
            "^([a-zA-Z0-9!-~][ \\ta-zA-Z0-9!-~]*){0,1}[a-zA-Z0-9!-~]{0,1}$");
    private static final Pattern NAMESPACE_NAME = Pattern.compile("^[!-~]{1,1024}$");
    private static final List<String> HEALTH = List.of("HEALTHY", "UNHEALTHY", "ALL", "HEALTHY_OR_ELSE_ALL");

    private final EmulatorState state;

    InstanceHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode register(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        String instanceId = request.requiredString("InstanceId", 64, INSTANCE_ID);
        String requestId = request.optionalString("CreatorRequestId", 64).orElse(null);
        Map<String, String> given = attributes(request, "Attributes", true);
        ServiceEntry service = state.service(serviceIdOrArn);
        Map<String, String> attributes = InstanceAttributeRules.check(state.namespace(service.namespaceId), service,
                instanceId, given);
        String key = registerKey(service.id, instanceId);

        Optional<OperationEntry> same = state.byRequest(key, requestId);
        if (same.isPresent()) {
            return JsonShapes.operationId(same.get());
        }
        Optional<OperationEntry> running = state.inFlight(key).or(() -> state.inFlight(deregisterKey(service.id, instanceId)));
        if (running.isPresent()) {
            throw CloudMapError.of("ResourceInUse", "Instance " + instanceId + " of service " + service.id
                    + " has operation " + running.get().id + " in progress; wait until it finishes");
        }
        if (!service.instances.containsKey(instanceId)) {
            checkLimits(service);
        }
        String serviceId = service.id;
        Map<String, String> targets = targets(service, instanceId);
        OperationEntry op = state.submit(OperationType.REGISTER_INSTANCE, false, targets, key, requestId, () -> {
            ServiceEntry current = state.service(serviceId);
            InstanceEntry instance = new InstanceEntry(state.nextSeq(), instanceId, requestId, attributes);
            current.instances.put(instanceId, instance);
            // Re-registering replaces the health check too, so the custom status starts over.
            current.customHealth.put(instanceId, InstanceHealth.initialCustomStatus(instance));
            current.revision++;
        });
        return JsonShapes.operationId(op);
    }

    ObjectNode deregister(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        String instanceId = request.requiredString("InstanceId", 64);
        ServiceEntry service = state.service(serviceIdOrArn);
        String key = deregisterKey(service.id, instanceId);
        Optional<OperationEntry> running = state.inFlight(key);
        if (running.isPresent()) {
            throw CloudMapError.duplicateRequest("Deregistration of instance " + instanceId
                    + " is already in progress", running.get().id);
        }
        Optional<OperationEntry> registering = state.inFlight(registerKey(service.id, instanceId));
        if (registering.isPresent()) {
            throw CloudMapError.of("ResourceInUse", "Instance " + instanceId + " has registration "
                    + registering.get().id + " in progress; wait until it finishes");
        }
        if (!service.instances.containsKey(instanceId)) {
            throw CloudMapError.instanceNotFound(service.id, instanceId);
        }
        String serviceId = service.id;
        OperationEntry op = state.submit(OperationType.DEREGISTER_INSTANCE, false, targets(service, instanceId), key,
                null, () -> {
                    ServiceEntry current = state.service(serviceId);
                    if (current.instances.remove(instanceId) == null) {
                        throw CloudMapError.instanceNotFound(serviceId, instanceId);
                    }
                    current.customHealth.remove(instanceId);
                    current.revision++;
                });
        return JsonShapes.operationId(op);
    }

    ObjectNode get(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        String instanceId = request.requiredString("InstanceId", 64);
        ServiceEntry service = state.service(serviceIdOrArn);
        InstanceEntry instance = service.instances.get(instanceId);
        if (instance == null) {
            throw CloudMapError.instanceNotFound(service.id, instanceId);
        }
        ObjectNode out = JsonShapes.object();
        out.put("ResourceOwner", state.accountId);
        ObjectNode body = out.putObject("Instance");
        body.put("Id", instance.id());
        if (instance.creatorRequestId() != null) {
            body.put("CreatorRequestId", instance.creatorRequestId());
        }
        body.set("Attributes", JsonShapes.attributes(instance.attributes()));
        body.put("CreatedByAccount", state.accountId);
        return out;
    }

    ObjectNode list(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("ServiceId", 255));
        int max = request.intInRange("MaxResults", 1, 100, 100);
        String token = request.optionalString("NextToken", 4096).orElse(null);
        List<InstanceEntry> all = new ArrayList<>(service.instances.values());
        all.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        Page<InstanceEntry> page = Page.of(all, InstanceEntry::seq, token, max, "ListInstances:" + service.id);
        ObjectNode out = JsonShapes.object();
        out.put("ResourceOwner", state.accountId);
        ArrayNode items = out.putArray("Instances");
        for (InstanceEntry instance : page.items()) {
            ObjectNode item = items.addObject();
            item.put("Id", instance.id());
            item.set("Attributes", JsonShapes.attributes(instance.attributes()));
            item.put("CreatedByAccount", state.accountId);
        }
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    ObjectNode discover(JsonRequest request) {
        int max = request.intInRange("MaxResults", 1, 1000, 100);
        Map<String, String> query = orEmpty(attributes(request, "QueryParameters", false));
        Map<String, String> optional = orEmpty(attributes(request, "OptionalParameters", false));
        // The model leaves the default open; ALL returns what a caller without a filter expects.
        String filter = request.optionalEnum("HealthStatus", HEALTH).orElse("ALL");
        // Every member is checked before the lookup, so a bad request is InvalidInput, not a not-found.
        Discovered target = discovered(request);
        ServiceEntry service = target.service();

        List<InstanceEntry> matching = new ArrayList<>();
        Map<String, String> health = new LinkedHashMap<>();
        for (InstanceEntry instance : service.instances.values()) {
            if (matches(instance.attributes(), query)) {
                matching.add(instance);
                health.put(instance.id(), state.healthOf(service, instance));
            }
        }
        List<InstanceEntry> preferred = matching.stream().filter(i -> matches(i.attributes(), optional)).toList();
        List<InstanceEntry> chosen = new ArrayList<>(healthFiltered(service, preferred.isEmpty() ? matching : preferred,
                health, filter));
        state.shuffleForDiscovery(chosen);

        ObjectNode out = JsonShapes.object();
        ArrayNode items = out.putArray("Instances");
        chosen.stream().limit(max).forEach(instance -> {
            ObjectNode item = items.addObject();
            item.put("InstanceId", instance.id());
            item.put("NamespaceName", target.namespace().name);
            item.put("ServiceName", service.name);
            item.put("HealthStatus", health.get(instance.id()));
            item.set("Attributes", JsonShapes.attributes(instance.attributes()));
        });
        out.put("InstancesRevision", service.revision);
        return out;
    }

    ObjectNode discoverRevision(JsonRequest request) {
        return JsonShapes.object().put("InstancesRevision", discovered(request).service().revision);
    }

    /** The namespace and service that DiscoverInstances(Revision) names by NamespaceName, ServiceName, OwnerAccount. */
    private Discovered discovered(JsonRequest request) {
        String namespaceName = request.requiredString("NamespaceName", 1024, NAMESPACE_NAME);
        String serviceName = request.requiredString("ServiceName", 127, ServiceHandler.NAME);
        // Another account's namespace could only be one shared with this account; the emulator has none.
        boolean otherAccount = request.optionalAccountId("OwnerAccount").filter(a -> !a.equals(state.accountId))
                .isPresent();
        NamespaceEntry ns = state.namespaces.values().stream()
                .filter(n -> !otherAccount && n.name.equals(namespaceName)).findFirst()
                .orElseThrow(() -> CloudMapError.namespaceNotFound(namespaceName));
        ServiceEntry service = state.services.values().stream()
                .filter(s -> s.namespaceId.equals(ns.id) && s.name.equals(serviceName)).findFirst()
                .orElseThrow(() -> CloudMapError.serviceNotFound(serviceName + " in namespace " + namespaceName));
        return new Discovered(ns, service);
    }

    private record Discovered(NamespaceEntry namespace, ServiceEntry service) {
    }

    /**
     * The model: the HealthStatus filter "is ignored for services that don't have a health check
     * configured"; HEALTHY_OR_ELSE_ALL returns every instance when none is healthy (failing open).
     */
    private static List<InstanceEntry> healthFiltered(ServiceEntry service, List<InstanceEntry> instances,
                                                      Map<String, String> health, String filter) {
        if (!service.hasHealthCheck() || "ALL".equals(filter)) {
            return instances;
        }
        String wanted = "UNHEALTHY".equals(filter) ? InstanceHealth.UNHEALTHY : InstanceHealth.HEALTHY;
        List<InstanceEntry> kept = instances.stream().filter(i -> wanted.equals(health.get(i.id()))).toList();
        return kept.isEmpty() && "HEALTHY_OR_ELSE_ALL".equals(filter) ? instances : kept;
    }

    private void checkLimits(ServiceEntry service) {
        if (service.instances.size() >= MAX_PER_SERVICE) {
            throw CloudMapError.of("ResourceLimitExceeded", "Service " + service.id + " already has the maximum of "
                    + MAX_PER_SERVICE + " instances");
        }
        int inNamespace = state.services.values().stream()
                .filter(s -> s.namespaceId.equals(service.namespaceId)).mapToInt(s -> s.instances.size()).sum();
        if (inNamespace >= MAX_PER_NAMESPACE) {
            throw CloudMapError.of("ResourceLimitExceeded", "Namespace " + service.namespaceId
                    + " already has the maximum of " + MAX_PER_NAMESPACE + " instances");
        }
    }

    private static Map<String, String> targets(ServiceEntry service, String instanceId) {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("NAMESPACE", service.namespaceId);
        targets.put("SERVICE", service.id);
        targets.put("INSTANCE", instanceId);
        return targets;
    }

    /** An Attributes-shaped member: keys match AttrKey (at most 255 characters), values AttrValue (at most 1,024). */
    private static Map<String, String> attributes(JsonRequest request, String member, boolean required) {
        return request.stringMap(member, required, 255, ATTR_KEY, 1024, ATTR_VALUE);
    }

    private static boolean matches(Map<String, String> attributes, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(attributes.get(e.getKey())));
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    /** Keys every registration in flight for a service start with (see {@link OperationEntry#key}). */
    static String registerKeyPrefix(String serviceId) {
        return "register:" + serviceId + "/";
    }

    private static String registerKey(String serviceId, String instanceId) {
        return registerKeyPrefix(serviceId) + instanceId;
    }

    private static String deregisterKey(String serviceId, String instanceId) {
        return "deregister:" + serviceId + "/" + instanceId;
    }
}
