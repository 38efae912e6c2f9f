package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * {@code emulator} as a server and {@code watch} as its client: the emulator command prints its
 * endpoint, a namespace is created there with the SDK, and the watch command follows the
 * operation to SUCCESS over HTTP.
 */
class EmulatorCommandIT {

    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");

    @Test
    @Timeout(60)
    void printsItsEndpointServesTheSdkAndStopsWhenAsked() throws Exception {
        StringWriter emulatorOut = new StringWriter();
        CommandLine cli = Main.commandLine(CliEnvironment.system()).setOut(new PrintWriter(emulatorOut, true));
        EmulatorCommand command = cli.getSubcommands().get("emulator").getCommand();
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> cli.execute("emulator", "--seed", "3"));
        try {
            URI endpoint = awaitEndpoint(emulatorOut, running);
            assertThat(emulatorOut.toString()).contains("aws servicediscovery get-operation --endpoint-url " + endpoint)
                    .contains("data-127.0.0.1 does not resolve")
                    .contains("export AWS_DISABLE_HOST_PREFIX_INJECTION=true")
                    .contains("config=botocore.config.Config(inject_host_prefix=False)")
                    .contains("\"127.0.0.1 data-localhost\" to /etc/hosts and use --endpoint-url http://localhost:"
                            + endpoint.getPort());

            String operationId;
            try (ServiceDiscoveryAsyncClient client = Clients.emulator(endpoint)) {
                operationId = client.createHttpNamespace(r -> r.name("it.local"))
                        .get(10, TimeUnit.SECONDS).operationId();
            }
            StringWriter watchOut = new StringWriter();
            CliEnvironment env = new CliEnvironment((region, url) -> Clients.emulator(url), Clock.systemUTC(),
                    UnaryOperator.identity(), false);
            int exit = Main.commandLine(env).setOut(new PrintWriter(watchOut, true))
                    .execute("watch", "--endpoint-url", endpoint.toString(), "--timeout", "30s", "--json", operationId);

            assertThat(exit).isZero();
            assertThat(watchOut.toString().lines().reduce((a, b) -> b).orElseThrow())
                    .contains("\"status\":\"SUCCESS\"", "\"NAMESPACE\":\"ns-");
        } finally {
            command.stop();
        }
        assertThat(running.get(15, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void rejectsAnUnknownProfile() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(CliEnvironment.system()).setErr(new PrintWriter(err, true))
                .execute("emulator", "--profile", "chaos");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Unknown --profile 'chaos'", "realistic-limits");
    }

    private static URI awaitEndpoint(StringWriter out, CompletableFuture<Integer> running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = ENDPOINT.matcher(out.toString());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (running.isDone()) {
                throw new AssertionError("emulator command ended early with " + running.get() + ": " + out);
            }
            Thread.sleep(20); // an end-to-end test polling a real server's output; bounded above
        }
        throw new AssertionError("emulator printed no endpoint within 20 s: " + out);
    }
}
