package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceRequest;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Tests your code against the embedded emulator through the real SDK client and HTTP: slower
 * than {@code UserCodeVirtualTimeTest}, but it checks the wire, the SDK's error mapping and the
 * emulator's fault plan too.
 */
@Timeout(60)
class EmulatorBackedIT {

    static CloudMapEmulator emulator;
    static ServiceDiscoveryAsyncClient client;
    static String serviceId;

    @BeforeAll
    static void start() throws Exception {
        emulator = CloudMapEmulator.builder().port(0).start();
        client = AwaitNamespaceCreation.emulatorClient(emulator.endpoint());
        String namespaceId = AwaitNamespaceCreation.createNamespace(client, "it.local");
        serviceId = client.createService(r -> r.name("api").namespaceId(namespaceId)).get().service().id();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void aResubmittedNamespaceCreationKeepsItsCreatorRequestId() throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateHttpNamespaceRequest request) {
                    tokens.add(request.creatorRequestId());
                }
            }
        };
        emulator.faults().failNextOperations(OperationType.CREATE_NAMESPACE, 1, "THROTTLED_REQUEST", "Rate exceeded");
        try (ServiceDiscoveryAsyncClient recording = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(recorder))
                .build()) {
            String namespaceId = AwaitNamespaceCreation.createNamespace(recording, "resubmitted.local");

            assertThat(tokens).as("submitted twice, with one token").hasSize(2).containsOnly(tokens.get(0));
            assertThat(recording.getNamespace(r -> r.id(namespaceId)).get().namespace().creatorRequestId())
                    .isEqualTo(tokens.get(0));
        }
    }

    @Test
    void registersThroughThrottledPollsAndAThrottledRequestFailure() {
        emulator.faults().throttleNext("GetOperation", 1)
                .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST", "Rate exceeded");
        Registrar registrar = new Registrar(client, Duration.ofSeconds(30));

        Operation done = registrar.register(serviceId, "i-1", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))
                .block(Duration.ofSeconds(40));

        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(emulator.counters().count("RegisterInstance")).as("resubmitted once").isEqualTo(2);
    }
}
