package io.github.cloudmap.watcher.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small test classes through JUnit's own launcher to see what the extension does across
 * classes: per class, per method and per JVM, and classes running in parallel. The classes below
 * are not run on their own (failsafe skips nested classes); each records the emulators it saw.
 */
class ExtensionLifecycleIT {

    /** Emulators seen by the classes below, by class simple name, in the order their tests ran. */
    static final Map<String, Queue<CloudMapEmulator>> SEEN = new ConcurrentHashMap<>();
    /** Meets the three parallel classes inside their tests: they only pass if they run at once. */
    static volatile CyclicBarrier together;

    @Test
    void perClassGivesEachClassItsOwnEmulatorClosedAfterIt() {
        TestExecutionSummary summary = run(false, PerClassA.class, PerClassB.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(4);
        CloudMapEmulator a = only(seen("PerClassA"));
        CloudMapEmulator b = only(seen("PerClassB"));
        assertThat(a).isNotSameAs(b);
        assertClosed(a);
        assertClosed(b);
    }

    @Test
    void perJvmSharesOneEmulatorAcrossClassesWithTheSameAttributesUntilTheRunEnds() {
        TestExecutionSummary summary = run(false, PerJvmA.class, PerJvmB.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(4);
        CloudMapEmulator shared = only(seen("PerJvmA"));
        assertThat(only(seen("PerJvmB"))).isSameAs(shared);
        assertClosed(shared);
    }

    @Test
    void perMethodGivesEachTestItsOwnEmulator() {
        TestExecutionSummary summary = run(false, PerMethod.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        List<CloudMapEmulator> emulators = List.copyOf(SEEN.get("PerMethod"));
        assertThat(emulators).hasSize(2).doesNotHaveDuplicates();
        emulators.forEach(ExtensionLifecycleIT::assertClosed);
    }

    @Test
    void classesRunningInParallelEachHaveTheirOwnEmulatorAndState() {
        together = new CyclicBarrier(3);
        TestExecutionSummary summary = run(true, Parallel1.class, Parallel2.class, Parallel3.class);
        summary.getFailures().forEach(f -> f.getException().printStackTrace());
        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
        assertThat(List.of(only(seen("Parallel1")), only(seen("Parallel2")), only(seen("Parallel3"))))
                .doesNotHaveDuplicates();
    }

    @Test
    void aProgrammaticExtensionInAStaticFieldAppliesItsFaultsAgainAfterEachReset() {
        TestExecutionSummary summary = run(false, Programmatic.class);
        summary.getFailures().forEach(f -> f.getException().printStackTrace());
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(only(seen("Programmatic"))).isNotNull();
    }

    private static TestExecutionSummary run(boolean parallel, Class<?>... classes) {
        SEEN.clear();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel))
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "3");
        for (Class<?> c : classes) {
            request.selectors(selectClass(c));
        }
        LauncherDiscoveryRequest built = request.build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(built, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsFailedCount()).as("failures: %s", summary.getFailures()).isZero();
        return summary;
    }

    private static List<CloudMapEmulator> seen(String name) {
        return List.copyOf(SEEN.getOrDefault(name, new ConcurrentLinkedQueue<>()));
    }

    /** The one emulator every test of a class saw. */
    private static CloudMapEmulator only(List<CloudMapEmulator> seen) {
        assertThat(seen).isNotEmpty();
        assertThat(seen).allSatisfy(e -> assertThat(e).isSameAs(seen.get(0)));
        return seen.get(0);
    }

    private static void assertClosed(CloudMapEmulator emulator) {
        // onDispose completes once the server has stopped; never for a running one.
        emulator.onDispose().block(Duration.ofSeconds(5));
    }

    static void record(Object test, CloudMapEmulator emulator) {
        SEEN.computeIfAbsent(test.getClass().getSimpleName(), k -> new ConcurrentLinkedQueue<>()).add(emulator);
    }

    /** Two tests that record the emulator they were given; the subclasses choose the lifecycle. */
    abstract static class RecordsTwice {
        @Test
        void one(CloudMapEmulator emulator) {
            record(this, emulator);
        }

        @Test
        void two(CloudMapEmulator emulator) {
            record(this, emulator);
        }
    }

    @CloudMapEmulatorTest
    static class PerClassA extends RecordsTwice {
    }

    @CloudMapEmulatorTest
    static class PerClassB extends RecordsTwice {
    }

    @CloudMapEmulatorTest(lifecycle = EmulatorLifecycle.PER_JVM)
    static class PerJvmA extends RecordsTwice {
    }

    @CloudMapEmulatorTest(lifecycle = EmulatorLifecycle.PER_JVM)
    static class PerJvmB extends RecordsTwice {
    }

    @CloudMapEmulatorTest(lifecycle = EmulatorLifecycle.PER_METHOD)
    static class PerMethod extends RecordsTwice {
    }

    /**
     * Each creates the same namespace name and expects to be alone with it: in a shared emulator
     * two would see each other's namespace or reset it away.
     */
    @CloudMapEmulatorTest
    static class Parallel1 {
        @Test
        void createsItsNamespaceAlone(CloudMapEmulator emulator,
                software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient client) throws Exception {
            record(this, emulator);
            client.createHttpNamespace(r -> r.name("same.local")).join();
            together.await(30, TimeUnit.SECONDS);
            assertThat(client.listNamespaces().join().namespaces()).hasSize(1);
            emulator.verify(io.github.cloudmap.watcher.emulator.RequestPattern.anyRequest()).times(2);
        }
    }

    static class Parallel2 extends Parallel1 {
    }

    static class Parallel3 extends Parallel1 {
    }

    /** Programmatic: throttleNext from the builder holds for each test, whatever the previous one used up. */
    static class Programmatic {
        @RegisterExtension
        static final CloudMapEmulatorExtension CLOUD_MAP = CloudMapEmulatorExtension.builder()
                .faults(f -> f.throttleNext("ListNamespaces", 1))
                .client(c -> c.overrideConfiguration(o -> o.retryStrategy(
                        software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))
                .build();

        @Test
        void one() {
            checkThrottledOnceThenServed();
        }

        @Test
        void two() {
            checkThrottledOnceThenServed();
        }

        private void checkThrottledOnceThenServed() {
            record(this, CLOUD_MAP.emulator());
            assertThat(CLOUD_MAP.client().listNamespaces()).failsWithin(Duration.ofSeconds(10));
            assertThat(CLOUD_MAP.client().listNamespaces().join().namespaces()).isEmpty();
            CLOUD_MAP.emulator().verify(io.github.cloudmap.watcher.emulator.RequestPattern.action("ListNamespaces")
                    .throttled()).times(1);
        }
    }
}
