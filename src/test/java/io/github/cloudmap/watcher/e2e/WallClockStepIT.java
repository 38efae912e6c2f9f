package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Budgets, polling, deadlines and sweeps in production ride out a stepped wall clock: a child JVM
 * ({@link SteppedClockChild}) runs under Debian's libfaketime and steps its own wall clock back 10
 * minutes, then forward 10 minutes, while it watches operations of an emulator in this JVM (whose
 * clock is real) through the real SDK client. Issue 13, item 1. Measured on the code before
 * {@code Clocks}: (a) to (c) held already, because Reactor 3.8's default {@code Scheduler.now}
 * reads {@code System.nanoTime()} for nanoseconds (the unit the core reads); (d) failed: the
 * ListOperations window started after its end, Cloud Map answered InvalidInput, and coalesced
 * polling turned itself off for good. Skipped where libfaketime is not installed ({@code .ci/run}
 * installs Debian's {@code faketime}).
 */
class WallClockStepIT {

    @Test
    void budgetsPollingAndDeadlinesRideOutAWallClockSteppedBackAndForward() throws Exception {
        Optional<Path> libfaketime = libfaketime();
        assumeTrue(libfaketime.isPresent(), "libfaketime is not installed (Debian package faketime)");
        try (CloudMapEmulator emulator = CloudMapEmulator.builder()
                .operationTimings(OperationTimings.instant()
                        .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(3), Duration.ofMinutes(30)))
                .start();
                ServiceDiscoveryAsyncClient client = E2eClients.builder(emulator).build()) {
            String namespaceId = OperationWatcher.create(client).submitAndAwait(
                            Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("clock-" + UUID.randomUUID())))
                                    .map(r -> r.operationId()))
                    .block(Duration.ofSeconds(20)).targets().get(OperationTargetType.NAMESPACE);
            String serviceId = client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();
            Path offsetFile = Files.createTempFile("faketime-", ".offset");
            Files.writeString(offsetFile, "+0\n");

            Map<String, String> out = run(libfaketime.get(), offsetFile, emulator.endpoint().toString(), serviceId);
            System.out.println("WallClockStepIT: the child saw " + out);

            // (a) 20/s for 4 s after the step back: about 80 permits; a budget timed by the wall clock
            // grants none until the clock is back where it was, 10 minutes later.
            assertThat(Integer.parseInt(out.get("budget.after"))).as("permits of a 20/s budget in the 4 s after"
                    + " the step back; %s", out).isGreaterThanOrEqualTo(50);
            // (c) 20 watches polling at about 0.5, 1.5, 3.5, 7.5 s keep polling: most poll in those 4 s.
            assertThat(Integer.parseInt(out.get("polls.after"))).as("GetOperation calls in the 4 s after the step"
                    + " back; %s", out).isGreaterThanOrEqualTo(15);
            // (d) the sweeps' UPDATE_DATE window stays valid: it started after its end once the clock
            // stepped back, Cloud Map answered InvalidInput and coalescing turned off for good.
            assertThat(out.get("coalescing.off")).as("%s", out).isEqualTo("no");
            // (b) the watch saw SUBMITTED, then PENDING after the step forward, and did not time out.
            assertThat(out.get("forward.error")).as("%s", out).isEqualTo("none");
            assertThat(out.get("forward.statuses")).as("%s", out).isEqualTo("SUBMITTED,PENDING");
        }
    }

    private static Map<String, String> run(Path libfaketime, Path offsetFile, String endpoint, String serviceId)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Failsafe runs the tests from a manifest-only jar; it names the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path output = Files.createTempFile("stepped-clock-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classPath, SteppedClockChild.class.getName(), endpoint, serviceId,
                offsetFile.toString()))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("LD_PRELOAD", libfaketime.toString());
        env.put("FAKETIME_TIMESTAMP_FILE", offsetFile.toString());
        // Re-read the file at most once a second: with FAKETIME_NO_CACHE=1 every clock reading opens
        // the file, and the JVM, the SDK and Netty read the clock so often that starting took a minute.
        env.put("FAKETIME_CACHE_DURATION", "1");
        // Without it libfaketime shifts CLOCK_MONOTONIC too, and System.nanoTime() would step as well.
        env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        // With the monotonic clock left real, libfaketime's "fix" of pthread_cond_timedwait makes
        // every timed wait of the JVM (LockSupport.parkNanos, Object.wait) return at once: measured,
        // a 200 ms park took 0 ms and the SDK's first request timed out. Off, they wait as asked.
        env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not finish within 90 s; it wrote:\n" + Files.readString(output));
        }
        String text = Files.readString(output);
        assertThat(process.exitValue()).as("the child's exit; it wrote:\n%s", text).isZero();
        Map<String, String> values = new HashMap<>();
        text.lines().filter(line -> line.matches("[a-z.]+=.*"))
                .forEach(line -> values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(values).as("the child's output:\n%s", text).containsKey("done");
        return values;
    }

    /** Debian's libfaketime, wherever the architecture puts it. */
    private static Optional<Path> libfaketime() throws IOException {
        Path lib = Path.of("/usr/lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(lib)) {
            return dirs.map(dir -> dir.resolve("faketime/libfaketime.so.1")).filter(Files::isRegularFile).findFirst();
        }
    }
}
