package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo end to end: the embedded emulator, a real SDK client over HTTP, the command as a user
 * runs it. Pins that it succeeds, resubmits the one injected THROTTLED_REQUEST failure, and ends
 * with the summary, well within its time budget.
 */
class DemoIT {

    @Test
    @Timeout(60)
    void registersEveryInstanceResubmitsTheInjectedFailureAndPrintsTheSummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(Clients::aws, Clock.systemUTC(), UnaryOperator.identity(), false);
        long start = System.nanoTime();

        int exit = Main.commandLine(env).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("demo", "--instances", "12", "--seed", "7");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(out);
        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(out.toString())
                .contains("namespace ID from Targets[\"NAMESPACE\"]: ns-")
                .contains("FAIL THROTTLED_REQUEST")
                .contains("registered 12/12, 1 resubmitted")
                .contains("Summary")
                .containsPattern("instances registered +12/12\\R")
                .containsPattern("operations +14 \\(1 namespace, 13 RegisterInstance requests for 12 instances\\)")
                .containsPattern("resubmissions +1 ")
                .containsPattern("throttled polls absorbed +\\d+")
                .containsPattern("wall time +\\d+\\.\\d s");
    }

    @Test
    void rejectsAnInstanceCountOutOfRange() {
        StringWriter err = new StringWriter();
        CliEnvironment env = new CliEnvironment(Clients::aws, Clock.systemUTC(), UnaryOperator.identity(), false);

        int exit = Main.commandLine(env).setErr(new PrintWriter(err, true)).execute("demo", "--instances", "0");

        assertThat(exit).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("--instances must be within 1..500, got 0");
    }
}
