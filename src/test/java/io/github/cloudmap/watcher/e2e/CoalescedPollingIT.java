package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUCCESS;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * Coalesced polling end to end: the SDK async client (Netty) over loopback against the emulator,
 * whose ListOperations applies the STATUS and UPDATE_DATE filters after paging, as Cloud Map
 * does. The watches' own backoff is set long (first poll at once, the next one 6 s later), so an
 * operation that finishes after 1 s is seen within seconds only if a sweep wakes its watch.
 * Real time; every wait is bounded.
 */
class CoalescedPollingIT {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int WATCHES = 5;

    /** The SDK's default client settings: the watcher's requests switch SDK retries off themselves. */
    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = E2eClients.emulator(OperationTimings.instant()
                    .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(300), Duration.ofMillis(700)))
            .build();

    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private String serviceId;

    @BeforeEach
    void newService() {
        serviceId = E2eClients.newService(client);
    }

    @Test
    void sweepsWakeTheWatchesOfFinishedOperationsAndStopWithTheLastWatch() throws InterruptedException {
        OperationWatcher watcher = OperationWatcher.builder(client)
                .pollInterval(Duration.ofSeconds(6), Duration.ofSeconds(10))
                .jitter(0)
                .coalescedPolling(Duration.ofMillis(500))
                .build();
        List<String> operationIds = Flux.range(0, WATCHES)
                .concatMap(i -> register("i-" + UUID.randomUUID()))
                .collectList().block(BOUND);
        emulator.counters().reset();

        long start = System.nanoTime();
        List<Operation> terminal = Flux.fromIterable(operationIds)
                .flatMap(id -> watcher.watch(id).last())
                .collectList()
                .block(BOUND);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(terminal).extracting(Operation::status).containsOnly(SUCCESS).hasSize(WATCHES);
        // Each operation finishes within 1 s of its registration; without the sweeps, the watches'
        // second GetOperation would come 6 s after their first.
        assertThat(tookMillis).as("time until every watch saw SUCCESS").isLessThan(4_000);
        int listings = emulator.counters().count("ListOperations");
        assertThat(listings).as("ListOperations sweeps").isPositive();
        for (String id : operationIds) {
            assertThat(emulator.counters().getOperationCount(id))
                    .as("GetOperation for %s: the first poll, then the ones sweeps woke", id)
                    .isBetween(2, 4);
        }
        assertThat(emulator.counters().lastUserAgent("ListOperations")).contains("cloudmap-operation-watcher");

        // The last watch ended: no sweep follows.
        Thread.sleep(1_500);
        assertThat(emulator.counters().count("ListOperations")).isEqualTo(listings);
        assertThat(emulator.counters().count("GetOperation")).isEqualTo(
                operationIds.stream().mapToInt(id -> emulator.counters().getOperationCount(id)).sum());
    }

    private Mono<String> register(String instanceId) {
        return Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId).instanceId(instanceId)
                        .creatorRequestId(UUID.randomUUID().toString())
                        .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
                .map(RegisterInstanceResponse::operationId);
    }
}
