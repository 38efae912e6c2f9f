package io.github.cloudmap.watcher.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Seeds a running {@link CloudMapEmulator} with operations directly, without a submission call
 * and its quota: an account's history of finished operations (which every ListOperations call
 * pages through), or operations still in flight. For tests of code that lists operations, such
 * as {@code OperationWatcher.inFlight}: 10,000 finished operations take milliseconds.
 *
 * <pre>{@code
 * OperationSeeder seeder = OperationSeeder.of(emulator);
 * seeder.finished(10_000, "ns-history", "srv-history");
 * List<String> running = seeder.inFlight(5, "ns-1", "srv-1", Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Seeded operations are REGISTER_INSTANCE operations whose targets name the given namespace,
 * service and an instance {@code seed-N}; they change nothing else in the emulator (the namespace
 * and service need not exist), and they count toward ListOperations and GetOperation like any
 * other. Thread-safe: each call runs under the emulator's state lock.
 */
public final class OperationSeeder {

    private final EmulatorState state;

    private OperationSeeder(CloudMapEmulator emulator) {
        this.state = emulator.state();
    }

    /**
     * A seeder for {@code emulator}.
     *
     * @param emulator the emulator to seed
     * @return a new seeder
     * @throws NullPointerException if {@code emulator} is null
     */
    public static OperationSeeder of(CloudMapEmulator emulator) {
        return new OperationSeeder(Objects.requireNonNull(emulator, "emulator must not be null"));
    }

    /**
     * {@code count} operations that reached SUCCESS within the last hour (by the emulator's
     * clock), oldest first.
     *
     * @param count how many operations
     * @param namespaceId the namespace they target
     * @param serviceId the service they target
     * @return their IDs, oldest first
     * @throws NullPointerException if an ID is null
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public List<String> finished(int count, String namespaceId, String serviceId) {
        Map<String, String> base = targets(count, namespaceId, serviceId);
        return state.locked(() -> {
            List<String> ids = new ArrayList<>(count);
            Instant now = state.clock.instant();
            for (int i = 0; i < count; i++) {
                Instant finish = now.minus(Duration.ofHours(1)).plusMillis(3_600_000L * i / Math.max(1, count));
                Instant create = finish.minusSeconds(2);
                ids.add(state.submitScheduled(OperationType.REGISTER_INSTANCE, instance(base, i), create,
                        create.plusSeconds(1), finish).id);
            }
            return ids;
        });
    }

    /**
     * {@code count} operations that start now: SUBMITTED for the first half of {@code lasting},
     * PENDING for the second, then SUCCESS.
     *
     * @param count how many operations
     * @param namespaceId the namespace they target
     * @param serviceId the service they target
     * @param lasting how long until they succeed
     * @return their IDs, in the order they were created
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code count} or {@code lasting} is negative
     */
    public List<String> inFlight(int count, String namespaceId, String serviceId, Duration lasting) {
        Map<String, String> base = targets(count, namespaceId, serviceId);
        Objects.requireNonNull(lasting, "lasting must not be null");
        if (lasting.isNegative()) {
            throw new IllegalArgumentException("lasting must not be negative, but was " + lasting);
        }
        return state.locked(() -> {
            List<String> ids = new ArrayList<>(count);
            Instant now = state.clock.instant();
            for (int i = 0; i < count; i++) {
                ids.add(state.submitScheduled(OperationType.REGISTER_INSTANCE, instance(base, i), now,
                        now.plus(lasting.dividedBy(2)), now.plus(lasting)).id);
            }
            return ids;
        });
    }

    private static Map<String, String> targets(int count, String namespaceId, String serviceId) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, but was " + count);
        }
        return Map.of("NAMESPACE", Objects.requireNonNull(namespaceId, "namespaceId must not be null"),
                "SERVICE", Objects.requireNonNull(serviceId, "serviceId must not be null"));
    }

    private static Map<String, String> instance(Map<String, String> base, int i) {
        return Map.of("NAMESPACE", base.get("NAMESPACE"), "SERVICE", base.get("SERVICE"), "INSTANCE", "seed-" + i);
    }
}
