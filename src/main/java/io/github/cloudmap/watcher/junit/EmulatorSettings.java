package io.github.cloudmap.watcher.junit;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.FaultInjector;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/**
 * What one extension starts: how the emulator is built, the faults applied after every reset, and
 * how the client and the watcher are adjusted. Immutable.
 */
record EmulatorSettings(EmulatorLifecycle lifecycle, Consumer<CloudMapEmulator.Builder> emulator,
        Consumer<FaultInjector> faults, Consumer<ServiceDiscoveryAsyncClientBuilder> client,
        Consumer<OperationWatcherBuilder> watcher) {

    /** Instant operations and no faults: what a test of one's own code usually wants. */
    static final Consumer<CloudMapEmulator.Builder> INSTANT = b -> b.operationTimings(OperationTimings.instant());

    /** The settings an annotation describes; its attributes are checked here, before anything starts. */
    static EmulatorSettings of(CloudMapEmulatorTest a) {
        requireNonNegative(a.submittedMillis(), "submittedMillis");
        requireNonNegative(a.pendingMillis(), "pendingMillis");
        requireNonNegative(a.latencyMillis(), "latencyMillis");
        requireProbability(a.throttleProbability(), "throttleProbability");
        requireProbability(a.serverErrorProbability(), "serverErrorProbability");
        if (a.journalCapacity() < 0) {
            throw new IllegalArgumentException("@CloudMapEmulatorTest(journalCapacity) must be >= 0, got "
                    + a.journalCapacity());
        }
        Consumer<CloudMapEmulator.Builder> emulator = b -> {
            b.operationTimings(OperationTimings.uniform(Duration.ofMillis(a.submittedMillis()),
                            Duration.ofMillis(a.pendingMillis())))
                    .realisticLimits(a.realisticLimits())
                    .journalCapacity(a.journalCapacity());
            if (a.seed() != CloudMapEmulatorTest.RANDOM_SEED) {
                b.seed(a.seed());
            }
        };
        Consumer<FaultInjector> faults = f -> {
            if (a.throttleProbability() > 0) {
                f.throttleProbability("*", a.throttleProbability());
            }
            if (a.serverErrorProbability() > 0) {
                f.serverErrorProbability("*", a.serverErrorProbability());
            }
            if (a.latencyMillis() > 0) {
                f.latency("*", Duration.ofMillis(a.latencyMillis()));
            }
        };
        return new EmulatorSettings(a.lifecycle(), emulator, faults, b -> { }, b -> { });
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException("@CloudMapEmulatorTest(" + name + ") must be >= 0, got " + value);
        }
    }

    private static void requireProbability(double value, String name) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("@CloudMapEmulatorTest(" + name + ") must be within 0..1, got "
                    + value);
        }
    }
}
