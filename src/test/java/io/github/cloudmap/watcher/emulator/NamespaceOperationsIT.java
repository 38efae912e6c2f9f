package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.GetNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ListNamespacesResponse;
import software.amazon.awssdk.services.servicediscovery.model.Namespace;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceAlreadyExistsException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceType;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.ResourceInUseException;
import software.amazon.awssdk.services.servicediscovery.model.ResourceLimitExceededException;

/** Namespace operations through the real AWS SDK, with instant operations. */
// The SDK's filter and record builders take generic varargs of consumers.
@SuppressWarnings("unchecked")
class NamespaceOperationsIT {

    private final MutableClock clock = MutableClock.at("2024-05-01T10:00:00.123Z");
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeEach
    void start() {
        emulator = CloudMapEmulator.builder().clock(clock).operationTimings(OperationTimings.instant()).start();
        client = SdkClients.client(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private String createHttp(String name) {
        return join(client.createHttpNamespace(r -> r.name(name).description("d " + name))).operationId();
    }

    private Operation operation(String id) {
        return join(client.getOperation(r -> r.operationId(id))).operation();
    }

    @Test
    void createHttpNamespaceSucceedsAndTargetsTheNewNamespace() {
        String operationId = createHttp("shop");
        Operation op = operation(operationId);
        assertThat(op.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(op.type()).isEqualTo(OperationType.CREATE_NAMESPACE);
        assertThat(op.ownerAccount()).isEqualTo("123456789012");
        assertThat(op.createDate()).isEqualTo(clock.instant());
        String namespaceId = op.targets().get(OperationTargetType.NAMESPACE);
        assertThat(namespaceId).matches("ns-[a-z0-9]{16}");

        Namespace ns = join(client.getNamespace(r -> r.id(namespaceId))).namespace();
        assertThat(ns.name()).isEqualTo("shop");
        assertThat(ns.type()).isEqualTo(NamespaceType.HTTP);
        assertThat(ns.description()).isEqualTo("d shop");
        assertThat(ns.arn()).isEqualTo("arn:aws:servicediscovery:us-east-1:123456789012:namespace/" + namespaceId);
        assertThat(ns.properties().httpProperties().httpName()).isEqualTo("shop");
        assertThat(ns.serviceCount()).isZero();
        assertThat(ns.createDate()).isEqualTo(clock.instant());
        // The ARN works wherever an ID does.
        assertThat(join(client.getNamespace(r -> r.id(ns.arn()))).namespace().id()).isEqualTo(namespaceId);
    }

    @Test
    void dnsNamespacesCarryHostedZoneAndSoa() {
        String privateOp = join(client.createPrivateDnsNamespace(r -> r.name("corp.internal").vpc("vpc-1")
                .properties(p -> p.dnsProperties(d -> d.soa(s -> s.ttl(60L)))))).operationId();
        String publicOp = join(client.createPublicDnsNamespace(r -> r.name("example.com"))).operationId();
        GetNamespaceResponse priv = join(client.getNamespace(r -> r.id(operation(privateOp).targets()
                .get(OperationTargetType.NAMESPACE))));
        assertThat(priv.namespace().type()).isEqualTo(NamespaceType.DNS_PRIVATE);
        assertThat(priv.namespace().properties().dnsProperties().soa().ttl()).isEqualTo(60L);
        assertThat(priv.namespace().properties().dnsProperties().hostedZoneId()).startsWith("Z");
        Namespace pub = join(client.getNamespace(r -> r.id(operation(publicOp).targets()
                .get(OperationTargetType.NAMESPACE)))).namespace();
        assertThat(pub.type()).isEqualTo(NamespaceType.DNS_PUBLIC);

        String updateOp = join(client.updatePrivateDnsNamespace(r -> r.id(priv.namespace().id())
                .namespace(n -> n.description("new").properties(p -> p.dnsProperties(d -> d.soa(s -> s.ttl(120L)))))))
                .operationId();
        assertThat(operation(updateOp).type()).isEqualTo(OperationType.UPDATE_NAMESPACE);
        Namespace updated = join(client.getNamespace(r -> r.id(priv.namespace().id()))).namespace();
        assertThat(updated.description()).isEqualTo("new");
        assertThat(updated.properties().dnsProperties().soa().ttl()).isEqualTo(120L);
    }

    @Test
    void sameCreatorRequestIdReturnsTheSameOperation() {
        String first = join(client.createHttpNamespace(r -> r.name("idem").creatorRequestId("req-1"))).operationId();
        String second = join(client.createHttpNamespace(r -> r.name("idem").creatorRequestId("req-1"))).operationId();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void existingNameIsNamespaceAlreadyExistsWithItsIdAndCreatorRequestId() {
        String op = join(client.createHttpNamespace(r -> r.name("dup").creatorRequestId("req-a"))).operationId();
        String id = operation(op).targets().get(OperationTargetType.NAMESPACE);
        assertThatThrownBy(() -> join(client.createHttpNamespace(r -> r.name("dup").creatorRequestId("req-b"))))
                .isInstanceOfSatisfying(NamespaceAlreadyExistsException.class, e -> {
                    assertThat(e.namespaceId()).isEqualTo(id);
                    assertThat(e.creatorRequestId()).isEqualTo("req-a");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void creatingANameWhileItsCreationRunsIsDuplicateRequest() {
        emulator.close();
        emulator = CloudMapEmulator.builder().clock(clock).start(); // default (slow) timings
        client.close();
        client = SdkClients.client(emulator);
        String op = join(client.createHttpNamespace(r -> r.name("slow").creatorRequestId("req-a"))).operationId();
        assertThatThrownBy(() -> join(client.createHttpNamespace(r -> r.name("slow").creatorRequestId("req-b"))))
                .isInstanceOfSatisfying(DuplicateRequestException.class,
                        e -> assertThat(e.duplicateOperationId()).isEqualTo(op));
    }

    @Test
    void unknownNamespaceIsNamespaceNotFound() {
        assertThatThrownBy(() -> join(client.getNamespace(r -> r.id("ns-doesnotexist0000"))))
                .isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining("ns-doesnotexist0000");
        assertThatThrownBy(() -> join(client.deleteNamespace(r -> r.id("ns-doesnotexist0000"))))
                .isInstanceOf(NamespaceNotFoundException.class);
    }

    @Test
    void deleteNamespaceRemovesItAndRefusesWhileServicesRemain() {
        String nsId = operation(createHttp("gone")).targets().get(OperationTargetType.NAMESPACE);
        String serviceId = join(client.createService(r -> r.name("svc").namespaceId(nsId))).service().id();
        assertThatThrownBy(() -> join(client.deleteNamespace(r -> r.id(nsId))))
                .isInstanceOf(ResourceInUseException.class);
        join(client.deleteService(r -> r.id(serviceId)));
        String deleteOp = join(client.deleteNamespace(r -> r.id(nsId))).operationId();
        Operation op = operation(deleteOp);
        assertThat(op.type()).isEqualTo(OperationType.DELETE_NAMESPACE);
        assertThat(op.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThatThrownBy(() -> join(client.getNamespace(r -> r.id(nsId))))
                .isInstanceOf(NamespaceNotFoundException.class);
    }

    @Test
    void updateHttpNamespaceNeedsDescription() {
        String nsId = operation(createHttp("upd")).targets().get(OperationTargetType.NAMESPACE);
        assertThatThrownBy(() -> join(client.updateHttpNamespace(r -> r.id(nsId).namespace(n -> { }))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Namespace.Description");
        String op = join(client.updateHttpNamespace(r -> r.id(nsId).namespace(n -> n.description("x")))).operationId();
        assertThat(operation(op).status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(join(client.getNamespace(r -> r.id(nsId))).namespace().description()).isEqualTo("x");
    }

    @Test
    void fiftyNamespacesIsTheLimit() {
        for (int i = 0; i < NamespaceHandler.MAX_NAMESPACES; i++) {
            createHttp("ns" + i);
        }
        assertThatThrownBy(() -> createHttp("one-too-many"))
                .isInstanceOf(ResourceLimitExceededException.class);
    }

    @Test
    void typeFilterTakesBeginsWithAsThePrefixOfAType() {
        createHttp("plain");
        join(client.createPrivateDnsNamespace(r -> r.name("corp.internal").vpc("vpc-1")));
        join(client.createPublicDnsNamespace(r -> r.name("example.net")));
        List<NamespaceSummary> dns = join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.TYPE)
                .values("DNS").condition("BEGINS_WITH")))).namespaces();
        assertThat(dns).extracting(NamespaceSummary::name).containsExactly("corp.internal", "example.net");
        List<NamespaceSummary> http = join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.TYPE)
                .values("HTTP").condition("BEGINS_WITH")))).namespaces();
        assertThat(http).extracting(NamespaceSummary::name).containsExactly("plain");
        assertThatThrownBy(() -> join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.TYPE)
                .values("DNS").condition("EQ")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("DNS");
    }

    @Test
    void resourceOwnerFilterTakesSelfOrOtherAccounts() {
        createHttp("own");
        createHttp("also-own");
        assertThat(join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.RESOURCE_OWNER)
                .values("SELF")))).namespaces()).extracting(NamespaceSummary::name).containsExactly("own", "also-own");
        assertThat(join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.RESOURCE_OWNER)
                .values("OTHER_ACCOUNTS")))).namespaces()).isEmpty();
        // The account ID is not a value of this filter.
        assertThatThrownBy(() -> join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.RESOURCE_OWNER)
                .values(emulator.accountId())))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SELF or OTHER_ACCOUNTS");
    }

    @Test
    void listNamespacesPaginatesAndFilters() {
        for (int i = 0; i < 5; i++) {
            createHttp("page" + i);
        }
        join(client.createPublicDnsNamespace(r -> r.name("example.org")));
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListNamespacesResponse page = join(client.listNamespaces(r -> r.maxResults(2).nextToken(current)));
            page.namespaces().forEach(ns -> names.add(ns.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("page0", "page1", "page2", "page3", "page4", "example.org");

        List<NamespaceSummary> dns = join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.TYPE)
                .values("DNS_PUBLIC")))).namespaces();
        assertThat(dns).extracting(NamespaceSummary::name).containsExactly("example.org");
        List<NamespaceSummary> prefixed = join(client.listNamespaces(r -> r.filters(f -> f.name(NamespaceFilterName.NAME)
                .values("page").condition("BEGINS_WITH")))).namespaces();
        assertThat(prefixed).hasSize(5);
        assertThatThrownBy(() -> join(client.listNamespaces(r -> r.nextToken("garbage"))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> join(client.listNamespaces(r -> r.maxResults(101))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("MaxResults");
    }
}
