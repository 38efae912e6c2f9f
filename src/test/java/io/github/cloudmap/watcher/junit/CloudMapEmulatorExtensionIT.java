package io.github.cloudmap.watcher.junit;

import static io.github.cloudmap.watcher.emulator.RequestPattern.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;

/** The annotation's injection into parameters and fields, the reset before each test, and @Nested classes. */
@CloudMapEmulatorTest(pendingMillis = 200, seed = 7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudMapEmulatorExtensionIT {

    /** The first test's emulator, so the others can check they got the same one. */
    private static CloudMapEmulator first;
    /** The namespace the first test created. */
    private static String firstNamespaceId;

    CloudMapEmulator emulator;
    ServiceDiscoveryAsyncClient client;
    OperationWatcher watcher;
    URI endpoint;

    @Test
    @Order(1)
    void injectsOneEmulatorClientWatcherAndEndpointIntoParametersAndFields(CloudMapEmulator emulator,
            ServiceDiscoveryAsyncClient client, OperationWatcher watcher, URI endpoint) {
        first = emulator;
        assertThat(this.emulator).isSameAs(emulator);
        assertThat(this.client).isSameAs(client);
        assertThat(this.watcher).isSameAs(watcher);
        assertThat(endpoint).isEqualTo(emulator.endpoint()).isEqualTo(this.endpoint);
        assertThat(emulator.seed()).isEqualTo(7);

        // The watcher polls through the injected client, which reaches the emulator over Netty.
        Operation done = watcher.submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(r -> r.name("a.local")
                        .overrideConfiguration(OperationWatcher.requestOverrides())))
                        .map(CreateHttpNamespaceResponse::operationId))
                .block(Duration.ofSeconds(20));
        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
        firstNamespaceId = done.targetsAsStrings().get("NAMESPACE");
        emulator.verify(action("CreateHttpNamespace")).times(1);
        emulator.verify(action("GetOperation").withOperationId(done.id())
                .withUserAgentContaining("cloudmap-operation-watcher/")).atLeast(1);

        // Left behind for the next test, which must not see any of it.
        emulator.faults().throttleNext("ListNamespaces", 5);
    }

    @Test
    @Order(2)
    void resetsStateCountersFaultsAndJournalBeforeEachTest(CloudMapEmulator emulator) {
        assertThat(emulator).as("one emulator per class").isSameAs(first);
        assertThat(emulator.operations()).isEmpty();
        assertThat(emulator.counters().total()).isZero();
        assertThat(emulator.journal().entries()).isEmpty();
        // Not throttled: the first test's throttleNext was removed.
        assertThat(client.listNamespaces().join().namespaces()).as("the first test's namespace").isEmpty();
        emulator.verify(action("ListNamespaces").notThrottled()).times(1);
    }

    @Test
    @Order(3)
    void theSameSeedHandsOutTheSameIdsAfterAReset(CloudMapEmulator emulator) {
        String afterReset = client.createHttpNamespace(r -> r.name("b.local")).join().operationId();
        emulator.reset();
        assertThat(client.createHttpNamespace(r -> r.name("b.local")).join().operationId()).isEqualTo(afterReset);
    }

    @Test
    @Order(4)
    void theFirstTestsNamespaceIsGone() {
        assertThat(firstNamespaceId).isNotNull();
        assertThatThrownBy(() -> client.getNamespace(r -> r.id(firstNamespaceId)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(NamespaceNotFoundException.class);
    }

    @Nested
    class WithAClientAdjustment {

        @RegisterExtension
        final CloudMapEmulatorExtension noRetries = CloudMapEmulatorExtension.builder()
                .lifecycle(EmulatorLifecycle.PER_METHOD)
                .client(c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
                .build();

        @Test
        void keepsTheHostPrefixOffSoDiscoverInstancesReachesTheEmulator() {
            ServiceDiscoveryAsyncClient own = noRetries.client();
            String namespaceId = own.getOperation(r -> r.operationId(own.createHttpNamespace(n -> n.name("d.local"))
                    .join().operationId())).join().operation().targetsAsStrings().get("NAMESPACE");
            own.createService(r -> r.name("web").namespaceId(namespaceId)).join();
            assertThat(own.discoverInstances(r -> r.namespaceName("d.local").serviceName("web")).join().instances())
                    .isEmpty();
            assertThat(own.serviceClientConfiguration().overrideConfiguration().retryStrategy()).isPresent();
        }
    }

    @Nested
    class InANestedClass {

        @Test
        void getsTheEnclosingClassesEmulatorResetAndInjectedIntoBothInstances(CloudMapEmulator nested) {
            assertThat(nested).isSameAs(emulator).as("the outer instance's field").isNotNull();
            if (first != null) {
                assertThat(nested).isSameAs(first);
            }
            assertThat(nested.journal().entries()).isEmpty();
            assertThat(nested.seed()).isEqualTo(7);
        }
    }

    @Nested
    @CloudMapEmulatorTest(journalCapacity = 2)
    class WithItsOwnAnnotation {

        @Test
        void getsAnEmulatorOfItsOwnSettings(CloudMapEmulator own) {
            assertThat(own.journal().capacity()).isEqualTo(2);
            assertThat(first).as("the outer class's methods ran first").isNotNull();
            assertThat(own).isNotSameAs(first);
            assertThat(emulator).as("the outer instance's field gets the nested class's emulator").isSameAs(own);
        }
    }
}
