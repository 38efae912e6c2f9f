package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.redis.HostilePasswords;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code watch --budget-redis URI} and {@code CLOUDMAP_WATCHER_REDIS_URL} never print a secret of
 * the URI: every hostile password of {@link HostilePasswords} in every way a person could write it,
 * in text and JSON mode, with the command's stdout and stderr and {@code System.out} searched. The URIs refused before any connection run here, in-process;
 * {@code HostilePasswordsIT} runs valid ones against a real {@code redis-server}, with DEBUG logs.
 */
class WatchCommandRedisSecretsTest {

    private record Run(int exitCode, String printed) {}

    @Test
    void aRefusedUriIsNeverPrintedOnTheCommandLine() {
        runAll(c -> new String[] {"watch", "op-1", "--region", "eu-west-1", "--budget-redis", c.uri()}, null);
    }

    @Test
    void aRefusedUriIsNeverPrintedFromTheEnvironmentVariable() {
        runAll(c -> new String[] {"op-1", "--region", "eu-west-1"}, WatchCommand.REDIS_URL_ENV);
    }

    @Test
    void helpDoesNotShowTheEnvironmentVariablesValue() {
        String uri = "redis://:Zx9#Qw7@cache.internal:6379";
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new WatchCommand(environment(), name -> uri)).setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--budget-redis", WatchCommand.REDIS_URL_ENV).doesNotContain("Zx9");
    }

    private void runAll(Function<HostilePasswords.Case, String[]> args, String envVar) {
        // One command line for all runs (picocli resets every option before each parse): building
        // one per run would cost a second per hundred runs.
        AtomicReference<String> envValue = new AtomicReference<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = envVar == null ? Main.commandLine(environment())
                : new CommandLine(new WatchCommand(environment(), name -> envVar.equals(name) ? envValue.get() : null));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        List<String> leaks = new ArrayList<>();
        int runs = 0;
        for (HostilePasswords.Case c : HostilePasswords.allCases()) {
            if (!refused(c.uri())) {
                continue;   // valid URIs connect: HostilePasswordsIT
            }
            for (boolean json : new boolean[] {false, true}) {
                List<String> all = new ArrayList<>(List.of(args.apply(c)));
                if (json) {
                    all.add("--json");
                }
                envValue.set(c.uri());
                out.getBuffer().setLength(0);
                err.getBuffer().setLength(0);
                Run run = run(cli, all.toArray(String[]::new));
                String printed = out + "\n" + err + "\n" + run.printed();
                runs++;
                assertThat(run.exitCode()).as("a bad URI is an error").isEqualTo(WatchCommand.ERROR);
                assertThat(printed).as("printed with args %s", all).contains("Redis URI");
                try {
                    HostilePasswords.assertNoSecret("watch with " + c + (json ? " --json" : ""), printed, c.secrets());
                } catch (AssertionError leak) {
                    leaks.add(leak.getMessage());
                }
            }
        }
        assertThat(runs).isGreaterThan(2 * HostilePasswords.PASSWORDS.size());
        assertThat(leaks).as("%d of %d runs printed a secret; first: %s", leaks.size(), runs,
                leaks.isEmpty() ? "" : leaks.get(0)).isEmpty();
    }

    private static boolean refused(String uri) {
        try {
            io.github.cloudmap.watcher.redis.RedisBudget.builder(uri);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static CliEnvironment environment() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").success();
        return new CliEnvironment((region, endpoint) -> client, Clock.systemUTC(), UnaryOperator.identity(), false);
    }

    /** Runs the command line, returning its exit code and what went to {@code System.out} meanwhile. */
    private static Run run(CommandLine cli, String[] args) {
        // System.err is not replaced: with it replaced, picocli's error stream went to the
        // surefire console instead of the writer set on the command line (seen, not explained).
        // A refused URI stops the command before any budget or logger runs; the log lines of
        // valid URIs are searched in HostilePasswordsIT, where the whole process's output is
        // captured.
        PrintStream systemOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            return new Run(cli.execute(args), printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(systemOut);
        }
    }
}
