package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.RequestPattern;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

// The README's "Testing against the emulator" section, line for line (check both when changing either).
@CloudMapEmulatorTest(pendingMillis = 500)
class ReadmeEmulatorTest {
    @Test
    void createsANamespace(ServiceDiscoveryAsyncClient client, OperationWatcher watcher, CloudMapEmulator emulator) {
        Operation op = watcher.submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("demo.local")))
                .map(CreateHttpNamespaceResponse::operationId)).block(Duration.ofSeconds(30));
        assertEquals(OperationStatus.SUCCESS, op.status());
        emulator.verify(RequestPattern.getOperation(op.id())).atMost(5);
    }
}
