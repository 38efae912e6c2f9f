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
 * Namespace operations: Create/Update{Http,PrivateDns,PublicDns}Namespace, DeleteNamespace,
 * GetNamespace and ListNamespaces, with Cloud Map's idempotency and conflict rules.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class NamespaceHandler {

    static final int MAX_NAMESPACES = 50;
    /** What Cloud Map puts in the SOA record of a DNS namespace created without Properties. */
    private static final Long DEFAULT_SOA_TTL = 15L;

    private static final Pattern HTTP_NAME = Pattern.compile("^(?!arn:)[!-~]{1,1024}$");
    private static final Pattern PRIVATE_NAME = Pattern.compile("^(?!arn:)[!-~]{1,253}$");
    private static final Pattern PUBLIC_NAME = Pattern.compile(
            "^([a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])?$");
    private static final List<String> TYPES = List.of("DNS_PUBLIC", "DNS_PRIVATE", "HTTP");

    private final EmulatorState state;

    NamespaceHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode createHttp(JsonRequest request) {
        return create(request, "HTTP", request.requiredString("Name", 1024, HTTP_NAME), null);
    }

    ObjectNode createPrivateDns(JsonRequest request) {
        String name = request.requiredString("Name", 253, PRIVATE_NAME);
        request.requiredString("Vpc", 64);
        return create(request, "DNS_PRIVATE", name, soaTtl(request.optionalObject("Properties"), DEFAULT_SOA_TTL));
    }

    ObjectNode createPublicDns(JsonRequest request) {
        String name = request.requiredString("Name", 253, PUBLIC_NAME);
        return create(request, "DNS_PUBLIC", name, soaTtl(request.optionalObject("Properties"), DEFAULT_SOA_TTL));
    }

    private ObjectNode create(JsonRequest request, String type, String name, Long soaTtl) {
        Map<String, String> tags = Tags.parse(request, "Tags", false);
        Tags.checkCount(Map.of(), tags, name);
        String requestId = request.optionalString("CreatorRequestId", 64).orElse(null);
        String description = request.optionalString("Description", 1024).orElse(null);
        String key = "create-namespace:" + name;

        Optional<OperationEntry> same = state.byRequest(key, requestId);
        if (same.isPresent()) {
            return JsonShapes.operationId(same.get());
        }
        for (NamespaceEntry existing : state.namespaces.values()) {
            if (existing.name.equals(name)) {
                throw CloudMapError.of("NamespaceAlreadyExists", "Namespace " + name + " already exists")
                        .with("CreatorRequestId", existing.creatorRequestId)
                        .with("NamespaceId", existing.id);
            }
        }
        Optional<OperationEntry> running = state.inFlight(key);
        if (running.isPresent()) {
            throw CloudMapError.duplicateRequest("A request to create namespace " + name
                    + " is already in progress", running.get().id);
        }
        long creating = state.inFlightOperations().stream()
                .filter(op -> op.type == OperationType.CREATE_NAMESPACE).count();
        if (state.namespaces.size() + creating >= MAX_NAMESPACES) {
            throw CloudMapError.of("ResourceLimitExceeded", "The limit of " + MAX_NAMESPACES
                    + " namespaces per Region in account " + state.accountId + " is reached");
        }

        String id = state.newNamespaceId();
        String hostedZone = "HTTP".equals(type) ? null : state.newHostedZoneId();
        java.time.Instant createDate = state.clock.instant();
        OperationEntry op = state.submit(OperationType.CREATE_NAMESPACE, "DNS_PUBLIC".equals(type),
                Map.of("NAMESPACE", id), key, requestId, () -> {
                    if (state.namespaces.values().stream().anyMatch(ns -> ns.name.equals(name))) {
                        throw CloudMapError.of("NamespaceAlreadyExists", "Namespace " + name + " already exists");
                    }
                    NamespaceEntry created = new NamespaceEntry(state.nextSeq(), id, state.arn("namespace", id),
                            name, type, createDate, requestId, hostedZone, description,
                            "HTTP".equals(type) ? null : soaTtl);
                    created.tags.putAll(tags);
                    state.namespaces.put(id, created);
                });
        return JsonShapes.operationId(op);
    }

    ObjectNode updateHttp(JsonRequest request) {
        JsonRequest change = request.requiredObject("Namespace");
        String description = change.requiredString("Description", 1024);
        return update(request, "HTTP", description, null);
    }

    ObjectNode updatePrivateDns(JsonRequest request) {
        return updateDns(request, "DNS_PRIVATE");
    }

    ObjectNode updatePublicDns(JsonRequest request) {
        return updateDns(request, "DNS_PUBLIC");
    }

    private ObjectNode updateDns(JsonRequest request, String type) {
        JsonRequest change = request.requiredObject("Namespace");
        String description = change.optionalString("Description", 1024).orElse(null);
        Long ttl = soaTtl(change.optionalObject("Properties"), null);
        return update(request, type, description, ttl);
    }

    private ObjectNode update(JsonRequest request, String type, String description, Long soaTtl) {
        String idOrArn = request.requiredString("Id", 255);
        String requestId = request.optionalString("UpdaterRequestId", 64).orElse(null);
        NamespaceEntry ns = state.namespace(idOrArn);
        if (!ns.type.equals(type)) {
            throw CloudMapError.invalidInput("Namespace " + ns.id + " is of type " + ns.type
                    + "; use the Update operation for that type");
        }
        String key = "update-namespace:" + ns.id;
        Optional<OperationEntry> same = state.byRequest(key, requestId);
        if (same.isPresent()) {
            return JsonShapes.operationId(same.get());
        }
        Optional<OperationEntry> running = state.inFlight(key);
        if (running.isPresent()) {
            throw CloudMapError.duplicateRequest("An update of namespace " + ns.id + " is already in progress",
                    running.get().id);
        }
        OperationEntry op = state.submit(OperationType.UPDATE_NAMESPACE, false, Map.of("NAMESPACE", ns.id), key,
                requestId, () -> {
                    NamespaceEntry current = state.namespace(ns.id);
                    if (description != null) {
                        current.description = description;
                    }
                    if (soaTtl != null) {
                        current.soaTtl = soaTtl;
                    }
                });
        return JsonShapes.operationId(op);
    }

    ObjectNode delete(JsonRequest request) {
        NamespaceEntry ns = state.namespace(request.requiredString("Id", 255));
        String key = "delete-namespace:" + ns.id;
        Optional<OperationEntry> running = state.inFlight(key);
        if (running.isPresent()) {
            throw CloudMapError.duplicateRequest("A deletion of namespace " + ns.id + " is already in progress",
                    running.get().id);
        }
        if (serviceCount(ns.id) > 0) {
            throw CloudMapError.of("ResourceInUse", "Namespace " + ns.id + " still contains "
                    + serviceCount(ns.id) + " service(s); delete them first");
        }
        OperationEntry op = state.submit(OperationType.DELETE_NAMESPACE, "DNS_PUBLIC".equals(ns.type),
                Map.of("NAMESPACE", ns.id), key, null, () -> {
                    if (serviceCount(ns.id) > 0) {
                        throw CloudMapError.of("ResourceInUse", "Namespace " + ns.id + " got services meanwhile");
                    }
                    state.namespaces.remove(ns.id);
                });
        return JsonShapes.operationId(op);
    }

    ObjectNode get(JsonRequest request) {
        NamespaceEntry ns = state.namespace(request.requiredString("Id", 255));
        ObjectNode out = JsonShapes.object();
        out.set("Namespace", JsonShapes.namespace(ns, serviceCount(ns.id), state.accountId, false));
        return out;
    }

    ObjectNode list(JsonRequest request) {
        int max = request.intInRange("MaxResults", 1, 100, 100);
        String token = request.optionalString("NextToken", 4096).orElse(null);
        List<NamespaceEntry> matching = new ArrayList<>(state.namespaces.values());
        for (JsonRequest filter : request.objectList("Filters")) {
            matching.removeIf(filterOf(filter).negate()::test);
        }
        matching.sort((a, b) -> Long.compare(a.seq, b.seq));
        Page<NamespaceEntry> page = Page.of(matching, ns -> ns.seq, token, max, "ListNamespaces");
        ObjectNode out = JsonShapes.object();
        ArrayNode items = out.putArray("Namespaces");
        page.items().forEach(ns -> items.add(JsonShapes.namespace(ns, serviceCount(ns.id), state.accountId, true)));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    private java.util.function.Predicate<NamespaceEntry> filterOf(JsonRequest filter) {
        String name = filter.requiredEnum("Name", List.of("TYPE", "NAME", "HTTP_NAME", "RESOURCE_OWNER"));
        List<String> values = filter.requiredStringList("Values");
        String condition = filter.optionalEnum("Condition", List.of("EQ", "IN", "BETWEEN", "BEGINS_WITH")).orElse("EQ");
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        // The model documents EQ and BEGINS_WITH for TYPE; IN is kept for clients written against older docs.
        allowed.put("TYPE", List.of("EQ", "IN", "BEGINS_WITH"));
        allowed.put("NAME", List.of("EQ", "BEGINS_WITH"));
        allowed.put("HTTP_NAME", List.of("EQ", "BEGINS_WITH"));
        allowed.put("RESOURCE_OWNER", List.of("EQ"));
        if (!allowed.get(name).contains(condition)) {
            throw CloudMapError.invalidInput("Namespace filter " + name + " supports conditions " + allowed.get(name)
                    + ", not " + condition);
        }
        if (!"IN".equals(condition) && values.size() != 1) {
            throw CloudMapError.invalidInput("Namespace filter " + name + " with " + condition + " takes exactly one value");
        }
        // A BEGINS_WITH value is a prefix ("DNS" for both DNS types), so only whole values are checked.
        if ("TYPE".equals(name) && !"BEGINS_WITH".equals(condition)) {
            values.stream().filter(v -> !TYPES.contains(v)).findFirst().ifPresent(v -> {
                throw CloudMapError.invalidInput("Namespace type must be one of " + TYPES + ", got " + v);
            });
        }
        if ("RESOURCE_OWNER".equals(name)) {
            boolean self = EmulatorState.resourceOwnerIsSelf(values.get(0));
            return ns -> self;
        }
        return ns -> {
            String actual = "TYPE".equals(name) ? ns.type : ns.name;
            return "BEGINS_WITH".equals(condition) ? actual.startsWith(values.get(0)) : values.contains(actual);
        };
    }

    private int serviceCount(String namespaceId) {
        return (int) state.services.values().stream().filter(s -> s.namespaceId.equals(namespaceId)).count();
    }

    private static Long soaTtl(Optional<JsonRequest> properties, Long fallback) {
        if (properties.isEmpty()) {
            return fallback;
        }
        JsonRequest soa = properties.get().requiredObject("DnsProperties").requiredObject("SOA");
        return soa.optionalLong("TTL", 0, Integer.MAX_VALUE).orElseThrow(
                () -> CloudMapError.invalidInput("Member '" + soa.path() + ".TTL' is required"));
    }
}
