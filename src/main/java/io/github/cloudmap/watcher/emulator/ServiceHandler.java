package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Service operations: CreateService and DeleteService (synchronous), UpdateService (an
 * operation), GetService and ListServices.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class ServiceHandler {

    /** The model's ServiceName; DiscoverInstances checks its ServiceName member with it too. */
    static final Pattern NAME = Pattern.compile(
            "((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])"
                    + "(\\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\\.$)");

    private final EmulatorState state;

    ServiceHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode create(JsonRequest request) {
        String name = request.requiredString("Name", 127, NAME);
        Optional<JsonRequest> dnsConfig = request.optionalObject("DnsConfig");
        String namespaceIdOrArn = request.optionalString("NamespaceId", 255)
                .or(() -> dnsConfig.flatMap(d -> d.optionalString("NamespaceId", 64)))
                .orElseThrow(() -> CloudMapError.invalidInput("Member 'NamespaceId' is required (or the deprecated "
                        + "'DnsConfig.NamespaceId')"));
        String requestId = request.optionalString("CreatorRequestId", 64).orElse(null);
        String description = request.optionalString("Description", 1024).orElse(null);
        Optional<String> requestedType = request.optionalEnum("Type", List.of("HTTP"));
        Optional<ServiceConfig.Dns> dns = dnsConfig.map(ServiceConfig::dns);
        Optional<ServiceConfig.HealthCheck> healthCheck = request.optionalObject("HealthCheckConfig")
                .map(ServiceConfig::healthCheck);
        Optional<ServiceConfig.CustomHealthCheck> customHealth = request.optionalObject("HealthCheckCustomConfig")
                .map(ServiceConfig::customHealthCheck);
        Map<String, String> tags = Tags.parse(request, "Tags", false);
        Tags.checkCount(Map.of(), tags, name);
        if (requestedType.isPresent() && dns.isPresent()) {
            throw CloudMapError.invalidInput("Type HTTP makes instances discoverable only with DiscoverInstances, so it "
                    + "cannot be combined with DnsConfig");
        }

        NamespaceEntry ns = state.namespace(namespaceIdOrArn);
        for (ServiceEntry existing : state.services.values()) {
            if (existing.namespaceId.equals(ns.id) && existing.name.equals(name)) {
                if (requestId != null && requestId.equals(existing.creatorRequestId)) {
                    return wrap(existing);
                }
                throw CloudMapError.of("ServiceAlreadyExists", "Service " + name + " already exists in namespace "
                                + ns.id)
                        .with("CreatorRequestId", existing.creatorRequestId)
                        .with("ServiceId", existing.id)
                        .with("ServiceArn", existing.arn);
            }
        }
        if (dns.isPresent() && !ns.isDns()) {
            throw CloudMapError.invalidInput("DnsConfig is not allowed for a service in HTTP namespace " + ns.id);
        }
        ServiceConfig.checkCombination(ns, dns, healthCheck, customHealth.isPresent());
        String type = requestedType.orElse(dns.isPresent() ? "DNS_HTTP" : "HTTP");

        String id = state.newServiceId();
        ServiceEntry service = new ServiceEntry(state.nextSeq(), id, state.arn("service", id), name, ns.id, type,
                state.clock.instant(), requestId);
        service.description = description;
        service.dnsConfig = dns.orElse(null);
        service.healthCheckConfig = healthCheck.orElse(null);
        service.healthCheckCustomConfig = customHealth.orElse(null);
        service.tags.putAll(tags);
        state.services.put(id, service);
        return wrap(service);
    }

    ObjectNode get(JsonRequest request) {
        return wrap(state.service(request.requiredString("Id", 255)));
    }

    /**
     * UpdateService, with the rules of the model's documentation, checked now and applied when
     * the operation succeeds:
     * <ul>
     *   <li>a service in an HTTP namespace cannot be updated ("You can't call UpdateService and
     *       update settings ... when the service is associated with an HTTP namespace");</li>
     *   <li>DnsConfig changes TTLs only: it must list exactly the record types the service has
     *       ("The record type of a service ... can't be updated"); omitted, the records stay as
     *       they are (the emulator's reading: deleting them would change the record types);</li>
     *   <li>HealthCheckConfig is added, replaced (its Type unchanged) or, when omitted, deleted
     *       ("If you omit any existing ... HealthCheckConfig configurations ... the
     *       configurations are deleted"); HealthCheckCustomConfig cannot change and stays
     *       (ServiceChange has no such member);</li>
     *   <li>an omitted Description stays as it is (the model is silent).</li>
     * </ul>
     */
    ObjectNode update(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("Id", 255));
        JsonRequest change = request.requiredObject("Service");
        String description = change.optionalString("Description", 1024).orElse(null);
        Optional<List<ServiceConfig.DnsRecord>> records = change.optionalObject("DnsConfig")
                .map(ServiceConfig::dnsRecords);
        Optional<ServiceConfig.HealthCheck> healthCheck = change.optionalObject("HealthCheckConfig")
                .map(ServiceConfig::healthCheck);
        NamespaceEntry namespace = state.namespace(service.namespaceId);
        if (!namespace.isDns()) {
            throw CloudMapError.invalidInput("Service " + service.id + " is in HTTP namespace " + namespace.id
                    + ": Cloud Map can't update a service associated with an HTTP namespace");
        }
        if (records.isPresent() && service.dnsConfig == null) {
            throw CloudMapError.invalidInput("Service " + service.id + " has no DnsConfig to change");
        }
        records.ifPresent(r -> checkSameRecordTypes(service, r));
        Optional<ServiceConfig.Dns> dns = Optional.ofNullable(service.dnsConfig)
                .map(d -> records.map(d::withRecords).orElse(d));
        ServiceConfig.checkCombination(namespace, dns, healthCheck, service.healthCheckCustomConfig != null);
        if (healthCheck.isPresent() && service.healthCheckConfig != null
                && !healthCheck.get().type().equals(service.healthCheckConfig.type())) {
            throw CloudMapError.invalidInput("The Type of a health check cannot change: service " + service.id
                    + " has " + service.healthCheckConfig.type() + ", got " + healthCheck.get().type());
        }
        String key = "update-service:" + service.id;
        Optional<OperationEntry> running = state.inFlight(key);
        if (running.isPresent()) {
            throw CloudMapError.duplicateRequest("An update of service " + service.id + " is already in progress",
                    running.get().id);
        }
        String serviceId = service.id;
        OperationEntry op = state.submit(OperationType.UPDATE_SERVICE, false, Map.of("SERVICE", serviceId), key,
                null, () -> {
                    ServiceEntry current = state.service(serviceId);
                    if (description != null) {
                        current.description = description;
                    }
                    records.ifPresent(r -> current.dnsConfig = current.dnsConfig.withRecords(r));
                    current.healthCheckConfig = healthCheck.orElse(null);
                });
        return JsonShapes.operationId(op);
    }

    private static void checkSameRecordTypes(ServiceEntry service, List<ServiceConfig.DnsRecord> records) {
        Set<String> existing = service.dnsConfig.records().stream().map(ServiceConfig.DnsRecord::type)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> given = records.stream().map(ServiceConfig.DnsRecord::type)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!existing.equals(given)) {
            throw CloudMapError.invalidInput("The record types of service " + service.id + " can't be updated: it has "
                    + existing + ", the update gives " + given + "; only their TTL can change. To change a record "
                    + "type, delete the service and create it again with the new DnsConfig");
        }
    }

    ObjectNode delete(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("Id", 255));
        boolean registering = state.inFlightOperations().stream()
                .anyMatch(op -> op.key.startsWith(InstanceHandler.registerKeyPrefix(service.id)));
        if (!service.instances.isEmpty() || registering) {
            throw CloudMapError.of("ResourceInUse", "Service " + service.id + " still has "
                    + service.instances.size() + " registered instance(s)"
                    + (registering ? " and registrations in progress" : "") + "; deregister them first");
        }
        state.services.remove(service.id);
        return JsonShapes.object();
    }

    ObjectNode list(JsonRequest request) {
        int max = request.intInRange("MaxResults", 1, 100, 100);
        String token = request.optionalString("NextToken", 4096).orElse(null);
        List<ServiceEntry> matching = new ArrayList<>(state.services.values());
        for (JsonRequest filter : request.objectList("Filters")) {
            matching.removeIf(filterOf(filter).negate());
        }
        matching.sort((a, b) -> Long.compare(a.seq, b.seq));
        Page<ServiceEntry> page = Page.of(matching, s -> s.seq, token, max, "ListServices");
        ObjectNode out = JsonShapes.object();
        ArrayNode items = out.putArray("Services");
        page.items().forEach(s -> items.add(JsonShapes.service(s, state.accountId, true)));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    private Predicate<ServiceEntry> filterOf(JsonRequest filter) {
        String name = filter.requiredEnum("Name", List.of("NAMESPACE_ID", "RESOURCE_OWNER"));
        List<String> values = filter.requiredStringList("Values");
        String condition = filter.optionalEnum("Condition", List.of("EQ", "IN", "BETWEEN", "BEGINS_WITH")).orElse("EQ");
        if (!"EQ".equals(condition) || values.size() != 1) {
            throw CloudMapError.invalidInput("Service filter " + name + " supports only condition EQ with one value");
        }
        String value = values.get(0);
        if ("RESOURCE_OWNER".equals(name)) {
            boolean self = EmulatorState.resourceOwnerIsSelf(value);
            return s -> self;
        }
        return s -> s.namespaceId.equals(EmulatorState.idOf(value));
    }

    private ObjectNode wrap(ServiceEntry service) {
        ObjectNode out = JsonShapes.object();
        out.set("Service", JsonShapes.service(service, state.accountId, false));
        return out;
    }
}
