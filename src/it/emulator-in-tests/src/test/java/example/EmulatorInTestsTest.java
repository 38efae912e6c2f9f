package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.netty.util.Version;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/** A user's test with the emulator in the same JVM: the SDK's Netty client and Reactor Netty on one Netty 4.2. */
class EmulatorInTestsTest {

    private static CloudMapEmulator emulator;
    private static ServiceDiscoveryAsyncClient client;

    @BeforeAll
    static void start() {
        // 0.6 s SUBMITTED then 2 s PENDING: the watcher's polls (near 0, 0.5, 1.5, 3.5 s) see each status.
        emulator = CloudMapEmulator.builder()
                .operationTimings(OperationTimings.uniform(Duration.ofMillis(600), Duration.ofSeconds(2)))
                .start();
        client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void runsOnOneNetty42Throughout() {
        Set<String> versions = Version.identify().values().stream()
                .map(Version::artifactVersion)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("emulator-in-tests runs on Netty " + versions);
        assertEquals(Set.of("4.2.17.Final"), versions, "every Netty module at the imported BOM's version");
    }

    @Test
    void watchesANamespaceBeingCreated() {
        OperationWatcher watcher = OperationWatcher.create(client);
        // Which statuses a poll catches depends on timing (a loaded machine delays the first poll);
        // what the watcher promises is order without repeats, ending in exactly one SUCCESS.
        StepVerifier.create(watcher.submitAndWatch(
                                Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("emulator-in-tests")))
                                        .map(r -> r.operationId()))
                        .map(op -> op.status()))
                .recordWith(java.util.ArrayList::new)
                .thenConsumeWhile(status -> status != OperationStatus.SUCCESS)
                .expectNext(OperationStatus.SUCCESS)
                .consumeRecordedWith(seen -> {
                    System.out.println("emulator-in-tests watched " + seen);
                    java.util.List<OperationStatus> order = java.util.List.of(
                            OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS);
                    java.util.List<OperationStatus> expected = new java.util.ArrayList<>(order);
                    expected.retainAll(seen);
                    assertEquals(expected, new java.util.ArrayList<>(seen), "in order, each at most once");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }
}
