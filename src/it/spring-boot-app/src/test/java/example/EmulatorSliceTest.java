package example;

import static io.github.cloudmap.watcher.emulator.RequestPattern.getOperation;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.spring.test.AutoConfigureCloudMapEmulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * The application's own client, pointed at the emulator of the library's test slice through the
 * property the slice sets: no emulator set-up in the test.
 */
@SpringBootTest(properties = "cloudmap.endpoint=${cloudmap.emulator.endpoint}")
@AutoConfigureCloudMapEmulator(pendingMillis = 300)
class EmulatorSliceTest {

    @Autowired
    CloudMapEmulator emulator;

    @Autowired
    OperationWatcher watcher;

    @Autowired
    software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient client;

    @Test
    void theApplicationsBeansWatchAnOperationOnTheSlicesEmulator() {
        Operation done = watcher.submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("slice.app")))
                        .map(r -> r.operationId()))
                .block(Duration.ofSeconds(30));
        System.out.println("spring-boot-app @SpringBootTest with @AutoConfigureCloudMapEmulator: " + done.status()
                + " after " + emulator.journal().count(getOperation(done.id())) + " GetOperation");
        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
        emulator.verify(getOperation(done.id())).atLeast(1).atMost(5);
    }
}
