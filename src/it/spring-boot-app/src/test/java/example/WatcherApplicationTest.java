package example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.netty.util.Version;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/** The application's own beans, on what Spring Boot resolves, watching an operation on the emulator. */
@SpringBootTest
class WatcherApplicationTest {

    private static final CloudMapEmulator EMULATOR = CloudMapEmulator.builder()
            .operationTimings(OperationTimings.uniform(Duration.ofMillis(600), Duration.ofSeconds(2)))
            .start();

    @DynamicPropertySource
    static void emulatorEndpoint(DynamicPropertyRegistry registry) {
        registry.add("cloudmap.endpoint", () -> EMULATOR.endpoint().toString());
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.close();
    }

    @Autowired
    private OperationWatcher watcher;

    @Autowired
    private ServiceDiscoveryAsyncClient client;

    @Test
    void runsOnSpringBootsVersions() {
        Set<String> netty = Version.identify().values().stream()
                .map(Version::artifactVersion)
                .collect(Collectors.toCollection(TreeSet::new));
        String reactor = Flux.class.getPackage().getImplementationVersion();
        System.out.println("spring-boot-app runs on Spring Boot " + SpringBootVersion.getVersion()
                + ", Netty " + netty + ", Reactor " + reactor);
        assertThat(SpringBootVersion.getVersion()).isEqualTo("4.0.7");
        assertThat(netty).as("one Netty version, Spring Boot's 4.2 line").hasSize(1);
        assertThat(netty.iterator().next()).startsWith("4.2.");
    }

    @Test
    void watchesANamespaceBeingCreated() {
        List<OperationStatus> statuses = watcher.submitAndWatch(
                        Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("spring-boot-app")))
                                .map(r -> r.operationId()))
                .map(Operation::status)
                .collectList()
                .block(Duration.ofSeconds(30));
        System.out.println("spring-boot-app watched " + statuses);
        // Which statuses a poll catches depends on timing (a loaded machine delays the first poll);
        // what the watcher promises is order without repeats, ending in exactly one SUCCESS.
        assertThat(statuses).isNotEmpty().endsWith(OperationStatus.SUCCESS)
                .isSubsetOf(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS)
                .isSortedAccordingTo(java.util.Comparator.comparing(OperationStatus::ordinal))
                .doesNotHaveDuplicates();
    }
}
