package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.DnsRecord;
import software.amazon.awssdk.services.servicediscovery.model.HealthCheckType;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.Service;

/**
 * What UpdateService may and may not change, per the model's documentation, through the real
 * SDK: record types stay, TTLs change; an omitted HealthCheckConfig is deleted; a custom health
 * check stays; a service in an HTTP namespace cannot be updated.
 */
// The SDK's DnsRecord builders take generic varargs of consumers.
@SuppressWarnings("unchecked")
class UpdateServiceRulesIT {

    private EmulatorFixture fx;
    private String privateNs;
    private String publicNs;

    @BeforeEach
    void start() {
        fx = new EmulatorFixture();
        privateNs = fx.privateNamespace("corp.local");
        publicNs = fx.publicNamespace("example.com");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private Service get(String id) {
        return join(fx.client.getService(r -> r.id(id))).service();
    }

    private OperationStatus update(String id, java.util.function.Consumer<
            software.amazon.awssdk.services.servicediscovery.model.ServiceChange.Builder> change) {
        String op = join(fx.client.updateService(r -> r.id(id).service(change))).operationId();
        return fx.operation(op).status();
    }

    @Test
    void theRecordTypeCannotChangeButTheTtlCan() {
        String id = fx.service(privateNs, "api", r -> r.dnsConfig(d -> d.dnsRecords(
                rec -> rec.type(RecordType.A).ttl(60L), rec -> rec.type(RecordType.AAAA).ttl(60L)))).id();
        int operations = fx.emulator.operations().size();

        assertThatThrownBy(() -> update(id, s -> s.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.SRV).ttl(60L)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("can't be updated");
        assertThatThrownBy(() -> update(id, s -> s.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A).ttl(60L)))))
                .as("dropping the AAAA record changes the record types")
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("[A, AAAA]");
        assertThat(fx.emulator.operations()).as("refused at once, no OperationId").hasSize(operations);

        assertThat(update(id, s -> s.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.AAAA).ttl(300L),
                rec -> rec.type(RecordType.A).ttl(120L))))).isEqualTo(OperationStatus.SUCCESS);
        assertThat(get(id).dnsConfig().dnsRecords()).extracting(DnsRecord::type, DnsRecord::ttl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(RecordType.AAAA, 300L),
                        org.assertj.core.groups.Tuple.tuple(RecordType.A, 120L));

        assertThat(update(id, s -> s.description("records untouched"))).isEqualTo(OperationStatus.SUCCESS);
        assertThat(get(id).dnsConfig().dnsRecords()).hasSize(2);
    }

    @Test
    void anOmittedHealthCheckConfigIsDeletedAndOneCanBeAddedAgain() {
        String id = fx.service(publicNs, "web", r -> r.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A)
                .ttl(60L))).healthCheckConfig(h -> h.type(HealthCheckType.HTTP).resourcePath("/health"))).id();
        fx.register(id, "i-1", Map.of("AWS_INSTANCE_IPV4", "192.0.2.1", "AWS_INSTANCE_PORT", "80"));
        assertThat(join(fx.client.getInstancesHealthStatus(r -> r.serviceId(id))).status())
                .containsEntry("i-1", HealthStatus.HEALTHY);

        assertThat(update(id, s -> s.description("no health check any more"))).isEqualTo(OperationStatus.SUCCESS);
        Service updated = get(id);
        assertThat(updated.healthCheckConfig()).isNull();
        assertThat(updated.description()).isEqualTo("no health check any more");
        assertThat(join(fx.client.getInstancesHealthStatus(r -> r.serviceId(id))).status())
                .containsEntry("i-1", HealthStatus.UNKNOWN);

        assertThat(update(id, s -> s.healthCheckConfig(h -> h.type(HealthCheckType.TCP))))
                .isEqualTo(OperationStatus.SUCCESS);
        assertThat(get(id).healthCheckConfig().type()).isEqualTo(HealthCheckType.TCP);
        assertThat(get(id).description()).as("an omitted Description stays").isEqualTo("no health check any more");
    }

    @Test
    void aCustomHealthCheckStaysWhenOmittedWhileAHealthCheckConfigGoes() {
        String custom = fx.service(privateNs, "jobs", r -> r.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A)
                .ttl(60L))).healthCheckCustomConfig(c -> { })).id();
        String checked = fx.service(publicNs, "web", r -> r.dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A)
                .ttl(60L))).healthCheckConfig(h -> h.type(HealthCheckType.TCP))).id();
        assertThat(update(custom, s -> s.description("v2"))).isEqualTo(OperationStatus.SUCCESS);
        assertThat(update(checked, s -> s.description("v2"))).isEqualTo(OperationStatus.SUCCESS);
        assertThat(get(custom).healthCheckCustomConfig()).isNotNull();
        assertThat(get(checked).healthCheckConfig()).isNull();
    }

    @Test
    void aServiceInAnHttpNamespaceCannotBeUpdated() {
        String id = fx.service(fx.httpNamespace("shop"), "cart", r -> { }).id();
        int operations = fx.emulator.operations().size();
        assertThatThrownBy(() -> update(id, s -> s.description("v2")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("HTTP namespace");
        assertThat(fx.emulator.operations()).hasSize(operations);
    }
}
