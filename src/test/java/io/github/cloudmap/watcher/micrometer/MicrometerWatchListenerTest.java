package io.github.cloudmap.watcher.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class MicrometerWatchListenerTest {

    @Test
    void countsPollsThrottlesRetriesStatusesAndResubmissions() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").notFound().submitted().throttle().fail("THROTTLED_REQUEST", "throttled");
        client.script("op-2").serverError(503).success();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OperationWatcher watcher = OperationWatcher.builder(client)
                .listener(new MicrometerWatchListener(registry, Tags.of("app", "test")))
                .build();

        StepVerifier.withVirtualTime(() -> watcher.submitAndAwait(
                        Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("s").instanceId("i")))
                                .map(r -> r.operationId())))
                .thenAwait(Duration.ofMinutes(1))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(registry.get("cloudmap.watcher.polls").tag("app", "test").counter().count()).isEqualTo(6);
        assertThat(registry.get("cloudmap.watcher.throttled").counter().count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.not.found").counter().count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.transient.errors").tag("exception", "ServiceDiscoveryException")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.status.changes").tag("status", "FAIL")
                .tag("type", "REGISTER_INSTANCE").counter().count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.status.changes").tag("status", "SUCCESS").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.resubmissions").tag("cause", "THROTTLED_REQUEST")
                .counter().count()).isEqualTo(1);
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTags().toString().contains("op-1"));
    }

    @Test
    void countsAWatcherWhoseCoalescedPollingWasTurnedOff() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").pending().times(4).success();
        client.listings().accessDenied();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OperationWatcher watcher = OperationWatcher.builder(client).coalescedPolling(java.time.Duration.ofSeconds(1))
                .listener(new MicrometerWatchListener(registry, Tags.of("app", "test"))).build();

        StepVerifier.withVirtualTime(() -> watcher.awaitTerminal("op-1"))
                .thenAwait(java.time.Duration.ofMinutes(1))
                .expectNextCount(1)
                .verifyComplete();

        assertThat(registry.get("cloudmap.watcher.coalescing.off")
                .tags("app", "test", "exception", "ServiceDiscoveryException").counter().count()).isEqualTo(1.0);
    }

    @Test
    void countsLocalBudgetWaitsApartFromServiceThrottlesAndPublishesTheBudget() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").throttle().success();
        client.script("op-2").success();
        client.script("op-3").success();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        io.github.cloudmap.watcher.RequestBudget budget = io.github.cloudmap.watcher.RequestBudget.adaptive(
                io.github.cloudmap.watcher.AdaptiveBudgetConfig.builder().initialRate(1).burst(1).build());
        OperationWatcher watcher = OperationWatcher.builder(client).pollBudget(budget)
                .listener(new MicrometerWatchListener(registry)).build();
        BudgetMetrics.of(watcher, Tags.of("app", "test")).forEach(b -> b.bindTo(registry));

        StepVerifier.withVirtualTime(() -> reactor.core.publisher.Flux.merge(
                        watcher.watch("op-1"), watcher.watch("op-2"), watcher.watch("op-3")))
                .then(() -> assertThat(registry.get("cloudmap.watcher.budget.waiting").tag("quota", "GetOperation")
                        .gauge().value()).isEqualTo(2))
                .thenAwait(Duration.ofMinutes(1))
                .expectNextCount(3)
                .verifyComplete();

        // op-2 and op-3 waited for the budget (1/s, burst 1); only op-1 was throttled by the service.
        assertThat(registry.get("cloudmap.watcher.budget.wait").timer().count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("cloudmap.watcher.throttled").counter().count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.budget.cuts").tag("quota", "GetOperation").functionCounter()
                .count()).isEqualTo(1);
        assertThat(registry.get("cloudmap.watcher.budget.rate").tag("quota", "GetOperation").gauge().value())
                .isEqualTo(budget.currentRate());
        assertThat(registry.get("cloudmap.watcher.budget.waiting").tag("quota", "submission").gauge().value())
                .isZero();
    }
}
