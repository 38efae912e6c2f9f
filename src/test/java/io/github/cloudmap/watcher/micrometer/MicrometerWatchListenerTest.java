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
}
