package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/** {@code watch} over HTTP against the embedded emulator: exit codes 0, 1, 2 and 3 as a user sees them. */
@Timeout(60)
class WatchCommandIT {

    private final CloudMapEmulator emulator = CloudMapEmulator.builder()
            // SUBMITTED for 2 s: a busy machine can take over 200 ms to start the command and send its first poll.
            .operationTimings(OperationTimings.defaults()
                    .with(OperationType.CREATE_NAMESPACE, Duration.ofSeconds(2), Duration.ofMillis(300)))
            .start();
    private final ServiceDiscoveryAsyncClient client = Clients.emulator(emulator.endpoint());
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void close() {
        client.close();
        emulator.close();
    }

    private CommandLine cli() {
        CliEnvironment env = new CliEnvironment((region, endpoint) -> Clients.emulator(endpoint), Clock.systemUTC(),
                b -> b.pollInterval(Duration.ofMillis(100), Duration.ofMillis(500)), false);
        return Main.commandLine(env).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private int watch(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "watch";
        all[1] = "--endpoint-url";
        all[2] = emulator.endpoint().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return cli().execute(all);
    }

    private String createNamespace(String name) throws Exception {
        return client.createHttpNamespace(r -> r.name(name)).get(10, TimeUnit.SECONDS).operationId();
    }

    @Test
    void followsAnOperationThroughItsStatusesToSuccess() throws Exception {
        String id = createNamespace("ok.local");

        assertThat(watch(id)).isZero();

        assertThat(out.toString()).contains("CREATE_NAMESPACE  SUBMITTED").contains("CREATE_NAMESPACE  SUCCESS");
    }

    @Test
    void exits1WithTheErrorCodeOfAFailedOperation() throws Exception {
        emulator.faults().failNextOperations(OperationType.CREATE_NAMESPACE, 1, "CANNOT_CREATE_HOSTED_ZONE",
                "Route 53 said no");
        String id = createNamespace("fail.local");

        assertThat(watch(id)).isEqualTo(WatchCommand.FAILED);

        assertThat(out.toString()).contains("FAIL  CANNOT_CREATE_HOSTED_ZONE: Route 53 said no");
    }

    @Test
    void exits2WhenTheDeadlinePassesWhileThrottled() throws Exception {
        String id = createNamespace("slow.local");
        emulator.faults().throttleProbability("GetOperation", 1.0);

        assertThat(watch("--timeout", "1s", id)).isEqualTo(WatchCommand.TIMED_OUT);

        assertThat(err.toString()).contains("Timed out after PT1S", "last status seen: none");
    }

    @Test
    void exits3ForAnOperationCloudMapDoesNotKnow() {
        CliEnvironment strict = new CliEnvironment((region, endpoint) -> Clients.emulator(endpoint),
                Clock.systemUTC(), b -> b.notFoundGrace(Duration.ZERO), false);
        int exit = Main.commandLine(strict).setErr(new PrintWriter(err, true))
                .execute("watch", "--endpoint-url", emulator.endpoint().toString(), "no-such-operation");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("OperationNotFound");
    }
}
