package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.Instance;
import software.amazon.awssdk.services.servicediscovery.model.InstanceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.InstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ListInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.ResourceInUseException;
import software.amazon.awssdk.services.servicediscovery.model.Service;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceSummary;
import software.amazon.awssdk.services.servicediscovery.model.ServiceType;

/** Services and instances through the real AWS SDK, with instant operations. */
// The SDK's filter and record builders take generic varargs of consumers.
@SuppressWarnings("unchecked")
class ServicesAndInstancesIT {

    private final MutableClock clock = MutableClock.at("2024-05-01T10:00:00Z");
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private String namespaceId;

    @BeforeEach
    void start() {
        emulator = CloudMapEmulator.builder().clock(clock).operationTimings(OperationTimings.instant()).start();
        client = SdkClients.client(emulator);
        String op = join(client.createHttpNamespace(r -> r.name("shop"))).operationId();
        namespaceId = operation(op).targets().get(OperationTargetType.NAMESPACE);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private Operation operation(String id) {
        return join(client.getOperation(r -> r.operationId(id))).operation();
    }

    private Service createService(String name) {
        return join(client.createService(r -> r.name(name).namespaceId(namespaceId))).service();
    }

    private String register(String serviceId, String instanceId, Map<String, String> attributes) {
        return join(client.registerInstance(r -> r.serviceId(serviceId).instanceId(instanceId).attributes(attributes)))
                .operationId();
    }

    @Test
    void createGetAndDeleteService() {
        Service created = createService("cart");
        assertThat(created.id()).matches("srv-[a-z0-9]{16}");
        assertThat(created.arn()).isEqualTo("arn:aws:servicediscovery:us-east-1:123456789012:service/" + created.id());
        assertThat(created.namespaceId()).isEqualTo(namespaceId);
        assertThat(created.type()).isEqualTo(ServiceType.HTTP);
        assertThat(created.createDate()).isEqualTo(clock.instant());

        Service fetched = join(client.getService(r -> r.id(created.id()))).service();
        assertThat(fetched.name()).isEqualTo("cart");
        assertThat(fetched.instanceCount()).isZero();
        assertThat(join(client.getNamespace(r -> r.id(namespaceId))).namespace().serviceCount()).isEqualTo(1);

        join(client.deleteService(r -> r.id(created.id())));
        assertThatThrownBy(() -> join(client.getService(r -> r.id(created.id()))))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> join(client.deleteService(r -> r.id(created.id()))))
                .isInstanceOf(ServiceNotFoundException.class);
    }

    @Test
    void serviceNameClashIsServiceAlreadyExistsUnlessTheCreatorRequestIdMatches() {
        Service first = join(client.createService(r -> r.name("dup").namespaceId(namespaceId).creatorRequestId("c1")))
                .service();
        Service again = join(client.createService(r -> r.name("dup").namespaceId(namespaceId).creatorRequestId("c1")))
                .service();
        assertThat(again.id()).isEqualTo(first.id());
        assertThatThrownBy(() -> join(client.createService(r -> r.name("dup").namespaceId(namespaceId)
                .creatorRequestId("c2"))))
                .isInstanceOfSatisfying(ServiceAlreadyExistsException.class, e -> {
                    assertThat(e.serviceId()).isEqualTo(first.id());
                    assertThat(e.creatorRequestId()).isEqualTo("c1");
                    assertThat(e.serviceArn()).isEqualTo(first.arn());
                });
    }

    @Test
    void createServiceInUnknownNamespaceIsNamespaceNotFound() {
        assertThatThrownBy(() -> join(client.createService(r -> r.name("x").namespaceId("ns-nope000000000000"))))
                .isInstanceOf(NamespaceNotFoundException.class);
        assertThatThrownBy(() -> join(client.createService(r -> r.name("x"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NamespaceId");
    }

    @Test
    void updateServiceIsAnOperationTargetingTheService() {
        String dnsOp = join(client.createPrivateDnsNamespace(r -> r.name("corp.local").vpc("vpc-1"))).operationId();
        String dnsNs = operation(dnsOp).targets().get(OperationTargetType.NAMESPACE);
        Service service = join(client.createService(r -> r.name("api").namespaceId(dnsNs)
                .dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A).ttl(60L))))).service();
        assertThat(service.type()).isEqualTo(ServiceType.DNS_HTTP);

        String op = join(client.updateService(r -> r.id(service.id()).service(s -> s.description("v2")
                .dnsConfig(d -> d.dnsRecords(rec -> rec.type(RecordType.A).ttl(300L)))))).operationId();
        Operation update = operation(op);
        assertThat(update.type()).isEqualTo(OperationType.UPDATE_SERVICE);
        assertThat(update.targets()).containsEntry(OperationTargetType.SERVICE, service.id());
        Service updated = join(client.getService(r -> r.id(service.id()))).service();
        assertThat(updated.description()).isEqualTo("v2");
        assertThat(updated.dnsConfig().dnsRecords().get(0).ttl()).isEqualTo(300L);
        assertThatThrownBy(() -> join(client.updateService(r -> r.id("srv-nope000000000000").service(s -> s.description("x")))))
                .isInstanceOf(ServiceNotFoundException.class);
    }

    @Test
    void listServicesPaginatesAndFiltersByNamespace() {
        for (int i = 0; i < 5; i++) {
            createService("s" + i);
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            var page = join(client.listServices(r -> r.maxResults(2).nextToken(current)
                    .filters(f -> f.name(ServiceFilterName.NAMESPACE_ID).values(namespaceId))));
            page.services().forEach(s -> names.add(s.name()));
            token = page.nextToken();
        } while (token != null);
        assertThat(names).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(join(client.listServices(r -> r.filters(f -> f.name(ServiceFilterName.NAMESPACE_ID)
                .values("ns-other0000000000")))).services()).isEmpty();
    }

    @Test
    void resourceOwnerServiceFilterTakesSelfOrOtherAccounts() {
        createService("a");
        createService("b");
        assertThat(join(client.listServices(r -> r.filters(f -> f.name(ServiceFilterName.RESOURCE_OWNER)
                .values("SELF")))).services()).extracting(ServiceSummary::name).containsExactly("a", "b");
        assertThat(join(client.listServices(r -> r.filters(f -> f.name(ServiceFilterName.RESOURCE_OWNER)
                .values("OTHER_ACCOUNTS")))).services()).isEmpty();
        assertThatThrownBy(() -> join(client.listServices(r -> r.filters(f -> f.name(ServiceFilterName.RESOURCE_OWNER)
                .values(emulator.accountId())))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SELF or OTHER_ACCOUNTS");
    }

    @Test
    void registerGetListDiscoverAndDeregisterInstances() {
        Service service = createService("cart");
        String op = register(service.id(), "i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1", "zone", "a"));
        register(service.id(), "i-2", Map.of("AWS_INSTANCE_IPV4", "10.0.0.2", "zone", "b"));
        Operation registration = operation(op);
        assertThat(registration.type()).isEqualTo(OperationType.REGISTER_INSTANCE);
        assertThat(registration.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(registration.targets()).containsEntry(OperationTargetType.INSTANCE, "i-1")
                .containsEntry(OperationTargetType.SERVICE, service.id())
                .containsEntry(OperationTargetType.NAMESPACE, namespaceId);

        Instance instance = join(client.getInstance(r -> r.serviceId(service.id()).instanceId("i-1"))).instance();
        assertThat(instance.attributes()).containsEntry("zone", "a");
        assertThat(join(client.getService(r -> r.id(service.id()))).service().instanceCount()).isEqualTo(2);

        ListInstancesResponse first = join(client.listInstances(r -> r.serviceId(service.id()).maxResults(1)));
        assertThat(first.instances()).extracting(InstanceSummary::id).containsExactly("i-1");
        ListInstancesResponse second = join(client.listInstances(r -> r.serviceId(service.id()).maxResults(1)
                .nextToken(first.nextToken())));
        assertThat(second.instances()).extracting(InstanceSummary::id).containsExactly("i-2");
        assertThat(second.nextToken()).isNull();

        DiscoverInstancesResponse all = join(client.discoverInstances(r -> r.namespaceName("shop").serviceName("cart")));
        // Cloud Map answers in a random order.
        assertThat(all.instances()).extracting(HttpInstanceSummary::instanceId).containsExactlyInAnyOrder("i-1", "i-2");
        assertThat(all.instances().get(0).healthStatus()).isEqualTo(HealthStatus.UNKNOWN);
        DiscoverInstancesResponse zoneB = join(client.discoverInstances(r -> r.namespaceName("shop").serviceName("cart")
                .queryParameters(Map.of("zone", "b"))));
        assertThat(zoneB.instances()).extracting(HttpInstanceSummary::instanceId).containsExactly("i-2");

        String deregistration = join(client.deregisterInstance(r -> r.serviceId(service.id()).instanceId("i-1")))
                .operationId();
        assertThat(operation(deregistration).type()).isEqualTo(OperationType.DEREGISTER_INSTANCE);
        assertThatThrownBy(() -> join(client.getInstance(r -> r.serviceId(service.id()).instanceId("i-1"))))
                .isInstanceOf(InstanceNotFoundException.class);
        assertThat(join(client.discoverInstances(r -> r.namespaceName("shop").serviceName("cart")))
                .instancesRevision()).isGreaterThan(all.instancesRevision());
    }

    @Test
    void instanceErrors() {
        Service service = createService("cart");
        assertThatThrownBy(() -> register("srv-nope000000000000", "i-1", Map.of()))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> join(client.deregisterInstance(r -> r.serviceId(service.id()).instanceId("i-9"))))
                .isInstanceOf(InstanceNotFoundException.class);
        assertThatThrownBy(() -> register(service.id(), "bad id!", Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("InstanceId");
        register(service.id(), "i-1", Map.of());
        assertThatThrownBy(() -> join(client.deleteService(r -> r.id(service.id()))))
                .isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> join(client.discoverInstances(r -> r.namespaceName("nope").serviceName("cart"))))
                .isInstanceOf(NamespaceNotFoundException.class);
        assertThatThrownBy(() -> join(client.discoverInstances(r -> r.namespaceName("shop").serviceName("nope"))))
                .isInstanceOf(ServiceNotFoundException.class);
    }

    @Test
    void oneRegistrationAtATimePerInstanceAndIdempotentRetries() {
        emulator.close();
        client.close();
        emulator = CloudMapEmulator.builder().clock(clock).start(); // default timings: operations take time
        client = SdkClients.client(emulator);
        String nsOp = join(client.createHttpNamespace(r -> r.name("slow"))).operationId();
        clock.advance(java.time.Duration.ofMinutes(1));
        String ns = operation(nsOp).targets().get(OperationTargetType.NAMESPACE);
        Service service = join(client.createService(r -> r.name("cart").namespaceId(ns))).service();

        String first = join(client.registerInstance(r -> r.serviceId(service.id()).instanceId("i-1")
                .creatorRequestId("try-1").attributes(Map.of()))).operationId();
        String retry = join(client.registerInstance(r -> r.serviceId(service.id()).instanceId("i-1")
                .creatorRequestId("try-1").attributes(Map.of()))).operationId();
        assertThat(retry).isEqualTo(first);
        assertThatThrownBy(() -> join(client.registerInstance(r -> r.serviceId(service.id()).instanceId("i-1")
                .creatorRequestId("try-2").attributes(Map.of()))))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining(first);
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(operation(first).status()).isEqualTo(OperationStatus.SUCCESS);
        String second = join(client.registerInstance(r -> r.serviceId(service.id()).instanceId("i-1")
                .creatorRequestId("try-2").attributes(Map.of("v", "2")))).operationId();
        assertThat(second).isNotEqualTo(first);

        clock.advance(java.time.Duration.ofMinutes(1));
        String dereg = join(client.deregisterInstance(r -> r.serviceId(service.id()).instanceId("i-1"))).operationId();
        assertThatThrownBy(() -> join(client.deregisterInstance(r -> r.serviceId(service.id()).instanceId("i-1"))))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException.class,
                        e -> assertThat(e.duplicateOperationId()).isEqualTo(dereg));
    }
}
