package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;

/**
 * DiscoverInstances answers in a seeded random order, DiscoverInstancesRevision agrees with its
 * InstancesRevision, and the default seed differs between emulators so IDs do not repeat after a
 * restart.
 */
class DiscoveryIT {

    private static final List<String> REGISTERED = List.of("i-00", "i-01", "i-02", "i-03", "i-04", "i-05", "i-06",
            "i-07", "i-08", "i-09", "i-10", "i-11");

    /** Five discoveries of twelve instances from an emulator with {@code seed}. */
    private static List<List<String>> discoveries(long seed) {
        try (EmulatorFixture fx = new EmulatorFixture(CloudMapEmulator.builder().seed(seed)
                .operationTimings(OperationTimings.instant()))) {
            String service = fx.service(fx.httpNamespace("shop"), "cart", r -> { }).id();
            REGISTERED.forEach(id -> fx.register(service, id, Map.of()));
            List<List<String>> orders = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                orders.add(join(fx.client.discoverInstances(r -> r.namespaceName("shop").serviceName("cart")))
                        .instances().stream().map(HttpInstanceSummary::instanceId).toList());
            }
            return orders;
        }
    }

    @Test
    void discoverInstancesAnswersInASeededRandomOrder() {
        List<List<String>> orders = discoveries(7L);
        assertThat(orders).allSatisfy(order -> assertThat(order).containsExactlyInAnyOrderElementsOf(REGISTERED));
        assertThat(orders).as("not registration order").anySatisfy(order -> assertThat(order).isNotEqualTo(REGISTERED));
        assertThat(new HashSet<>(orders)).as("a new order on each call").hasSizeGreaterThan(1);
        assertThat(discoveries(7L)).as("the same seed repeats the orders").isEqualTo(orders);
    }

    @Test
    void maxResultsTakesARandomSubset() {
        try (EmulatorFixture fx = new EmulatorFixture(CloudMapEmulator.builder().seed(3L)
                .operationTimings(OperationTimings.instant()))) {
            String service = fx.service(fx.httpNamespace("shop"), "cart", r -> { }).id();
            REGISTERED.forEach(id -> fx.register(service, id, Map.of()));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                List<HttpInstanceSummary> some = join(fx.client.discoverInstances(r -> r.namespaceName("shop")
                        .serviceName("cart").maxResults(2))).instances();
                assertThat(some).hasSize(2);
                some.forEach(s -> seen.add(s.instanceId()));
            }
            assertThat(seen).as("not always the first two registered").hasSizeGreaterThan(2);
        }
    }

    @Test
    void discoverInstancesRevisionAgreesWithDiscoverInstancesAndMovesOnEveryRegistrationChange() {
        try (EmulatorFixture fx = new EmulatorFixture()) {
            String service = fx.service(fx.httpNamespace("shop"), "cart", r -> { }).id();
            long initial = revision(fx);
            fx.register(service, "i-1", Map.of());
            long registered = revision(fx);
            DiscoverInstancesResponse discovered = join(fx.client.discoverInstances(r -> r.namespaceName("shop")
                    .serviceName("cart")));
            assertThat(discovered.instancesRevision()).isEqualTo(registered);
            assertThat(registered).isGreaterThan(initial);
            assertThat(revision(fx)).as("nothing changed, no new revision").isEqualTo(registered);

            fx.register(service, "i-1", Map.of("version", "2"));
            long reRegistered = revision(fx);
            assertThat(reRegistered).isGreaterThan(registered);
            fx.deregister(service, "i-1");
            assertThat(revision(fx)).isGreaterThan(reRegistered);

            assertThatThrownBy(() -> join(fx.client.discoverInstancesRevision(r -> r.namespaceName("nope")
                    .serviceName("cart")))).isInstanceOf(NamespaceNotFoundException.class);
            assertThatThrownBy(() -> join(fx.client.discoverInstancesRevision(r -> r.namespaceName("shop")
                    .serviceName("nope")))).isInstanceOf(ServiceNotFoundException.class);
        }
    }

    private static long revision(EmulatorFixture fx) {
        return join(fx.client.discoverInstancesRevision(r -> r.namespaceName("shop").serviceName("cart")))
                .instancesRevision();
    }

    @Test
    void theDefaultSeedDiffersBetweenEmulatorsAndAnExplicitSeedRepeatsTheIds() {
        List<String> defaultIds = new ArrayList<>();
        List<Long> defaultSeeds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (EmulatorFixture fx = new EmulatorFixture()) {
                defaultIds.add(fx.httpNamespace("shop"));
                defaultSeeds.add(fx.emulator.seed());
            }
        }
        assertThat(defaultIds.get(0)).as("a restarted emulator hands out new IDs").isNotEqualTo(defaultIds.get(1));
        assertThat(defaultSeeds.get(0)).isNotEqualTo(defaultSeeds.get(1));

        List<String> seededIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (EmulatorFixture fx = new EmulatorFixture(CloudMapEmulator.builder().seed(defaultSeeds.get(0))
                    .operationTimings(OperationTimings.instant()))) {
                seededIds.add(fx.httpNamespace("shop"));
                assertThat(fx.emulator.seed()).isEqualTo(defaultSeeds.get(0));
            }
        }
        assertThat(seededIds).containsExactly(defaultIds.get(0), defaultIds.get(0));
    }
}
