package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * A submission that the emulator answers {@code DuplicateRequest} (a second create of a namespace
 * whose creation is still running, each request with its own CreatorRequestId, as the SDK fills
 * it in) is followed to the end of the operation already doing the work, over real HTTP.
 */
@Timeout(60)
class DuplicateRequestIT {

    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = E2eClients.emulator(OperationTimings.instant()
                    .with(OperationType.CREATE_NAMESPACE, Duration.ofMillis(800), Duration.ofMillis(800))
                    .with(OperationType.DEREGISTER_INSTANCE, Duration.ofMillis(800), Duration.ofMillis(800)))
            .client(E2eClients.NO_SDK_RETRIES)
            .build();

    private ServiceDiscoveryAsyncClient client;

    @Test
    void aSecondCreateOfARunningNamespaceCreationFollowsTheFirstOperation() throws Exception {
        String first = client.createHttpNamespace(b -> b.name("dup.local")).get(10, TimeUnit.SECONDS).operationId();
        List<String> heard = new CopyOnWriteArrayList<>();
        OperationWatcher watcher = OperationWatcher.builder(client)
                .pollInterval(Duration.ofMillis(50), Duration.ofMillis(200))
                .listener(new WatchListener() {
                    @Override
                    public void onDuplicate(String duplicateOperationId, DuplicateRequestException duplicate) {
                        heard.add(duplicateOperationId);
                    }
                })
                .build();

        List<Operation> statuses = watcher.submitAndWatch(
                        Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("dup.local")))
                                .map(r -> r.operationId()))
                .collectList()
                .block(Duration.ofSeconds(20));

        assertThat(heard).containsExactly(first);
        assertThat(statuses).isNotEmpty().allSatisfy(op -> assertThat(op.id()).isEqualTo(first));
        assertThat(statuses.get(statuses.size() - 1).status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(client.listNamespaces().get(10, TimeUnit.SECONDS).namespaces())
                .filteredOn(ns -> ns.name().equals("dup.local")).hasSize(1);
    }

    @Test
    void aSecondDeregistrationOfAnInstanceFollowsTheFirst() throws Exception {
        OperationWatcher watcher = OperationWatcher.builder(client)
                .pollInterval(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
        Operation namespace = watcher.submitAndAwait(
                        Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("dereg.local")))
                                .map(r -> r.operationId()))
                .block(Duration.ofSeconds(20));
        String namespaceId = namespace.targetsAsStrings().get("NAMESPACE");
        String serviceId = client.createService(b -> b.name("web").namespaceId(namespaceId))
                .get(10, TimeUnit.SECONDS).service().id();
        watcher.submitAndAwait(Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId)
                        .instanceId("i-1").attributes(java.util.Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
                .map(r -> r.operationId())).block(Duration.ofSeconds(20));
        String first = client.deregisterInstance(b -> b.serviceId(serviceId).instanceId("i-1"))
                .get(10, TimeUnit.SECONDS).operationId();

        Operation done = watcher.submitAndAwait(
                        Mono.fromFuture(() -> client.deregisterInstance(b -> b.serviceId(serviceId).instanceId("i-1")))
                                .map(r -> r.operationId()))
                .block(Duration.ofSeconds(20));

        assertThat(done.id()).isEqualTo(first);
        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
    }
}
