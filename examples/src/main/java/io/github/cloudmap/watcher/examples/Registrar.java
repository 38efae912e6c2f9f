package io.github.cloudmap.watcher.examples;

import io.github.cloudmap.watcher.OperationWatcher;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * "User code" to test: registers an instance and yields the SUCCESS {@link Operation}, or fails
 * with {@code OperationFailedException} / {@code OperationTimeoutException}.
 * {@code UserCodeVirtualTimeTest} shows how to test code like this in virtual time.
 *
 * <p>Thread-safe: share one Registrar.
 */
public final class Registrar {

    private final ServiceDiscoveryAsyncClient client;
    private final OperationWatcher watcher;

    /** @param timeout how long each registration attempt may take before it fails */
    public Registrar(ServiceDiscoveryAsyncClient client, Duration timeout) {
        this.client = client;
        this.watcher = OperationWatcher.builder(client).timeout(timeout).build();
    }

    /** Registers the instance: the SUCCESS operation, or an error saying why not. */
    public Mono<Operation> register(String serviceId, String instanceId, Map<String, String> attributes) {
        return Mono.defer(() -> {
            // One token per registration, kept across resubmissions: Cloud Map's idempotency key.
            String creatorRequestId = instanceId + "-" + UUID.randomUUID();
            // fromFuture(supplier) sends a new request each time the watcher resubmits.
            Mono<String> submission = Mono.fromFuture(() -> client.registerInstance(r -> r
                            .serviceId(serviceId)
                            .instanceId(instanceId)
                            .creatorRequestId(creatorRequestId)
                            .attributes(attributes)
                            // The watcher is the one retry layer for the submission too.
                            .overrideConfiguration(OperationWatcher.requestOverrides())))
                    .map(RegisterInstanceResponse::operationId);
            return watcher.submitAndAwait(submission);
        });
    }
}
