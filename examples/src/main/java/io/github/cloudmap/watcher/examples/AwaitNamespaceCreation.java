package io.github.cloudmap.watcher.examples;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;

/**
 * Creates an HTTP namespace, waits for the operation to succeed, and reads the new namespace's
 * ID from {@code Targets["NAMESPACE"]}: CreateHttpNamespace itself returns only an OperationId.
 *
 * <p>Arguments: {@code [endpoint-url [namespace-name]]}. With no endpoint it starts an embedded
 * emulator; with one (a running {@code cloudmap-watcher emulator}, or
 * {@code https://servicediscovery.eu-west-1.amazonaws.com}) it uses the default credentials and
 * region.
 */
public final class AwaitNamespaceCreation {

    /** Creates the namespace and returns its ID, once Cloud Map reports SUCCESS. */
    public static String createNamespace(ServiceDiscoveryAsyncClient client, String name) {
        OperationWatcher watcher = OperationWatcher.create(client);
        Operation done = Mono.defer(() -> {
                    // One token per namespace, kept across resubmissions: Cloud Map's idempotency key.
                    // It is made outside the submission, which the watcher subscribes to once per attempt.
                    String creatorRequestId = name + "-" + UUID.randomUUID();
                    // fromFuture(supplier) sends a new request each time the watcher resubmits.
                    Mono<String> submission = Mono.fromFuture(() -> client.createHttpNamespace(r -> r
                                    .name(name)
                                    .creatorRequestId(creatorRequestId)
                                    // The watcher is the one retry layer for the submission too.
                                    .overrideConfiguration(OperationWatcher.requestOverrides())))
                            .map(CreateHttpNamespaceResponse::operationId);
                    return watcher.submitAndAwait(submission);
                })
                .block(Duration.ofMinutes(6)); // never wait unbounded; the watcher gives up at 5 min
        return done.targets().get(OperationTargetType.NAMESPACE);
    }

    public static void main(String[] args) {
        String name = args.length > 1 ? args[1] : "example.local";
        if (args.length > 0) {
            // An endpoint: `cloudmap-watcher emulator`'s, or AWS's; default credentials and region.
            try (ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                    .endpointOverride(URI.create(args[0]))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build()) {
                System.out.println("Namespace ID: " + createNamespace(client, name));
            }
            return;
        }
        try (CloudMapEmulator emulator = CloudMapEmulator.builder().port(0).start();
             ServiceDiscoveryAsyncClient client = emulatorClient(emulator.endpoint())) {
            System.out.println("Namespace ID: " + createNamespace(client, name));
        }
    }

    static ServiceDiscoveryAsyncClient emulatorClient(URI endpoint) {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                // The watcher retries throttled polls itself: SDK retries would multiply them.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
