package io.github.cloudmap.watcher.cli;

import static io.github.cloudmap.watcher.testing.ListOperationsScript.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;

/**
 * {@code watch} with many operations, standard input and {@code --pending}, against a scripted
 * client: input checks, exit codes (the worst outcome), progress, summary table and JSON lines.
 * Runs that need time to pass go through {@link WatchCommand#exitCode} in virtual time.
 */
class WatchManyCommandTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private String stdin = "";
    private boolean terminal;

    @TempDir
    Path dir;

    private CommandLine cli() {
        CliEnvironment env = new CliEnvironment((r, e) -> client, Clock.fixed(NOW, ZoneOffset.UTC),
                b -> b.jitter(0).pollBudget(RequestBudget.unlimited()).listBudget(RequestBudget.unlimited()), terminal);
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return new CommandLine(new WatchCommand(env, () -> in))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private int execute(String... args) {
        return cli().execute(args);
    }

    private WatchCommand parsed(String... args) {
        CommandLine cli = cli();
        cli.parseArgs(args);
        return cli.getCommand();
    }

    @Test
    void theExitCodeIsTheWorstOutcome() {
        client.script("op-ok").success();
        client.script("op-fail").fail("INTERNAL_FAILURE", "oops");
        client.script("op-denied").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "no"));

        assertThat(execute("op-ok")).isEqualTo(WatchCommand.SUCCEEDED);
        assertThat(execute("op-ok", "op-fail")).isEqualTo(WatchCommand.FAILED);
        assertThat(execute("op-ok", "op-fail", "op-denied")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Operation op-fail failed: ErrorCode INTERNAL_FAILURE",
                "error: op-denied: Cloud Map answered AccessDeniedException");
    }

    @Test
    void aTimeoutOutranksAFailAndTheTableNamesEveryOperation() {
        client.script("op-ok").submitted().success();
        client.script("op-fail").fail("INTERNAL_FAILURE", "oops");
        client.script("op-stuck").submitted().pending();
        WatchCommand watch = parsed("op-ok", "op-fail", "op-stuck", "--timeout", "30s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(30))
                .expectNext(WatchCommand.TIMED_OUT)
                .verifyComplete();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).contains("2026-01-02T03:04:05Z  op-stuck  REGISTER_INSTANCE  PENDING");
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("OPERATION")).findFirst().orElseThrow());
        assertThat(lines.subList(header, lines.size())).satisfiesExactly(
                h -> assertThat(h).contains("OUTCOME", "LAST STATUS", "DETAIL"),
                row -> assertThat(row).startsWith("op-ok ").contains("SUCCESS"),
                row -> assertThat(row).startsWith("op-fail ").contains("FAIL", "INTERNAL_FAILURE: oops"),
                row -> assertThat(row).startsWith("op-stuck ").contains("TIMED_OUT", "PENDING"),
                total -> assertThat(total).isEqualTo("3 operations: 1 succeeded, 1 failed, 1 timed out"));
        assertThat(err.toString()).contains("Timed out after PT30S waiting for op-stuck; last status seen: PENDING");
    }

    @Test
    void readsIdsFromStandardInputAndWatchesADuplicateOnce() {
        stdin = "op-1\nop-2\r\n  op-3  \nop-1\n";
        client.script("op-1").success();
        client.script("op-2").success();
        client.script("op-3").success();

        assertThat(execute("-", "op-2")).isZero();

        assertThat(err.toString()).contains("warning: stdin line 4: op-1 repeats stdin line 1; it is watched once")
                .contains("warning: argument 2: op-2 repeats stdin line 2; it is watched once");
        assertThat(client.getOperationCount("op-1")).isEqualTo(1);
        assertThat(out.toString()).contains("3 operations: 3 succeeded");
    }

    @Test
    void everyInputProblemIsNamedAndNothingIsWatched() {
        stdin = "op-1\n\n" + "x".repeat(300) + "\nop-4\n";

        assertThat(execute("-", "--from", dir.resolve("missing.txt").toString())).isEqualTo(WatchCommand.ERROR);

        assertThat(err.toString())
                .contains("error: invalid input: stdin line 2: blank (one operation ID per line)")
                .contains("error: invalid input: stdin line 3: the operation ID has 300 characters; at most 255")
                .contains("error: invalid input: " + dir.resolve("missing.txt") + ": cannot be read")
                .contains("NoSuchFileException")
                .contains("Nothing was watched");
        assertThat(client.requests()).as("nothing is sent until the whole input is good").isEmpty();
    }

    @Test
    void standardInputWithoutAnIdAndStdinTwiceAreRefused() {
        stdin = "";
        assertThat(execute("-")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("standard input held no operation ID");

        assertThat(execute("-", "-")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("argument 2: '-' (standard input) given twice");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void aTerminalShowsLiveProgressRedrawnInPlace() {
        terminal = true;
        client.script("op-1").success();
        client.script("op-2").fail("INTERNAL_FAILURE", "oops");

        assertThat(execute("op-1", "op-2")).isEqualTo(WatchCommand.FAILED);

        assertThat(out.toString()).contains("\r").contains("0 of 2 done").contains("2 of 2 done, 1 failed");
    }

    @Test
    void jsonModeKeepsStdoutToJsonLinesAndPutsTheTableOnStderr() throws Exception {
        client.script("op-1").success();
        client.script("op-2").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "no"));

        assertThat(execute("--json", "op-1", "op-2")).isEqualTo(WatchCommand.ERROR);

        ObjectMapper json = new ObjectMapper();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            json.readTree(line);
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"outcome\":\"ERROR\"", "\"operationId\":\"op-2\""));
        assertThat(err.toString()).contains("2 operations: 1 succeeded, 1 error");
    }

    @Test
    void pendingWaitsForWhatIsInFlightAndListsAgainUntilNothingIs() {
        client.listings()
                .page("t1", summary("op-a", PENDING))
                .page(null, summary("op-b", SUBMITTED))
                .page(null, summary("op-a", PENDING), summary("op-c", PENDING))  // op-c started meanwhile
                .page(null);
        client.script("op-a").pending().success();
        client.script("op-b").success();
        client.script("op-c").success();
        WatchCommand watch = parsed("--pending", "--namespace", "ns-1", "--service", "srv-1",
                "--type", "REGISTER_INSTANCE,DEREGISTER_INSTANCE", "--since", "15m");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(5))
                .expectNext(WatchCommand.SUCCEEDED)
                .verifyComplete();

        assertThat(client.getOperationCount("op-a")).as("op-a was watched in the first round only").isEqualTo(2);
        assertThat(client.getOperationCount("op-c")).isEqualTo(1);
        assertThat(out.toString()).contains("3 operations: 3 succeeded");
        Map<String, OperationFilter> filters = client.listOperationsRequests().get(0).filters().stream()
                .collect(Collectors.toMap(OperationFilter::nameAsString, f -> f));
        assertThat(filters).containsKeys("STATUS", "NAMESPACE_ID", "SERVICE_ID", "TYPE", "UPDATE_DATE");
        assertThat(filters.get("UPDATE_DATE").values().get(0))
                .isEqualTo(Long.toString(NOW.minus(Duration.ofMinutes(15)).toEpochMilli()));
        assertThat(client.listOperationsRequests()).hasSize(4);
    }

    @Test
    void pendingWithNothingInFlightExits0SayingSo() {
        client.listings().page(null);

        assertThat(execute("--pending", "--service", "srv-1")).isZero();
        assertThat(err.toString()).contains("Nothing in flight matches service srv-1.");
    }

    @Test
    void pendingExits2WhenItsTimeoutPassesFirst() {
        client.listings().page(null, summary("op-a", PENDING));
        client.script("op-a").pending();
        WatchCommand watch = parsed("--pending", "--timeout", "20s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(20))
                .expectNext(WatchCommand.TIMED_OUT)
                .verifyComplete();
        assertThat(err.toString()).contains("op-a");
    }

    @Test
    void modesAndFiltersThatDoNotGoTogetherAreRefused() {
        assertThat(execute("--pending", "op-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("either operation IDs or --pending");
        assertThat(execute("op-1", "--namespace", "ns-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("add --pending");
        assertThat(execute("--pending", "--since", "0s")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("--since must be positive");
        assertThat(execute("--pending", "--type", "NOT_A_TYPE")).isEqualTo(WatchCommand.ERROR);
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void failFastStopsTheOthers() {
        client.script("op-fail").submitted().fail("INTERNAL_FAILURE", "oops");   // FAIL at 0.5 s
        client.script("op-slow").submitted();
        WatchCommand watch = parsed("--fail-fast", "op-fail", "op-slow");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(WatchCommand.FAILED)
                .verifyComplete();
        assertThat(err.toString()).contains("Stopped watching op-slow (--fail-fast); last status seen: SUBMITTED");
        assertThat(out.toString()).contains("2 operations: 0 succeeded, 1 failed, 1 stopped (--fail-fast)");
    }
}
