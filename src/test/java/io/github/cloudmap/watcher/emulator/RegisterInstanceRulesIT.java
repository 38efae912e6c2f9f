package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.CreateServiceRequest;
import software.amazon.awssdk.services.servicediscovery.model.HealthCheckType;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;

/**
 * RegisterInstance's attribute rules from the model's documentation, through the real SDK: a
 * registration that breaks one is refused at once with InvalidInput, and no operation is
 * submitted.
 */
// The SDK's DnsRecord builders take generic varargs of consumers.
@SuppressWarnings("unchecked")
class RegisterInstanceRulesIT {

    private EmulatorFixture fx;
    private String privateNs;
    private String publicNs;
    private String httpNs;

    @BeforeEach
    void start() {
        fx = new EmulatorFixture();
        privateNs = fx.privateNamespace("corp.local");
        publicNs = fx.publicNamespace("example.com");
        httpNs = fx.httpNamespace("shop");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private String dnsService(String name, RoutingPolicy policy, RecordType... types) {
        return dnsService(privateNs, name, policy, r -> { }, types);
    }

    private String dnsService(String namespaceId, String name, RoutingPolicy policy,
                              Consumer<CreateServiceRequest.Builder> more, RecordType... types) {
        return fx.service(namespaceId, name, r -> {
            r.dnsConfig(d -> {
                d.routingPolicy(policy);
                d.dnsRecords(java.util.Arrays.stream(types)
                        .map(t -> software.amazon.awssdk.services.servicediscovery.model.DnsRecord.builder()
                                .type(t).ttl(60L).build()).toList());
            });
            more.accept(r);
        }).id();
    }

    /** The registration is refused with InvalidInput naming {@code mentioning}, and no operation is submitted. */
    private void assertRefused(String serviceId, Map<String, String> attributes, String mentioning) {
        int operations = fx.emulator.operations().size();
        assertThatThrownBy(() -> join(fx.client.registerInstance(r -> r.serviceId(serviceId).instanceId("i-1")
                .attributes(attributes))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(mentioning);
        assertThat(fx.emulator.operations()).as("no OperationId for a refused registration").hasSize(operations);
    }

    @Test
    void anARecordNeedsAnIpv4AddressAndAnAaaaRecordAnIpv6Address() {
        String a = dnsService("a", RoutingPolicy.MULTIVALUE, RecordType.A);
        assertRefused(a, Map.of(), "AWS_INSTANCE_IPV4");
        assertRefused(a, Map.of("AWS_INSTANCE_IPV4", "10.0.0.300"), "not an IPv4 address");
        fx.register(a, "i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"));

        String aaaa = dnsService("aaaa", RoutingPolicy.MULTIVALUE, RecordType.AAAA);
        assertRefused(aaaa, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"), "AWS_INSTANCE_IPV6");
        assertRefused(aaaa, Map.of("AWS_INSTANCE_IPV6", "2001:db8:::1"), "not an IPv6 address");
        fx.register(aaaa, "i-1", Map.of("AWS_INSTANCE_IPV6", "2001:db8::1"));
        fx.register(aaaa, "i-2", Map.of("AWS_INSTANCE_IPV6", "2001:0db8:85a3:0000:0000:abcd:0001:2345"));
        fx.register(aaaa, "i-3", Map.of("AWS_INSTANCE_IPV6", "::ffff:192.0.2.44"));

        String both = dnsService("both", RoutingPolicy.MULTIVALUE, RecordType.A, RecordType.AAAA);
        assertRefused(both, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"), "AWS_INSTANCE_IPV6");
        fx.register(both, "i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_IPV6", "::1"));
    }

    @Test
    void anSrvRecordNeedsAPortAndAnAddress() {
        String srv = dnsService("_api._tcp", RoutingPolicy.MULTIVALUE, RecordType.SRV);
        assertRefused(srv, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"), "AWS_INSTANCE_PORT");
        assertRefused(srv, Map.of("AWS_INSTANCE_PORT", "8080"), "AWS_INSTANCE_IPV4, AWS_INSTANCE_IPV6 or both");
        assertRefused(srv, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_PORT", "80x"), "not a port");
        assertRefused(srv, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_PORT", "65536"), "not a port");
        fx.register(srv, "i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "AWS_INSTANCE_PORT", "8080"));
        fx.register(srv, "i-2", Map.of("AWS_INSTANCE_IPV6", "::1", "AWS_INSTANCE_PORT", "8080"));
    }

    @Test
    void aCnameRecordNeedsAwsInstanceCname() {
        String cname = dnsService("www", RoutingPolicy.WEIGHTED, RecordType.CNAME);
        assertRefused(cname, Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"), "AWS_INSTANCE_CNAME");
        fx.register(cname, "i-1", Map.of("AWS_INSTANCE_CNAME", "backend.example.org"));
    }

    @Test
    void aRoute53HealthCheckNeedsAPort() {
        String checked = dnsService(publicNs, "web", RoutingPolicy.MULTIVALUE,
                r -> r.healthCheckConfig(h -> h.type(HealthCheckType.HTTP)), RecordType.A);
        assertRefused(checked, Map.of("AWS_INSTANCE_IPV4", "192.0.2.1"), "HealthCheckConfig");
        fx.register(checked, "i-1", Map.of("AWS_INSTANCE_IPV4", "192.0.2.1", "AWS_INSTANCE_PORT", "443"));
        String httpChecked = fx.service(httpNs, "api", r -> r.healthCheckConfig(h -> h.type(HealthCheckType.TCP)))
                .id();
        assertRefused(httpChecked, Map.of(), "AWS_INSTANCE_PORT");
    }

    @Test
    void anAliasNeedsAnAOrAaaaRecordWeightedRoutingAndNoInstanceAttributes() {
        String weighted = dnsService("lb", RoutingPolicy.WEIGHTED, RecordType.A);
        String alias = "my-lb-1234567890.us-east-1.elb.amazonaws.com";
        assertRefused(weighted, Map.of("AWS_ALIAS_DNS_NAME", alias, "AWS_INSTANCE_IPV4", "10.0.0.1"),
                "AWS_INSTANCE_IPV4");
        fx.register(weighted, "i-1", Map.of("AWS_ALIAS_DNS_NAME", alias));

        String multivalue = dnsService("mv", RoutingPolicy.MULTIVALUE, RecordType.A);
        assertRefused(multivalue, Map.of("AWS_ALIAS_DNS_NAME", alias), "WEIGHTED");
        String srv = dnsService("_x._tcp", RoutingPolicy.WEIGHTED, RecordType.SRV);
        assertRefused(srv, Map.of("AWS_ALIAS_DNS_NAME", alias), "A or AAAA record");
        String http = fx.service(httpNs, "plain", r -> { }).id();
        assertRefused(http, Map.of("AWS_ALIAS_DNS_NAME", alias), "no DNS records");
    }

    @Test
    void anEc2InstanceIdIsForHttpNamespacesAloneAndFillsInTheIpv4Address() {
        String http = fx.service(httpNs, "workers", r -> r.healthCheckCustomConfig(c -> { })).id();
        assertRefused(http, Map.of("AWS_EC2_INSTANCE_ID", "i-0123456789abcdef0", "zone", "a"), "only other attribute");
        assertRefused(http, Map.of("AWS_EC2_INSTANCE_ID", "vm-1"), "not an EC2 instance ID");
        fx.register(http, "w-1", Map.of("AWS_EC2_INSTANCE_ID", "i-0123456789abcdef0",
                "AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
        Map<String, String> stored = join(fx.client.getInstance(r -> r.serviceId(http).instanceId("w-1")))
                .instance().attributes();
        assertThat(stored).containsEntry("AWS_EC2_INSTANCE_ID", "i-0123456789abcdef0")
                .hasEntrySatisfying("AWS_INSTANCE_IPV4", ip -> assertThat(ip).matches("172\\.31\\.\\d+\\.\\d+"));

        String dns = dnsService("vm", RoutingPolicy.MULTIVALUE, RecordType.A);
        assertRefused(dns, Map.of("AWS_EC2_INSTANCE_ID", "i-0123456789abcdef0"), "HTTP namespaces only");
    }

    @Test
    void attributesHoldAtMost5000CharactersAnd30CustomAttributes() {
        String http = fx.service(httpNs, "big", r -> { }).id();
        Map<String, String> large = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            large.put("k" + i, "v".repeat(1000)); // 5 * (2 + 1000) = 5,010 characters
        }
        assertRefused(http, large, "5000");
        large.remove("k4");
        fx.register(http, "i-1", large);

        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 31; i++) {
            many.put("c" + i, "v");
        }
        assertRefused(http, many, "at most 30 custom attributes");
        many.remove("c30");
        many.put("AWS_INSTANCE_IPV4", "10.0.0.1"); // reserved keys do not count
        many.put("AWS_INSTANCE_PORT", "80");
        fx.register(http, "i-2", many);
    }
}
