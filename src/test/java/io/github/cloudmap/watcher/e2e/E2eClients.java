package io.github.cloudmap.watcher.e2e;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/** The real SDK async client over Netty, pointed at an emulator: what each end-to-end test starts from. */
final class E2eClients {

    /** The watcher is the one retry layer (docs/configuration.md: "Retries on retries"). */
    static final Consumer<ServiceDiscoveryAsyncClientBuilder> NO_SDK_RETRIES =
            c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

    private E2eClients() {}

    /** A builder with the emulator's endpoint, a Region, test credentials and the Netty client; add what the test needs. */
    static ServiceDiscoveryAsyncClientBuilder builder(CloudMapEmulator emulator) {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder());
    }

    /** The JUnit extension with these timings: one emulator and client per class, reset before each test. */
    static CloudMapEmulatorExtension.Builder emulator(OperationTimings timings) {
        return CloudMapEmulatorExtension.builder().emulator(b -> b.operationTimings(timings));
    }

    /**
     * A new HTTP namespace and a service "web" in it, for a test's registrations; the namespace's
     * creation must be instant in the emulator's timings.
     */
    static String newService(ServiceDiscoveryAsyncClient client) {
        String operationId = client.createHttpNamespace(b -> b.name("e2e-" + UUID.randomUUID())).join().operationId();
        var namespace = client.getOperation(b -> b.operationId(operationId)).join().operation();
        if (namespace.status() != OperationStatus.SUCCESS) {
            throw new IllegalStateException("the namespace's creation should be instant here, got " + namespace);
        }
        String namespaceId = namespace.targetsAsStrings().get("NAMESPACE");
        return client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();
    }
}
