package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.CountingListener;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The watcher is the only retry layer whatever client it is given: over a client built with the
 * SDK's defaults (whose retry strategy sends a throttled request 4 times), a throttled poll
 * reaches the emulator exactly once, marked in its User-Agent.
 */
class OneRetryLayerIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    /** The SDK's defaults for the client: no retry strategy set here. */
    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = E2eClients.emulator(OperationTimings.instant()
                    .with(OperationType.CREATE_NAMESPACE, Duration.ofMillis(200), Duration.ofMillis(200)))
            .build();

    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @Test
    void aThrottledPollReachesTheServiceOnceAndCarriesTheMarker() {
        String operationId = client.createHttpNamespace(b -> b.name("one-layer-" + UUID.randomUUID())
                        .overrideConfiguration(OperationWatcher.requestOverrides()))
                .join().operationId();
        assertThat(emulator.counters().lastUserAgent("CreateHttpNamespace"))
                .as("a submission with requestOverrides() is marked too")
                .contains("cloudmap-operation-watcher/");
        emulator.counters().reset();
        emulator.faults().throttleNext("GetOperation", 1);
        CountingListener listener = new CountingListener();

        Operation done = OperationWatcher.builder(client).listener(listener).build()
                .awaitTerminal(operationId).block(BOUND);

        assertThat(done).isNotNull();
        assertThat(listener.throttled.get())
                .as("the throttle surfaced to the watcher instead of being retried inside the SDK").isEqualTo(1);
        assertThat(emulator.counters().getOperationCount(operationId))
                .as("every request the emulator received is one the watcher sent: no hidden SDK retry")
                .isEqualTo(listener.polls.get());
        assertThat(emulator.counters().lastUserAgent("GetOperation")).contains("cloudmap-operation-watcher/");
    }
}
