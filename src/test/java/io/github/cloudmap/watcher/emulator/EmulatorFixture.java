package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateServiceRequest;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.Service;

/**
 * An emulator with instant operations and a real SDK async client against it, with the steps the
 * rule tests repeat: namespaces of each type, services, registrations awaited to SUCCESS.
 * Close it after each test.
 */
final class EmulatorFixture implements AutoCloseable {

    final CloudMapEmulator emulator;
    final ServiceDiscoveryAsyncClient client;

    EmulatorFixture() {
        this(CloudMapEmulator.builder().operationTimings(OperationTimings.instant()));
    }

    EmulatorFixture(CloudMapEmulator.Builder builder) {
        emulator = builder.start();
        client = SdkClients.client(emulator);
    }

    String httpNamespace(String name) {
        return namespaceOf(join(client.createHttpNamespace(r -> r.name(name))).operationId());
    }

    String privateNamespace(String name) {
        return namespaceOf(join(client.createPrivateDnsNamespace(r -> r.name(name).vpc("vpc-1"))).operationId());
    }

    String publicNamespace(String name) {
        return namespaceOf(join(client.createPublicDnsNamespace(r -> r.name(name))).operationId());
    }

    Service service(String namespaceId, String name, Consumer<CreateServiceRequest.Builder> settings) {
        return join(client.createService(r -> settings.accept(r.name(name).namespaceId(namespaceId)))).service();
    }

    /** Registers an instance and checks its operation ended SUCCESS. */
    void register(String serviceId, String instanceId, Map<String, String> attributes) {
        String operationId = join(client.registerInstance(r -> r.serviceId(serviceId).instanceId(instanceId)
                .attributes(attributes))).operationId();
        assertThat(operation(operationId).status()).isEqualTo(OperationStatus.SUCCESS);
    }

    void deregister(String serviceId, String instanceId) {
        String operationId = join(client.deregisterInstance(r -> r.serviceId(serviceId).instanceId(instanceId)))
                .operationId();
        assertThat(operation(operationId).status()).isEqualTo(OperationStatus.SUCCESS);
    }

    Operation operation(String operationId) {
        return join(client.getOperation(r -> r.operationId(operationId))).operation();
    }

    private String namespaceOf(String operationId) {
        return operation(operationId).targets().get(OperationTargetType.NAMESPACE);
    }

    @Override
    public void close() {
        client.close();
        emulator.close();
    }
}
