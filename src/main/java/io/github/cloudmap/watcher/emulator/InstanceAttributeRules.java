package io.github.cloudmap.watcher.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules RegisterInstance's documentation in the model states for the Attributes of an
 * instance, checked against the service (its DNS records, routing policy and health check) and
 * its namespace before an operation is submitted: a broken registration is refused at once with
 * InvalidInput and no OperationId, as Cloud Map does.
 *
 * <ul>
 *   <li>At most 30 custom attributes (the {@code AWS_} keys below do not count) and at most
 *       5,000 characters over all keys and values.</li>
 *   <li>An A record needs {@code AWS_INSTANCE_IPV4}, an AAAA record {@code AWS_INSTANCE_IPV6},
 *       an SRV record {@code AWS_INSTANCE_IPV4} or {@code AWS_INSTANCE_IPV6} (or both) and
 *       {@code AWS_INSTANCE_PORT}, a CNAME record {@code AWS_INSTANCE_CNAME}; a Route 53 health
 *       check ({@code HealthCheckConfig}) needs {@code AWS_INSTANCE_PORT}.</li>
 *   <li>{@code AWS_ALIAS_DNS_NAME} needs an A or AAAA record and routing policy WEIGHTED, and no
 *       {@code AWS_INSTANCE_*} attribute beside it; it replaces the IP addresses.</li>
 *   <li>{@code AWS_EC2_INSTANCE_ID} only in HTTP namespaces, with no other attribute than
 *       {@code AWS_INIT_HEALTH_STATUS}; Cloud Map then fills in {@code AWS_INSTANCE_IPV4} with the
 *       instance's primary private address, which the emulator derives from the instance ID.</li>
 *   <li>{@code AWS_INIT_HEALTH_STATUS} is HEALTHY or UNHEALTHY.</li>
 * </ul>
 *
 * <p>Where the model is silent the emulator chose: an address or port is checked for its form
 * (dotted-quad IPv4, RFC 4291 IPv6, port 1-65535) only where a record or health check uses it,
 * since an HTTP-only service stores attributes as plain strings.
 *
 * <p>Stateless and thread-safe.
 */
final class InstanceAttributeRules {

    static final String ALIAS_DNS_NAME = "AWS_ALIAS_DNS_NAME";
    static final String EC2_INSTANCE_ID = "AWS_EC2_INSTANCE_ID";
    static final String INIT_HEALTH_STATUS = "AWS_INIT_HEALTH_STATUS";
    static final String INSTANCE_CNAME = "AWS_INSTANCE_CNAME";
    static final String INSTANCE_IPV4 = "AWS_INSTANCE_IPV4";
    static final String INSTANCE_IPV6 = "AWS_INSTANCE_IPV6";
    static final String INSTANCE_PORT = "AWS_INSTANCE_PORT";

    static final int MAX_CUSTOM_ATTRIBUTES = 30;
    static final int MAX_TOTAL_CHARACTERS = 5_000;

    private static final Set<String> RESERVED = Set.of(ALIAS_DNS_NAME, EC2_INSTANCE_ID, INIT_HEALTH_STATUS,
            INSTANCE_CNAME, INSTANCE_IPV4, INSTANCE_IPV6, INSTANCE_PORT);
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$");
    private static final Pattern HEX_GROUP = Pattern.compile("^[0-9a-fA-F]{1,4}$");
    private static final Pattern EC2_ID = Pattern.compile("^i-([0-9a-f]{8}|[0-9a-f]{17})$");

    private InstanceAttributeRules() {
    }

    /**
     * Checks {@code attributes} for an instance of {@code service} in {@code namespace} and
     * returns what Cloud Map stores (with {@code AWS_INSTANCE_IPV4} added for an EC2 instance).
     *
     * @throws CloudMapError InvalidInput naming the rule that was broken
     */
    static Map<String, String> check(NamespaceEntry namespace, ServiceEntry service, String instanceId,
                                     Map<String, String> attributes) {
        long custom = attributes.keySet().stream().filter(k -> !RESERVED.contains(k)).count();
        if (custom > MAX_CUSTOM_ATTRIBUTES) {
            throw CloudMapError.invalidInput("An instance takes at most " + MAX_CUSTOM_ATTRIBUTES
                    + " custom attributes, got " + custom);
        }
        int size = attributes.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (size > MAX_TOTAL_CHARACTERS) {
            throw CloudMapError.invalidInput("The attributes of instance " + instanceId + " hold " + size
                    + " characters in keys and values; the limit is " + MAX_TOTAL_CHARACTERS);
        }
        String init = attributes.get(INIT_HEALTH_STATUS);
        if (init != null && !InstanceHealth.CUSTOM_STATUSES.contains(init)) {
            throw CloudMapError.invalidInput(INIT_HEALTH_STATUS + " must be HEALTHY or UNHEALTHY, got '" + init + "'");
        }
        if (attributes.containsKey(EC2_INSTANCE_ID)) {
            return ec2Instance(namespace, attributes);
        }
        List<String> records = service.dnsConfig == null ? List.of()
                : service.dnsConfig.records().stream().map(ServiceConfig.DnsRecord::type).toList();
        if (attributes.containsKey(ALIAS_DNS_NAME)) {
            checkAlias(service, records, attributes);
            return copy(attributes);
        }
        if (records.contains("A")) {
            require(attributes, INSTANCE_IPV4, service, "an A record");
        }
        if (records.contains("AAAA")) {
            require(attributes, INSTANCE_IPV6, service, "an AAAA record");
        }
        if (records.contains("SRV")) {
            if (!attributes.containsKey(INSTANCE_IPV4) && !attributes.containsKey(INSTANCE_IPV6)) {
                throw CloudMapError.invalidInput("Service " + service.id + " has an SRV record, so its instances need "
                        + INSTANCE_IPV4 + ", " + INSTANCE_IPV6 + " or both");
            }
            require(attributes, INSTANCE_PORT, service, "an SRV record");
        }
        if (records.contains("CNAME")) {
            require(attributes, INSTANCE_CNAME, service, "a CNAME record");
        }
        if (service.healthCheckConfig != null) {
            require(attributes, INSTANCE_PORT, service, "a Route 53 health check (HealthCheckConfig)");
        }
        if (!records.isEmpty()) {
            checkForm(attributes, INSTANCE_IPV4);
            checkForm(attributes, INSTANCE_IPV6);
        }
        if (records.contains("SRV") || service.healthCheckConfig != null) {
            checkForm(attributes, INSTANCE_PORT);
        }
        return copy(attributes);
    }

    private static Map<String, String> ec2Instance(NamespaceEntry namespace, Map<String, String> attributes) {
        if (namespace.isDns()) {
            throw CloudMapError.invalidInput(EC2_INSTANCE_ID + " is for HTTP namespaces only; namespace "
                    + namespace.id + " is " + namespace.type);
        }
        attributes.keySet().stream().filter(k -> !EC2_INSTANCE_ID.equals(k) && !INIT_HEALTH_STATUS.equals(k))
                .findFirst().ifPresent(k -> {
                    throw CloudMapError.invalidInput("With " + EC2_INSTANCE_ID + " the only other attribute allowed "
                            + "is " + INIT_HEALTH_STATUS + ", got " + k);
                });
        String ec2Id = attributes.get(EC2_INSTANCE_ID);
        if (!EC2_ID.matcher(ec2Id).matches()) {
            throw CloudMapError.invalidInput(EC2_INSTANCE_ID + " '" + ec2Id + "' is not an EC2 instance ID such as "
                    + "i-0123456789abcdef0");
        }
        Map<String, String> stored = new LinkedHashMap<>(attributes);
        stored.put(INSTANCE_IPV4, privateAddressOf(ec2Id));
        return Collections.unmodifiableMap(stored);
    }

    private static void checkAlias(ServiceEntry service, List<String> records, Map<String, String> attributes) {
        if (!records.contains("A") && !records.contains("AAAA")) {
            throw CloudMapError.invalidInput(ALIAS_DNS_NAME + " needs a service with an A or AAAA record; service "
                    + service.id + " has " + (records.isEmpty() ? "no DNS records" : records));
        }
        if (!"WEIGHTED".equals(service.dnsConfig.routingPolicy())) {
            throw CloudMapError.invalidInput(ALIAS_DNS_NAME + " needs routing policy WEIGHTED; service " + service.id
                    + " has " + service.dnsConfig.routingPolicy());
        }
        attributes.keySet().stream().filter(k -> k.startsWith("AWS_INSTANCE_")).findFirst().ifPresent(k -> {
            throw CloudMapError.invalidInput("With " + ALIAS_DNS_NAME + " no AWS_INSTANCE attribute may be given, "
                    + "got " + k);
        });
    }

    private static void require(Map<String, String> attributes, String key, ServiceEntry service, String reason) {
        if (!attributes.containsKey(key)) {
            throw CloudMapError.invalidInput("Service " + service.id + " has " + reason + ", so its instances need the "
                    + "attribute " + key);
        }
    }

    private static void checkForm(Map<String, String> attributes, String key) {
        String value = attributes.get(key);
        if (value == null) {
            return;
        }
        boolean valid = switch (key) {
            case INSTANCE_IPV4 -> IPV4.matcher(value).matches();
            case INSTANCE_IPV6 -> isIpv6(value);
            default -> isPort(value);
        };
        if (!valid) {
            String form = switch (key) {
                case INSTANCE_IPV4 -> "an IPv4 address such as 192.0.2.44";
                case INSTANCE_IPV6 -> "an IPv6 address such as 2001:db8::1";
                default -> "a port from 1 to 65535";
            };
            throw CloudMapError.invalidInput(key + " '" + value + "' is not " + form);
        }
    }

    private static boolean isPort(String value) {
        if (!value.matches("[0-9]{1,5}")) {
            return false;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65_535;
    }

    /** RFC 4291 text forms: eight groups, one "::" for a run of zero groups, an IPv4 tail. */
    static boolean isIpv6(String value) {
        String text = value;
        int groups = 0;
        int lastColon = text.lastIndexOf(':');
        if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
            if (!IPV4.matcher(text.substring(lastColon + 1)).matches()) {
                return false;
            }
            text = text.substring(0, lastColon + 1) + "0:0";
        }
        int compressed = text.indexOf("::");
        if (compressed != text.lastIndexOf("::")) {
            return false;
        }
        String[] parts = compressed >= 0
                ? (text.substring(0, compressed) + ":" + text.substring(compressed + 2)).split(":", -1)
                : text.split(":", -1);
        for (String part : parts) {
            if (part.isEmpty() && compressed >= 0) {
                continue;
            }
            if (!HEX_GROUP.matcher(part).matches()) {
                return false;
            }
            groups++;
        }
        return compressed >= 0 ? groups <= 7 : groups == 8;
    }

    /** A stable address in 172.31.0.0/16 (the default VPC's range) for an EC2 instance ID. */
    private static String privateAddressOf(String ec2Id) {
        int hash = ec2Id.hashCode();
        return "172.31." + ((hash >>> 8) & 0xFF) + "." + Math.max(1, hash & 0xFF);
    }

    private static Map<String, String> copy(Map<String, String> attributes) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
