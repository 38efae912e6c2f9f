package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Where subscribers run, with the real SDK client and its Netty threads: never on the SDK's
 * response threads, and a subscriber that blocks does not hold up another watch of the same
 * operation. Real time, scaled down; every wait is bounded, none is a sleep.
 */
class DeliveryIsolationIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = E2eClients.emulator(OperationTimings.instant()
                    .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(300), Duration.ofMillis(300)))
            .client(E2eClients.NO_SDK_RETRIES)
            .watcher(w -> w.pollInterval(Duration.ofMillis(50), Duration.ofMillis(200)))
            .build();

    private ServiceDiscoveryAsyncClient client;
    private OperationWatcher watcher;
    private String serviceId;

    @BeforeEach
    void newService() {
        serviceId = E2eClients.newService(client);
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
