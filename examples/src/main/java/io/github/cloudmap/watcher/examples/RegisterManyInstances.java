package io.github.cloudmap.watcher.examples;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * Registers many instances at once: at most {@code concurrency} registrations in flight
 * ({@code flatMap}'s bound), each resubmitted if Cloud Map fails it with THROTTLED_REQUEST, and
 * each watch slowing down on its own when GetOperation is throttled.
 *
 * <p>Run it with no argument: it starts an embedded emulator, creates a namespace and a
 * service, and registers 50 instances.
 */
public final class RegisterManyInstances {

    /** Registers instances i-1 .. i-count, at most {@code concurrency} at a time; fails on the first failure. */
    public static List<Operation> registerAll(ServiceDiscoveryAsyncClient client, String serviceId,
                                              int count, int concurrency) {
        OperationWatcher watcher = OperationWatcher.create(client);
        return Flux.range(1, count)
                .flatMap(i -> {
                    String instanceId = "i-" + i;
                    String token = instanceId + "-" + UUID.randomUUID(); // same token on resubmission
                    Mono<String> submission = Mono.fromFuture(() -> client.registerInstance(r -> r
                                    .serviceId(serviceId)
                                    .instanceId(instanceId)
                                    .creatorRequestId(token)
                                    .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0." + i))
                                    // The watcher is the one retry layer for the submission too.
                                    .overrideConfiguration(OperationWatcher.requestOverrides())))
                            .map(RegisterInstanceResponse::operationId);
                    return watcher.submitAndAwait(submission);
                }, concurrency)
                .collectList()
                .block(Duration.ofMinutes(10)); // never wait unbounded
    }

    public static void main(String[] args) throws Exception {
        try (CloudMapEmulator emulator = CloudMapEmulator.builder().port(0).start();
             ServiceDiscoveryAsyncClient client = AwaitNamespaceCreation.emulatorClient(emulator.endpoint())) {
            String namespaceId = AwaitNamespaceCreation.createNamespace(client, "many.local");
            // CreateService is synchronous: no operation to wait for.
            String serviceId = client.createService(r -> r.name("web").namespaceId(namespaceId))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).service().id();

            List<Operation> done = registerAll(client, serviceId, 50, 16);
            System.out.println("Registered " + done.size() + " instances");
        }
    }
}
