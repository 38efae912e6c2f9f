package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.BatchOutcome;
import io.github.cloudmap.watcher.InFlightQuery;
import io.github.cloudmap.watcher.OperationOutcome;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationSeeder;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code awaitAll} over 1,000 real RegisterInstance operations, and {@code inFlight} through an
 * account history of 10,000 finished operations: the SDK async client (Netty) over loopback
 * against the emulator. Operations last a few seconds, so the run stays short; every wait
 * is bounded.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchEndToEndIT {

    private static final Duration BOUND = Duration.ofSeconds(60);

    /** The system clock, moved ahead by hand to finish the seeded operations when the test says so. */
    private final AheadClock clock = new AheadClock();
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeAll
    void start() {
        emulator = CloudMapEmulator.builder()
                .clock(clock)
                .operationTimings(OperationTimings.instant()
                        .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .start();
        client = E2eClients.builder(emulator).build();
    }

    @BeforeEach
    void resetCounts() {
        emulator.counters().reset();
    }

    @AfterAll
    void stop() {
        client.close();
        emulator.close();
    }

    /** Fast polling and a budget that starts high: the emulator has no limit, the test has little time. */
    private OperationWatcher watcher() {
        return OperationWatcher.builder(client)
                .pollInterval(Duration.ofMillis(100), Duration.ofMillis(500))
                .timeout(BOUND)
                .pollBudget(RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                        .initialRate(400).maxRate(1000).burst(50).build()))
                .listBudget(RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                        .initialRate(200).maxRate(400).burst(20).build()))
                .build();
    }

    @Test
    void awaitsAThousandOperationsAsOneBatchWithEachOutcome() {
        String namespaceId = createNamespace();
        String serviceId = client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();
        // 1,000 operations lasting 1 to 3 s, seeded at once (a thousand RegisterInstance calls
        // would take longer than the operations), and three real registrations that FAIL.
        OperationSeeder seeder = OperationSeeder.of(emulator);
        List<String> operationIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            operationIds.addAll(seeder.inFlight(100, namespaceId, serviceId, Duration.ofMillis(1_000 + 200 * i)));
        }
        emulator.faults().failNextOperations(OperationType.REGISTER_INSTANCE, 3, "INTERNAL_FAILURE", "disk full");
        for (int i = 0; i < 3; i++) {
            String instanceId = "i-" + i;
            operationIds.add(client.registerInstance(b -> b.serviceId(serviceId).instanceId(instanceId)
                    .attributes(java.util.Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))).join().operationId());
        }
        List<String> withDuplicates = new ArrayList<>(operationIds);
        withDuplicates.addAll(operationIds.subList(0, 100));
        emulator.counters().reset();

        long start = System.nanoTime();
        BatchOutcome batch = watcher().awaitAll(withDuplicates).block(BOUND);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(batch.size()).isEqualTo(1_003);
        assertThat(batch.failures()).extracting(OperationOutcome::errorCode).containsOnly("INTERNAL_FAILURE").hasSize(3);
        assertThat(batch.succeeded()).hasSize(1_000);
        assertThat(batch.timedOut()).isEmpty();
        assertThat(batch.errors()).isEmpty();
        assertThat(batch.finishOrder()).extracting(OperationOutcome::operationId).doesNotHaveDuplicates().hasSize(1_003);
        int calls = emulator.counters().count("GetOperation");
        System.out.printf("awaitAll over 1,003 operations: %d GetOperation calls (%.2f per operation) in %d ms%n",
                calls, calls / 1003.0, tookMillis);
        // Duplicates are watched once: each operation's own polls, no more than its schedule allows
        // (at most 3 s of life, polled at 0.1 s doubling to 0.5 s: at most 9 polls, seen to finish).
        assertThat(operationIds).allSatisfy(id ->
                assertThat(emulator.counters().getOperationCount(id)).as(id).isBetween(1, 9));
        assertThat(batch.outcome(operationIds.get(0)).orElseThrow().operation().status().toString()).isEqualTo("SUCCESS");
    }

    @Test
    void findsTheInFlightOperationsThroughTenThousandFinishedOnesAndAwaitsThem() {
        OperationSeeder seeder = OperationSeeder.of(emulator);
        seeder.finished(10_000, "ns-history", "srv-history");
        // In flight until the test moves the emulator's clock: listing 10,000 operations on a busy
        // machine may take seconds, and the test must not depend on how many.
        List<String> mine = seeder.inFlight(7, "ns-mine", "srv-mine", Duration.ofHours(1));
        List<String> others = seeder.inFlight(3, "ns-other", "srv-other", Duration.ofHours(1));
        seeder.finished(2, "ns-mine", "srv-mine");
        OperationWatcher watcher = watcher();

        List<String> all = watcher.inFlight(InFlightQuery.all()).map(OperationSummary::id).collectList().block(BOUND);
        int pagesForAll = emulator.counters().count("ListOperations");
        List<String> found = watcher.inFlight(InFlightQuery.all().namespace("ns-mine")
                        .types(OperationType.REGISTER_INSTANCE))
                .map(OperationSummary::id).collectList().block(BOUND);

        List<String> expectedAll = new ArrayList<>(mine);
        expectedAll.addAll(others);
        assertThat(all).containsExactlyInAnyOrderElementsOf(expectedAll);
        assertThat(found).containsExactlyInAnyOrderElementsOf(mine);
        // At 100 per page, every page of the account's history is read, though nearly all come back empty.
        int operations = emulator.operations().size();
        System.out.printf("inFlight over %,d operations: %d ListOperations pages per listing%n", operations, pagesForAll);
        assertThat(operations).isGreaterThanOrEqualTo(10_012);
        assertThat(pagesForAll).isEqualTo((operations + 99) / 100);
        assertThat(emulator.counters().count("ListOperations")).isEqualTo(2 * pagesForAll);

        clock.ahead(Duration.ofHours(1));
        BatchOutcome batch = watcher.awaitAll(found).block(BOUND);
        assertThat(batch.allSucceeded()).isTrue();
        assertThat(batch.size()).isEqualTo(7);
    }

    private String createNamespace() {
        return OperationWatcher.builder(client).pollInterval(Duration.ofMillis(50), Duration.ofMillis(200)).build()
                .submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("batch-"
                        + UUID.randomUUID()))).map(r -> r.operationId()))
                .block(BOUND).targets().get(OperationTargetType.NAMESPACE);
    }

    /** The system clock plus an offset the test raises. Thread-safe. */
    private static final class AheadClock extends java.time.Clock {
        private volatile Duration ahead = Duration.ZERO;

        void ahead(Duration more) {
            ahead = ahead.plus(more);
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(ahead);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
