package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Where subscribers run, with the real SDK client and its Netty threads: never on the SDK's
 * response threads, and a subscriber that blocks does not hold up another watch of the same
 * operation. Real time, scaled down; every wait is bounded, none is a sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIsolationIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private OperationWatcher watcher;
    private String serviceId;

    @BeforeAll
    void start() {
        emulator = CloudMapEmulator.builder()
                .operationTimings(OperationTimings.instant()
                        .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(300), Duration.ofMillis(300))
                        .with(OperationType.CREATE_NAMESPACE, Duration.ZERO, Duration.ZERO))
                .start();
        client = E2eClients.builder(emulator)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        watcher = OperationWatcher.builder(client).pollInterval(Duration.ofMillis(50), Duration.ofMillis(200)).build();
        Operation namespace = watcher.submitAndAwait(Mono.fromFuture(
                        () -> client.createHttpNamespace(b -> b.name("delivery-" + UUID.randomUUID())))
                        .map(r -> r.operationId()))
                .block(BOUND);
        String namespaceId = namespace.targets().get(OperationTargetType.NAMESPACE);
        serviceId = client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();
    }

    @AfterAll
    void stop() {
        client.close();
        emulator.close();
    }

    private String register() {
        return Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId)
                        .instanceId("i-" + UUID.randomUUID())
                        .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
                .map(r -> r.operationId())
                .block(BOUND);
    }

    @Test
    void subscribersRunOnTheirOwnDeliveryWorkersNotOnTheSdksThreads() {
        String id = register();

        List<String> threads = watcher.watch(id)
                .map(op -> Thread.currentThread().getName())
                .collectList()
                .block(BOUND);

        assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("boundedElastic"));
    }

    @Test
    void aSubscriberThatBlocksDoesNotHoldUpAnotherWatchOfTheSameOperation() throws InterruptedException {
        String id = register();
        CountDownLatch otherDone = new CountDownLatch(1);
        AtomicBoolean otherFinishedWhileBlocked = new AtomicBoolean();
        CountDownLatch blockingReturned = new CountDownLatch(1);
        AtomicReference<Operation> other = new AtomicReference<>();

        Disposable blocking = watcher.watch(id).take(1).subscribe(op -> {
            try {
                otherFinishedWhileBlocked.set(otherDone.await(BOUND.toSeconds(), TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                blockingReturned.countDown();
            }
        });
        Disposable awaiting = watcher.awaitTerminal(id).subscribe(op -> {
            other.set(op);
            otherDone.countDown();
        });
        try {
            assertThat(blockingReturned.await(BOUND.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
            assertThat(otherFinishedWhileBlocked).as("awaitTerminal finished while the other subscriber blocked")
                    .isTrue();
            assertThat(other.get().status()).isEqualTo(OperationStatus.SUCCESS);
        } finally {
            blocking.dispose();
            awaiting.dispose();
        }
    }
}
