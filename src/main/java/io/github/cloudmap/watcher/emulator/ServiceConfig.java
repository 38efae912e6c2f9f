package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's DnsConfig, HealthCheckConfig and HealthCheckCustomConfig, validated member by
 * member against the model when a request arrives, and written back from the validated values
 * only. Storing the request's JSON instead would echo members the model does not have, or values
 * of the wrong type that make every SDK fail to parse GetService and ListServices afterwards.
 *
 * <p>Immutable value types and stateless checks; thread-safe.
 */
final class ServiceConfig {

    private static final List<String> RECORD_TYPES = List.of("SRV", "A", "AAAA", "CNAME");
    private static final List<String> ROUTING_POLICIES = List.of("MULTIVALUE", "WEIGHTED");
    private static final List<String> HEALTH_CHECK_TYPES = List.of("HTTP", "HTTPS", "TCP");

    private ServiceConfig() {
    }

    /** One DnsRecord: its Type and its TTL in seconds. */
    record DnsRecord(String type, long ttl) {
    }

    /** DnsConfig without its NamespaceId, which is always the service's namespace. */
    record Dns(String routingPolicy, List<DnsRecord> records) {

        Dns withRecords(List<DnsRecord> newRecords) {
            return new Dns(routingPolicy, newRecords);
        }

        boolean hasCname() {
            return records.stream().anyMatch(r -> "CNAME".equals(r.type()));
        }

        ObjectNode toJson(String namespaceId) {
            ObjectNode out = JsonShapes.object();
            out.put("NamespaceId", namespaceId);
            out.put("RoutingPolicy", routingPolicy);
            ArrayNode list = out.putArray("DnsRecords");
            records.forEach(r -> list.addObject().put("Type", r.type()).put("TTL", r.ttl()));
            return out;
        }
    }

    /** HealthCheckConfig: Type, and ResourcePath and FailureThreshold when they were given ({@code null} if not). */
    record HealthCheck(String type, String resourcePath, Integer failureThreshold) {

        ObjectNode toJson() {
            ObjectNode out = JsonShapes.object().put("Type", type);
            if (resourcePath != null) {
                out.put("ResourcePath", resourcePath);
            }
            if (failureThreshold != null) {
                out.put("FailureThreshold", failureThreshold);
            }
            return out;
        }
    }

    /** HealthCheckCustomConfig; it has no settings left that take effect. */
    record CustomHealthCheck() {

        ObjectNode toJson() {
            // The model: FailureThreshold "is no longer supported and is always set to 1".
            return JsonShapes.object().put("FailureThreshold", 1);
        }
    }

    /**
     * CreateService's DnsConfig: RoutingPolicy (default MULTIVALUE) and the required DnsRecords.
     * Its deprecated NamespaceId is read by the caller.
     */
    static Dns dns(JsonRequest dnsConfig) {
        String routingPolicy = dnsConfig.optionalEnum("RoutingPolicy", ROUTING_POLICIES).orElse("MULTIVALUE");
        Dns dns = new Dns(routingPolicy, dnsRecords(dnsConfig));
        if (dns.hasCname() && !"WEIGHTED".equals(routingPolicy)) {
            throw CloudMapError.invalidInput("Member '" + dnsConfig.path() + ".RoutingPolicy' must be WEIGHTED for a "
                    + "CNAME record, got " + routingPolicy);
        }
        return dns;
    }

    /** The required DnsRecords list of a DnsConfig or DnsConfigChange: each with a Type and a TTL, no Type twice. */
    static List<DnsRecord> dnsRecords(JsonRequest dnsConfig) {
        List<JsonRequest> elements = dnsConfig.requiredObjectList("DnsRecords");
        Set<String> seen = new HashSet<>();
        List<DnsRecord> records = elements.stream().map(record -> {
            String type = record.requiredEnum("Type", RECORD_TYPES);
            long ttl = record.optionalLong("TTL", 0, Integer.MAX_VALUE).orElseThrow(
                    () -> CloudMapError.invalidInput("Member '" + record.path() + ".TTL' is required"));
            if (!seen.add(type)) {
                throw CloudMapError.invalidInput("Member '" + dnsConfig.path() + ".DnsRecords' lists type " + type
                        + " twice");
            }
            return new DnsRecord(type, ttl);
        }).toList();
        if (seen.contains("CNAME") && records.size() > 1) {
            throw CloudMapError.invalidInput("Member '" + dnsConfig.path() + ".DnsRecords': a CNAME record cannot be "
                    + "combined with other records");
        }
        return records;
    }

    /** HealthCheckConfig: Type required; ResourcePath at most 255 characters and not with TCP; FailureThreshold 1-10. */
    static HealthCheck healthCheck(JsonRequest config) {
        String type = config.requiredEnum("Type", HEALTH_CHECK_TYPES);
        String resourcePath = config.optionalString("ResourcePath", 255).orElse(null);
        if (resourcePath != null && "TCP".equals(type)) {
            throw CloudMapError.invalidInput("Member '" + config.path() + ".ResourcePath' must not be set for a TCP "
                    + "health check");
        }
        Integer failureThreshold = config.optionalInt("FailureThreshold", 1, 10).orElse(null);
        return new HealthCheck(type, resourcePath, failureThreshold);
    }

    /** HealthCheckCustomConfig: FailureThreshold, if given, an integer 1-10. */
    static CustomHealthCheck customHealthCheck(JsonRequest config) {
        config.optionalInt("FailureThreshold", 1, 10);
        return new CustomHealthCheck();
    }

    /**
     * The rules across settings: HealthCheckConfig only in public DNS and HTTP namespaces (the
     * model: "Public DNS and HTTP namespaces only"), not together with HealthCheckCustomConfig,
     * and not with a CNAME record.
     */
    static void checkCombination(NamespaceEntry namespace, Optional<Dns> dns, Optional<HealthCheck> healthCheck,
                                 boolean customHealthCheck) {
        if (healthCheck.isEmpty()) {
            return;
        }
        if ("DNS_PRIVATE".equals(namespace.type)) {
            throw CloudMapError.invalidInput("HealthCheckConfig is only allowed in public DNS and HTTP namespaces, "
                    + "not in private DNS namespace " + namespace.id + "; use HealthCheckCustomConfig instead");
        }
        if (customHealthCheck) {
            throw CloudMapError.invalidInput("A service takes HealthCheckConfig or HealthCheckCustomConfig, not both");
        }
        if (dns.isPresent() && dns.get().hasCname()) {
            throw CloudMapError.invalidInput("HealthCheckConfig cannot be combined with a CNAME record");
        }
    }
}
