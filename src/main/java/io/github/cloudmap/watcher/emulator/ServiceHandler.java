package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Service operations: CreateService and DeleteService (synchronous), UpdateService (an
 * operation), GetService and ListServices.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class ServiceHandler {

    private static final Pattern NAME = Pattern.compile(
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
        dnsConfig.ifPresent(ServiceHandler::validateDnsConfig);
        Optional<JsonRequest> healthCheck = request.optionalObject("HealthCheckConfig");
        healthCheck.ifPresent(hc -> hc.requiredEnum("Type", List.of("HTTP", "HTTPS", "TCP")));
        Optional<JsonRequest> customHealth = request.optionalObject("HealthCheckCustomConfig");

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
        if (dnsConfig.isPresent() && !ns.isDns()) {
            throw CloudMapError.invalidInput("DnsConfig is not allowed for a service in HTTP namespace " + ns.id);
        }
        if (healthCheck.isPresent() && !"DNS_PUBLIC".equals(ns.type)) {
            throw CloudMapError.invalidInput("HealthCheckConfig is only allowed in public DNS namespaces; use "
                    + "HealthCheckCustomConfig instead");
        }
        String type = requestedType.orElse(dnsConfig.isPresent() ? "DNS_HTTP" : "HTTP");

        String id = state.newServiceId();
        ServiceEntry service = new ServiceEntry(state.nextSeq(), id, state.arn("service", id), name, ns.id, type,
                state.clock.instant(), requestId);
        service.description = description;
        service.dnsConfig = dnsConfig.map(d -> ((ObjectNode) d.raw()).deepCopy()).orElse(null);
        if (service.dnsConfig != null) {
            service.dnsConfig.put("NamespaceId", ns.id);
            if (!service.dnsConfig.has("RoutingPolicy")) {
                service.dnsConfig.put("RoutingPolicy", "MULTIVALUE");
            }
        }
        service.healthCheckConfig = healthCheck.map(h -> ((ObjectNode) h.raw()).deepCopy()).orElse(null);
        service.healthCheckCustomConfig = customHealth.map(h -> ((ObjectNode) h.raw()).deepCopy()).orElse(null);
        state.services.put(id, service);
        return wrap(service);
    }

    ObjectNode get(JsonRequest request) {
        return wrap(state.service(request.requiredString("Id", 255)));
    }

    ObjectNode update(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("Id", 255));
        JsonRequest change = request.requiredObject("Service");
        String description = change.optionalString("Description", 1024).orElse(null);
        Optional<JsonRequest> dnsChange = change.optionalObject("DnsConfig");
        dnsChange.ifPresent(ServiceHandler::validateDnsConfig);
        Optional<JsonRequest> healthCheck = change.optionalObject("HealthCheckConfig");
        healthCheck.ifPresent(hc -> hc.requiredEnum("Type", List.of("HTTP", "HTTPS", "TCP")));
        if (dnsChange.isPresent() && service.dnsConfig == null) {
            throw CloudMapError.invalidInput("Service " + service.id + " has no DnsConfig to change");
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
                    dnsChange.ifPresent(d -> current.dnsConfig.set("DnsRecords", d.raw().get("DnsRecords").deepCopy()));
                    healthCheck.ifPresent(h -> current.healthCheckConfig = ((ObjectNode) h.raw()).deepCopy());
                });
        return JsonShapes.operationId(op);
    }

    ObjectNode delete(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("Id", 255));
        boolean registering = state.inFlightOperations().stream()
                .anyMatch(op -> op.key.startsWith("register:" + service.id + "/"));
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
        return "NAMESPACE_ID".equals(name)
                ? s -> s.namespaceId.equals(EmulatorState.idOf(value))
                : s -> state.accountId.equals(value);
    }

    private ObjectNode wrap(ServiceEntry service) {
        ObjectNode out = JsonShapes.object();
        out.set("Service", JsonShapes.service(service, state.accountId, false));
        return out;
    }

    private static void validateDnsConfig(JsonRequest dnsConfig) {
        dnsConfig.optionalEnum("RoutingPolicy", List.of("MULTIVALUE", "WEIGHTED"));
        List<JsonRequest> records = dnsConfig.objectList("DnsRecords");
        if (!dnsConfig.raw().has("DnsRecords")) {
            throw CloudMapError.invalidInput("Member '" + dnsConfig.path() + ".DnsRecords' is required");
        }
        for (JsonRequest record : records) {
            record.requiredEnum("Type", List.of("SRV", "A", "AAAA", "CNAME"));
            record.optionalLong("TTL", 0, Integer.MAX_VALUE).orElseThrow(
                    () -> CloudMapError.invalidInput("Member '" + record.path() + ".TTL' is required"));
        }
    }
}
