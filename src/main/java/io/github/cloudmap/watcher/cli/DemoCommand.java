package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.CloudMapErrors;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code demo}: the watcher at work against the embedded emulator, in a few seconds. It creates
 * an HTTP namespace, a service, and registers a batch of instances concurrently, while the
 * emulator throttles GetOperation and fails one registration with THROTTLED_REQUEST; it prints
 * every status change, the batch's progress and a summary. Exit 0 when every instance
 * registered, 1 if any failed, 3 on any other error.
 *
 * <pre>{@code
 * mvn -q compile exec:java                       # runs: demo
 * java -jar target/*-cli.jar demo --instances 50 --seed 7
 * }</pre>
 *
 * <p>Not thread-safe: picocli fills in one instance per command line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        exitCodeOnInvalidInput = WatchCommand.ERROR, exitCodeOnExecutionException = WatchCommand.ERROR,
        description = "Registers a batch of instances on the embedded emulator while it throttles, and shows"
                + " how the watcher absorbs it.")
public final class DemoCommand implements Callable<Integer> {

    /**
     * GetOperation's limit in the demo: far below Cloud Map's (about 100/s), so that a few dozen
     * watches starting together get throttled a few times, which is the point of the demo.
     */
    static final double GET_OPERATION_PER_SECOND = 40;
    static final int GET_OPERATION_BURST = 20;
    /** A few HTTP 500s, so the summary shows transient retries too (the watcher retries them at once). */
    static final double GET_OPERATION_SERVER_ERRORS = 0.05;

    private final CliEnvironment env;

    @Spec
    private CommandSpec spec;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "30",
            description = "Instances to register, 1..500 (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed for the emulator's IDs and faults and the watcher's jitter (default: ${DEFAULT-VALUE}).")
    private long seed;

    /** @throws NullPointerException if {@code env} is null */
    public DemoCommand(CliEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    @Override
    public Integer call() {
        if (instances < 1 || instances > 500) {
            throw new ParameterException(spec.commandLine(), "--instances must be within 1..500, got " + instances);
        }
        PrintWriter out = spec.commandLine().getOut();
        ProgressPrinter printer = new ProgressPrinter(out, env.terminal(), System::nanoTime);
        try (CloudMapEmulator emulator = startEmulator();
             ServiceDiscoveryAsyncClient client = Clients.emulator(emulator.endpoint())) {
            printHeader(printer, emulator);
            DemoRun run = new DemoRun(client, printer, seed);
            DemoRun.Outcome outcome = run.run(instances);
            DemoSummary.print(printer, outcome, run.stats(), emulator.counters());
            return outcome.failed() == 0 ? 0 : 1;
        } catch (Exception e) {
            printer.endProgress();
            PrintWriter err = spec.commandLine().getErr();
            err.println("demo failed: " + WatchCommand.describe(CloudMapErrors.unwrap(e)));
            err.flush();
            return WatchCommand.ERROR;
        }
    }

    private CloudMapEmulator startEmulator() {
        CloudMapEmulator emulator = CloudMapEmulator.builder()
                .seed(seed)
                .operationTimings(OperationTimings.defaults())
                .start();
        emulator.faults()
                .rateLimit("GetOperation", GET_OPERATION_PER_SECOND, GET_OPERATION_BURST)
                .serverErrorProbability("GetOperation", GET_OPERATION_SERVER_ERRORS)
                .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST",
                        "The request was throttled: resubmit it");
        return emulator;
    }

    private void printHeader(ProgressPrinter printer, CloudMapEmulator emulator) {
        printer.plain("Cloud Map operation watcher demo");
        printer.plain("  emulator  " + emulator.endpoint() + " (seed " + seed + "): GetOperation limited to "
                + String.format(Locale.ROOT, "%.0f/s (burst %d) with %.0f%% HTTP 500s", GET_OPERATION_PER_SECOND,
                        GET_OPERATION_BURST, GET_OPERATION_SERVER_ERRORS * 100)
                + "; the first RegisterInstance operation will FAIL with THROTTLED_REQUEST");
        printer.plain("  client    AWS SDK for Java v2, async (Netty), SDK retries off: the watcher is the only"
                + " retry layer");
        printer.plain("  watcher   polls at once, then every " + DemoRun.INITIAL_POLL.toMillis() + " ms doubling to "
                + DemoRun.MAX_POLL.toSeconds() + " s; " + DemoRun.WATCH_TIMEOUT.toSeconds()
                + " s deadline per attempt; THROTTLED_REQUEST resubmitted");
        printer.plain("");
    }
}
