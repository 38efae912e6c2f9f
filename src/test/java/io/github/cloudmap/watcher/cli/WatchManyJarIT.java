package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationSeeder;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code watch} with many operations as a deploy script runs it: the built {@code -cli.jar} in a
 * JVM of its own, operation IDs on its standard input, against the emulator over HTTP.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchManyJarIT {

    private CloudMapEmulator emulator;
    private OperationSeeder seeder;

    @BeforeAll
    void start() {
        emulator = CloudMapEmulator.builder().operationTimings(OperationTimings.instant()).start();
        seeder = OperationSeeder.of(emulator);
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    private record Run(int exit, String out, String err) {
    }

    @Test
    void watchesFiveHundredIdsFromStandardInputWithOneBudget() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // 6 to 10 s: still in flight when the JVM has started, so the watches really wait.
            ids.addAll(seeder.inFlight(100, "ns-jar", "srv-jar", Duration.ofSeconds(6 + i)));
        }
        String stdin = String.join("\n", ids) + "\n" + ids.get(7) + "\n";   // one repeat: warned, watched once
        emulator.counters().reset();

        Run run = jar(stdin, "watch", "-", "--rate", "200", "--timeout", "60s");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning: stdin line 501: " + ids.get(7) + " repeats stdin line 8");
        assertThat(run.out().lines().filter(l -> l.contains("REGISTER_INSTANCE  SUCCESS"))).hasSize(500);
        assertThat(run.out()).contains("500 operations: 500 succeeded");
        assertThat(ids).allSatisfy(id -> assertThat(emulator.counters().getOperationCount(id)).as(id).isBetween(1, 12));
        System.out.printf("500 IDs on stdin: %d GetOperation calls%n", emulator.counters().count("GetOperation"));
    }

    @Test
    void exitsWithTheWorstOutcomeAndPrintsTheTable() throws Exception {
        List<String> ok = seeder.inFlight(3, "ns-jar", "srv-jar", Duration.ofMillis(500));
        emulator.faults().failNextOperations(OperationType.CREATE_NAMESPACE, 1, "CANNOT_CREATE_HOSTED_ZONE", "no zone");
        String failing;
        try (var client = Clients.emulator(emulator.endpoint())) {
            failing = client.createHttpNamespace(b -> b.name("jar-fail.local")).get(10, TimeUnit.SECONDS).operationId();
        }

        Run run = jar("", "watch", ok.get(0), ok.get(1), failing, ok.get(2));

        assertThat(run.exit()).as(run.err()).isEqualTo(WatchCommand.FAILED);
        assertThat(run.out()).contains("4 operations: 3 succeeded, 1 failed")
                .containsPattern(failing + "\\s+FAIL\\s+FAIL\\s+CANNOT_CREATE_HOSTED_ZONE: no zone");
    }

    @Test
    void pendingWaitsUntilNothingMatchingIsInFlight() throws Exception {
        seeder.finished(300, "ns-pending", "srv-pending");
        // Long enough to outlast the start of a JVM on a busy machine: the jar must find them in flight.
        List<String> running = seeder.inFlight(20, "ns-pending", "srv-pending", Duration.ofSeconds(15));
        seeder.inFlight(5, "ns-elsewhere", "srv-elsewhere", Duration.ofMinutes(30));

        Run run = jar("", "watch", "--pending", "--namespace", "ns-pending", "--type", "REGISTER_INSTANCE",
                "--since", "2h", "--timeout", "60s");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("20 operations: 20 succeeded");
        assertThat(running).allSatisfy(id -> assertThat(run.out()).contains(id + "  REGISTER_INSTANCE  SUCCESS"));
    }

    @Test
    void aBadLineOnStandardInputIsNamedAndNothingIsWatched() throws Exception {
        emulator.counters().reset();

        Run run = jar("op-1\n\nop-3\n", "watch", "-");

        assertThat(run.exit()).isEqualTo(WatchCommand.ERROR);
        assertThat(run.err()).contains("error: invalid input: stdin line 2: blank");
        assertThat(emulator.counters().count("GetOperation")).isZero();
    }

    /** The jar with the emulator's endpoint, test credentials and {@code stdin} on its standard input. */
    private Run jar(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", cliJar().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "secret");
        builder.environment().remove("CLOUDMAP_WATCHER_REDIS_URL");
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the jar exits").isTrue();
        return new Run(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path cliJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("basedir", "."), "target"))) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith("-cli.jar")).toList();
            assertThat(jars).as("the -cli.jar built by package").hasSize(1);
            return jars.get(0);
        }
    }
}
