package io.github.cloudmap.watcher.e2e;

import static io.github.cloudmap.watcher.emulator.RequestPattern.action;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.spring.test.AutoConfigureCloudMapEmulator;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestContextManager;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * The Spring test slice under {@code @SpringBootTest}: an emulator bean, the auto-configured
 * watcher polling it through the slice's client, its endpoint as a property, faults, counters and
 * journal reset before each test method, and an application's own client left alone.
 *
 * <p>Spring Framework 7's JUnit extension needs JUnit 6, and this build tests on JUnit 5.14, so
 * this drives Spring's test framework through {@link TestContextManager}, which is what the
 * extension calls (the consumer builds run the slice under Spring Boot's own JUnit, with
 * {@code @SpringBootTest} and {@code @WebFluxTest}). Here rather than beside the Spring tests,
 * which others are editing.
 */
class AutoConfigureCloudMapEmulatorIT {

    /** An application with no Cloud Map beans of its own: everything comes from auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    static class App {
    }

    @SpringBootTest(classes = App.class)
    @AutoConfigureCloudMapEmulator(pendingMillis = 300, seed = 11)
    static class SliceTest {
        @Autowired
        CloudMapEmulator emulator;
        @Autowired
        ServiceDiscoveryAsyncClient client;
        @Autowired
        OperationWatcher watcher;
        @Value("${cloudmap.emulator.endpoint}")
        String endpointProperty;

        void aTest() {
        }
    }

    /** An application that builds its own client from the property the slice sets. */
    @Configuration(proxyBeanMethods = false)
    static class OwnClientApp {
        static final ServiceDiscoveryAsyncClient[] BUILT = new ServiceDiscoveryAsyncClient[1];

        @Bean(destroyMethod = "close")
        ServiceDiscoveryAsyncClient myClient(@Value("${cloudmap.emulator.endpoint}") String endpoint,
                CloudMapEmulator emulator) {
            assertThat(endpoint).isEqualTo(emulator.endpoint().toString());
            BUILT[0] = emulator.clientBuilder().build();
            return BUILT[0];
        }
    }

    @SpringBootTest(classes = OwnClientApp.class)
    @AutoConfigureCloudMapEmulator
    static class OwnClientTest {
        @Autowired
        ServiceDiscoveryAsyncClient client;
        @Autowired
        OperationWatcher watcher;
    }

    @Test
    void theAutoConfiguredWatcherPollsTheEmulatorAndEachTestMethodStartsWithoutFaultsOrJournal() throws Exception {
        TestContextManager spring = new TestContextManager(SliceTest.class);
        SliceTest test = new SliceTest();
        spring.prepareTestInstance(test);
        Method method = SliceTest.class.getDeclaredMethod("aTest");
        spring.beforeTestMethod(test, method);
        try {
            assertThat(test.emulator.seed()).isEqualTo(11);
            assertThat(test.endpointProperty).isEqualTo(test.emulator.endpoint().toString());
            Operation done = test.watcher.submitAndAwait(Mono.fromFuture(() -> test.client.createHttpNamespace(r -> r
                                    .name("slice.local").overrideConfiguration(OperationWatcher.requestOverrides())))
                            .map(CreateHttpNamespaceResponse::operationId))
                    .block(Duration.ofSeconds(20));
            assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
            test.emulator.verify(action("GetOperation").withOperationId(done.id())
                    .withUserAgentContaining("cloudmap-operation-watcher/")).atLeast(1);
            test.emulator.faults().throttleNext("ListNamespaces", 3);
        } finally {
            spring.afterTestMethod(test, method, null);
        }

        spring.beforeTestMethod(test, method);
        try {
            assertThat(test.emulator.journal().entries()).isEmpty();
            assertThat(test.emulator.counters().total()).isZero();
            // Not throttled, and the namespace made before is still there.
            assertThat(test.client.listNamespaces().join().namespaces()).extracting(n -> n.name())
                    .contains("slice.local");
            test.emulator.verify(action("ListNamespaces").notThrottled()).times(1);
        } finally {
            spring.afterTestMethod(test, method, null);
            spring.afterTestClass();
        }
    }

    @Test
    void anApplicationsOwnClientIsLeftAloneAndReadsTheEndpointProperty() throws Exception {
        TestContextManager spring = new TestContextManager(OwnClientTest.class);
        OwnClientTest test = new OwnClientTest();
        spring.prepareTestInstance(test);
        try {
            assertThat(test.client).isSameAs(OwnClientApp.BUILT[0]);
            assertThat(test.watcher).isNotNull();
        } finally {
            spring.afterTestClass();
        }
    }
}
