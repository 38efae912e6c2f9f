package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * {@code emulator} as a server and {@code watch} as its client: the emulator command prints its
 * endpoint, a namespace is created there with the SDK, and the watch command follows the
 * operation over HTTP, through the statuses and outcomes the emulator's options ask for.
 */
@Timeout(60)
class EmulatorCommandIT {

    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");

    private final StringWriter emulatorOut = new StringWriter();
    private final StringWriter watchOut = new StringWriter();
    private final StringWriter watchErr = new StringWriter();
    private EmulatorCommand command;
    private CompletableFuture<Integer> running;
    /** One client for the test: closing an SDK client takes long enough to miss a short status. */
    private ServiceDiscoveryAsyncClient client;

    @AfterEach
    void stopTheEmulator() throws Exception {
        if (client != null) {
            client.close();
        }
        if (command != null) {
            command.stop();
            assertThat(running.get(15, TimeUnit.SECONDS)).isZero();
        }
    }

    /** Runs {@code emulator <args>} in the background and returns the endpoint it prints. */
    private URI startEmulator(String... args) throws Exception {
        CommandLine cli = Main.commandLine(CliEnvironment.system()).setOut(new PrintWriter(emulatorOut, true));
        command = cli.getSubcommands().get("emulator").getCommand();
        String[] all = Stream.concat(Stream.of("emulator"), Stream.of(args)).toArray(String[]::new);
        running = CompletableFuture.supplyAsync(() -> cli.execute(all));
        URI endpoint = awaitEndpoint();
        client = Clients.emulator(endpoint);
        return endpoint;
    }

    private String createNamespace(String name) throws Exception {
        return client.createHttpNamespace(r -> r.name(name)).get(10, TimeUnit.SECONDS).operationId();
    }

    private int watch(URI endpoint, String... args) {
        // Polls every 100-300 ms, so that a status lasting a second cannot be missed.
        CliEnvironment env = new CliEnvironment((region, url) -> Clients.emulator(url), Clock.systemUTC(),
                b -> b.pollInterval(Duration.ofMillis(100), Duration.ofMillis(300)), false);
        String[] all = Stream.concat(Stream.of("watch", "--endpoint-url", endpoint.toString(), "--timeout", "30s"),
                Stream.of(args)).toArray(String[]::new);
        return Main.commandLine(env).setOut(new PrintWriter(watchOut, true)).setErr(new PrintWriter(watchErr, true))
                .execute(all);
    }

    @Test
    void printsItsEndpointAndHowToRunTheToolAndServesTheSdk() throws Exception {
        URI endpoint = startEmulator("--seed", "3");

        assertThat(emulatorOut.toString()).contains(", seed 3, ");
        assertThat(emulatorOut.toString()).contains("aws servicediscovery get-operation --endpoint-url " + endpoint)
                .contains("data-127.0.0.1 does not resolve")
                .contains("export AWS_DISABLE_HOST_PREFIX_INJECTION=true")
                .contains("config=botocore.config.Config(inject_host_prefix=False)")
                .contains("\"127.0.0.1 data-localhost\" to /etc/hosts and use --endpoint-url http://localhost:"
                        + endpoint.getPort())
                .contains("Operations: the emulator's default timings, SUBMITTED + PENDING: namespaces 0.5 s + 1 s")
                .doesNotContain("Will end FAIL");
        // Says how to run the tool, not just "watch ...": a newcomer cannot guess the jar.
        assertThat(emulatorOut.toString()).containsPattern("\\n  java -jar \\S*cloudmap-operation-watcher-\\S+-cli\\.jar"
                + " watch --endpoint-url " + Pattern.quote(endpoint.toString()) + " --region us-east-1 <operation-id>")
                .contains("alias cloudmap-watcher='java -jar ")
                .contains("cloudmap-watcher watch --endpoint-url " + endpoint);

        String operationId = createNamespace("it.local");
        int exit = watch(endpoint, "--json", operationId);

        assertThat(exit).isZero();
        assertThat(watchOut.toString().lines().reduce((a, b) -> b).orElseThrow())
                .contains("\"status\":\"SUCCESS\"", "\"NAMESPACE\":\"ns-");
    }

    @Test
    void servesTheRequestsItReceivedAsReadOnlyJson() throws Exception {
        URI endpoint = startEmulator();
        URI journal = endpoint.resolve("/_emulator/journal");
        assertThat(emulatorOut.toString()).contains("read-only JSON): curl " + journal);
        String operationId = createNamespace("journal.local");
        client.getOperation(r -> r.operationId(operationId)).get(10, TimeUnit.SECONDS);

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> got = http.send(java.net.http.HttpRequest.newBuilder(journal).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(got.body()).contains("\"action\":\"CreateHttpNamespace\"",
                "\"action\":\"GetOperation\",\"operationId\":\"" + operationId + "\"", "\"dropped\":0");
        java.net.http.HttpResponse<String> posted = http.send(java.net.http.HttpRequest.newBuilder(journal)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as("a POST is a Cloud Map call without X-Amz-Target, not a write").isEqualTo(400);
    }

    @Test
    void withoutASeedItDrawsOneAndPrintsItSoIdsDifferAfterARestart() throws Exception {
        startEmulator();
        Matcher seed = Pattern.compile(", seed (-?\\d+), ").matcher(emulatorOut.toString());
        assertThat(seed.find()).as(emulatorOut.toString()).isTrue();
        String first = createNamespace("first.local");
        command.stop();
        assertThat(running.get(15, TimeUnit.SECONDS)).isZero();
        client.close();

        emulatorOut.getBuffer().setLength(0);
        startEmulator();
        assertThat(emulatorOut.toString()).doesNotContain(", seed " + seed.group(1) + ", ");
        assertThat(createNamespace("first.local")).as("a restarted emulator hands out new operation IDs")
                .isNotEqualTo(first);
    }

    @Test
    void failNextMakesTheNextOperationOfThatTypeFailWithTheCode() throws Exception {
        URI endpoint = startEmulator("--fail-next", "CREATE_NAMESPACE=ACCESS_DENIED");
        assertThat(emulatorOut.toString()).contains("Will end FAIL: the next CREATE_NAMESPACE with ACCESS_DENIED");

        int failed = watch(endpoint, createNamespace("denied.local"));

        assertThat(failed).isEqualTo(WatchCommand.FAILED);
        assertThat(watchOut.toString()).contains("CREATE_NAMESPACE  FAIL  ACCESS_DENIED: The caller is not authorized"
                + " to perform this operation (injected by the emulator: --fail-next CREATE_NAMESPACE=ACCESS_DENIED)");
        assertThat(watchErr.toString()).contains("ErrorCode ACCESS_DENIED");

        // Only the next one: the namespace after it is created.
        assertThat(watch(endpoint, createNamespace("allowed.local"))).isZero();
    }

    @Test
    void failNextGivenTwiceFailsTheNextTwo() throws Exception {
        URI endpoint = startEmulator("--operation-duration", "0s",
                "--fail-next", "create_namespace=throttled_request", "--fail-next", "CREATE_NAMESPACE=THROTTLED_REQUEST");
        assertThat(emulatorOut.toString()).contains("the next 2 CREATE_NAMESPACE with THROTTLED_REQUEST");

        assertThat(watch(endpoint, createNamespace("a.local"))).isEqualTo(WatchCommand.FAILED);
        assertThat(watch(endpoint, createNamespace("b.local"))).isEqualTo(WatchCommand.FAILED);
        assertThat(watch(endpoint, createNamespace("c.local"))).isZero();
    }

    @Test
    void operationDurationShowsSubmittedThenPendingThenSuccess() throws Exception {
        // 2 s in each status: room enough for the watch to start and poll in both.
        URI endpoint = startEmulator("--operation-duration", "4s");
        assertThat(emulatorOut.toString())
                .contains("Operations: each takes 4 s: 2 s SUBMITTED, 2 s PENDING, then SUCCESS");

        assertThat(watch(endpoint, createNamespace("slow.local"))).isZero();

        List<String> statuses = watchOut.toString().lines()
                .map(line -> line.replaceAll(".*CREATE_NAMESPACE  (\\S+).*", "$1")).toList();
        assertThat(statuses).containsExactly("SUBMITTED", "PENDING", "SUCCESS");
    }

    @Test
    void rejectsAnUnknownProfile() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(CliEnvironment.system()).setErr(new PrintWriter(err, true))
                .execute("emulator", "--profile", "chaos");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Unknown --profile 'chaos'", "realistic-limits");
    }

    @Test
    void rejectsAFailNextTypeThatIsNoOperationTypeListingTheValidOnes() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(CliEnvironment.system()).setErr(new PrintWriter(err, true))
                .execute("emulator", "--fail-next", "CREATE_SERVICE=ACCESS_DENIED");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("'CREATE_SERVICE' in 'CREATE_SERVICE=ACCESS_DENIED' is not an operation"
                + " type: use CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE, REGISTER_INSTANCE,"
                + " DEREGISTER_INSTANCE");
    }

    @Test
    void rejectsTwoErrorCodesForOneType() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(CliEnvironment.system()).setErr(new PrintWriter(err, true))
                .execute("emulator", "--fail-next", "UPDATE_SERVICE=ACCESS_DENIED",
                        "--fail-next", "UPDATE_SERVICE=INTERNAL_FAILURE");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("--fail-next gives UPDATE_SERVICE two error codes, ACCESS_DENIED and"
                + " INTERNAL_FAILURE");
    }

    private URI awaitEndpoint() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            // The banner is printed at once after the first line: wait for its last line.
            Matcher m = ENDPOINT.matcher(emulatorOut.toString());
            if (m.find() && emulatorOut.toString().contains("Press Ctrl-C to stop.")) {
                return URI.create(m.group(1));
            }
            if (running.isDone()) {
                throw new AssertionError("emulator command ended early with " + running.get() + ": " + emulatorOut);
            }
            Thread.sleep(20); // an end-to-end test polling a real server's output; bounded above
        }
        throw new AssertionError("emulator printed no endpoint within 20 s: " + emulatorOut);
    }
}
