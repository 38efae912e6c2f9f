package io.github.cloudmap.watcher.e2e;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * A signed end-to-end run, for {@link SecretsInLogsIT} to run in a JVM of its own with every
 * logger at DEBUG: the library watching through the SDK's Netty client with session credentials
 * (with a throttle, a 500, a reset and a FAIL on the way, so the error paths log too), and the
 * emulator answering. Arguments: access key ID, secret key, session token.
 */
public final class SignedRunForLogs {

    private SignedRunForLogs() {
    }

    public static void main(String[] args) {
        String accessKeyId = args[0];
        String secretKey = args[1];
        String sessionToken = args[2];
        try (CloudMapEmulator emulator = CloudMapEmulator.builder()
                .operationTimings(OperationTimings.uniform(Duration.ofMillis(200), Duration.ofMillis(300)))
                .start();
             ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                     .endpointOverride(emulator.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsSessionCredentials.create(accessKeyId, secretKey, sessionToken)))
                     .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                     .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                     .build()) {
            OperationWatcher watcher = OperationWatcher.create(client);
            Operation namespace = watcher.submitAndAwait(
                            Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("secrets")))
                                    .map(r -> r.operationId()))
                    .block(Duration.ofSeconds(30));
            String namespaceId = namespace.targets().get(OperationTargetType.NAMESPACE);
            String serviceId = client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();

            // The error paths: a throttled poll, a 500, a reset connection, then an operation that FAILs.
            emulator.faults().throttleNext("GetOperation", 1).serverErrorNext("GetOperation", 1)
                    .resetNext("GetOperation", 1)
                    .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "ACCESS_DENIED", "denied for the test");
            Operation registered = watcher.watch(client.registerInstance(b -> b.serviceId(serviceId)
                            .instanceId("i-1").attributes(java.util.Map.of("AWS_INSTANCE_IPV4", "10.0.0.1")))
                    .join().operationId())
                    .last()
                    .block(Duration.ofSeconds(30));
            System.out.println("SignedRunForLogs: library run ended " + registered.status());

        }
        System.exit(0);
    }
}
