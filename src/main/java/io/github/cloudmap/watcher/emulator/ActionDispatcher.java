package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Knows the operation names of the Cloud Map model, parses {@code X-Amz-Target}, and runs the
 * handler of an implemented operation under the state lock.
 *
 * <p>Thread-safe: its route table is fixed at construction; the handlers run under the state lock.
 */
final class ActionDispatcher {

    static final String TARGET_PREFIX = "Route53AutoNaming_v20170314.";

    /** All 30 operations of API version 2017-03-14, so unimplemented ones get a precise answer. */
    static final Set<String> MODEL_OPERATIONS = Set.of(
            "CreateHttpNamespace", "CreatePrivateDnsNamespace", "CreatePublicDnsNamespace", "CreateService",
            "DeleteNamespace", "DeleteService", "DeleteServiceAttributes", "DeregisterInstance",
            "DiscoverInstances", "DiscoverInstancesRevision", "GetInstance", "GetInstancesHealthStatus",
            "GetNamespace", "GetOperation", "GetService", "GetServiceAttributes", "ListInstances",
            "ListNamespaces", "ListOperations", "ListServices", "ListTagsForResource", "RegisterInstance",
            "TagResource", "UntagResource", "UpdateHttpNamespace", "UpdateInstanceCustomHealthStatus",
            "UpdatePrivateDnsNamespace", "UpdatePublicDnsNamespace", "UpdateService", "UpdateServiceAttributes");

    private final EmulatorState state;
    private final Map<String, Function<JsonRequest, ObjectNode>> routes = new HashMap<>();

    ActionDispatcher(EmulatorState state) {
        this.state = state;
        NamespaceHandler namespaces = new NamespaceHandler(state);
        ServiceHandler services = new ServiceHandler(state);
        InstanceHandler instances = new InstanceHandler(state);
        OperationHandler operations = new OperationHandler(state);
        HealthHandler health = new HealthHandler(state);
        TagHandler tags = new TagHandler(state);
        ServiceAttributesHandler serviceAttributes = new ServiceAttributesHandler(state);
        routes.put("CreateHttpNamespace", namespaces::createHttp);
        routes.put("CreatePrivateDnsNamespace", namespaces::createPrivateDns);
        routes.put("CreatePublicDnsNamespace", namespaces::createPublicDns);
        routes.put("UpdateHttpNamespace", namespaces::updateHttp);
        routes.put("UpdatePrivateDnsNamespace", namespaces::updatePrivateDns);
        routes.put("UpdatePublicDnsNamespace", namespaces::updatePublicDns);
        routes.put("DeleteNamespace", namespaces::delete);
        routes.put("GetNamespace", namespaces::get);
        routes.put("ListNamespaces", namespaces::list);
        routes.put("CreateService", services::create);
        routes.put("GetService", services::get);
        routes.put("UpdateService", services::update);
        routes.put("DeleteService", services::delete);
        routes.put("ListServices", services::list);
        routes.put("RegisterInstance", instances::register);
        routes.put("DeregisterInstance", instances::deregister);
        routes.put("GetInstance", instances::get);
        routes.put("ListInstances", instances::list);
        routes.put("DiscoverInstances", instances::discover);
        routes.put("DiscoverInstancesRevision", instances::discoverRevision);
        routes.put("GetInstancesHealthStatus", health::getStatus);
        routes.put("UpdateInstanceCustomHealthStatus", health::updateCustomStatus);
        routes.put("TagResource", tags::tag);
        routes.put("UntagResource", tags::untag);
        routes.put("ListTagsForResource", tags::list);
        routes.put("GetServiceAttributes", serviceAttributes::get);
        routes.put("UpdateServiceAttributes", serviceAttributes::update);
        routes.put("DeleteServiceAttributes", serviceAttributes::delete);
        routes.put("GetOperation", operations::get);
        routes.put("ListOperations", operations::list);
    }

    /**
     * The operation named by an {@code X-Amz-Target} header value.
     *
     * @throws CloudMapError UnknownOperationException if the header is missing, malformed, names no
     *                       model operation, or names one the emulator does not implement
     */
    String action(String target) {
        if (target == null || target.isBlank()) {
            throw CloudMapError.of("UnknownOperationException", "Missing header X-Amz-Target; send "
                    + "X-Amz-Target: " + TARGET_PREFIX + "<Operation>");
        }
        if (!target.startsWith(TARGET_PREFIX)) {
            throw CloudMapError.of("UnknownOperationException", "X-Amz-Target '" + target + "' does not start with "
                    + TARGET_PREFIX);
        }
        String action = target.substring(TARGET_PREFIX.length());
        if (!MODEL_OPERATIONS.contains(action)) {
            throw CloudMapError.of("UnknownOperationException", "Unknown operation '" + action
                    + "' in X-Amz-Target; Cloud Map 2017-03-14 has no such operation");
        }
        if (!routes.containsKey(action)) {
            throw CloudMapError.of("UnknownOperationException", "Operation " + action
                    + " is not implemented by the emulator");
        }
        return action;
    }

    /**
     * The model operation an {@code X-Amz-Target} value names, implemented or not; empty if it
     * is missing, malformed or names no operation of the model. Never throws.
     */
    Optional<String> modelOperation(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return Optional.empty();
        }
        String action = target.substring(TARGET_PREFIX.length());
        return MODEL_OPERATIONS.contains(action) ? Optional.of(action) : Optional.empty();
    }

    /** Settles due operations, then runs the handler of {@code action} on {@code body}. */
    ObjectNode dispatch(String action, JsonNode body) {
        Function<JsonRequest, ObjectNode> handler = routes.get(action);
        return state.locked(() -> handler.apply(JsonRequest.of(body)));
    }
}
