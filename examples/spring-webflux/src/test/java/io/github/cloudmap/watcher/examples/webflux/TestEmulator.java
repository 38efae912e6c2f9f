package io.github.cloudmap.watcher.examples.webflux;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * One embedded emulator for the test JVM, with a namespace and a service to register into.
 * Registrations take 1.5 s SUBMITTED then 1.5 s PENDING, long enough for polls every 200 ms to see
 * both on a loaded machine; deregistrations take minutes, for the tests that need an operation
 * that does not end.
 */
final class TestEmulator {

    static final CloudMapEmulator EMULATOR = CloudMapEmulator.builder()
            .operationTimings(OperationTimings.uniform(Duration.ofMillis(200), Duration.ofMillis(200))
                    .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(1500), Duration.ofMillis(1500))
                    .with(OperationType.DEREGISTER_INSTANCE, Duration.ofMinutes(5), Duration.ofMinutes(5)))
            .start();

    /** A client of the test's own, to set the emulator up and start operations behind the application's back. */
    static final ServiceDiscoveryAsyncClient CLIENT = ServiceDiscoveryAsyncClient.builder()
            .endpointOverride(EMULATOR.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();

    /** The test's own watcher, for its set-up. */
    private static final OperationWatcher WATCHER = OperationWatcher.create(CLIENT);

    static final String SERVICE_ID = createService();

    private static final AtomicInteger instances = new AtomicInteger();

    private TestEmulator() {}

    /**
     * Points the auto-configured client at the emulator. It keeps the SDK's default credential
     * chain, as in production, so the tests give that chain something to find.
     */
    static void properties(DynamicPropertyRegistry registry) {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        registry.add("cloudmap.watcher.endpoint-url", () -> EMULATOR.endpoint().toString());
        registry.add("cloudmap.watcher.region", () -> "us-east-1");
        registry.add("cloudmap.watcher.poll-interval.initial", () -> "100ms");
        registry.add("cloudmap.watcher.poll-interval.max", () -> "200ms");
        registry.add("cloudmap.watcher.resubmission.wait", () -> "200ms");
        registry.add("cloudmap.watcher.not-found-grace", () -> "1s");
    }

    /** A new instance ID, so tests never register the same instance at once. */
    static String newInstanceId() {
        return "i-" + instances.incrementAndGet();
    }

    /** Registers an instance directly, then starts its deregistration: an operation that runs for minutes. */
    static String longRunningOperation() {
        String instanceId = newInstanceId();
        // Cloud Map runs one operation at a time per instance: the registration ends first.
        WATCHER.awaitTerminal(CLIENT.registerInstance(r -> r.serviceId(SERVICE_ID).instanceId(instanceId)
                .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.9"))).join().operationId()).block(Duration.ofSeconds(30));
        return CLIENT.deregisterInstance(r -> r.serviceId(SERVICE_ID).instanceId(instanceId)).join().operationId();
    }

    private static String createService() {
        String namespaceId = WATCHER.awaitTerminal(
                        CLIENT.createHttpNamespace(r -> r.name("webflux.test")).join().operationId())
                .block(Duration.ofSeconds(30))
                .targetsAsStrings().get("NAMESPACE");
        return CLIENT.createService(r -> r.name("api").namespaceId(namespaceId)).join().service().id();
    }
}
