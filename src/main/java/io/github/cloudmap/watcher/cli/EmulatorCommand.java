package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.emulator.BenchmarkHook;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code emulator}: runs the embedded Cloud Map emulator until Ctrl-C, and prints how to point
 * the AWS CLI, boto3 (or {@code watch}) at it, including how to keep them from prepending
 * DiscoverInstances' host prefix {@code data-} to the endpoint. {@code --operation-duration}
 * slows operations down so that their SUBMITTED and PENDING statuses can be watched, and
 * {@code --fail-next} makes the next operation of a type end FAIL, so every outcome of
 * {@code watch} can be tried from a shell. A GET of {@code /_emulator/journal} reads the requests
 * received as JSON (read-only; printed in the banner).
 *
 * <pre>{@code
 * cloudmap-watcher emulator --port 4566 --profile realistic-limits
 * cloudmap-watcher emulator --operation-duration 10s --fail-next REGISTER_INSTANCE=THROTTLED_REQUEST
 * }</pre>
 *
 * <p>Defaults: host 127.0.0.1, port 0 (any free port, printed), a random seed (printed), no request limits,
 * {@link OperationTimings#defaults()}, no failing operations. Not thread-safe, except
 * {@link #stop()}.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        exitCodeOnInvalidInput = WatchCommand.ERROR, exitCodeOnExecutionException = WatchCommand.ERROR,
        description = "Runs a local AWS Cloud Map emulator (AWS JSON 1.1 over HTTP) until interrupted.")
public final class EmulatorCommand implements Callable<Integer> {

    /** The profile that applies the request limits AWS's own controller assumes. */
    static final String REALISTIC_LIMITS = "realistic-limits";

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--profile", paramLabel = "P", completionCandidates = Profiles.class,
            description = "Fault profile: ${COMPLETION-CANDIDATES} (GetOperation 100/s, RegisterInstance"
                    + " 50/s, CreateHttpNamespace 0.5/s, ...). Default: none.")
    private String profile;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed for IDs, the order of discovered instances and random faults, to repeat a run"
                    + " (default: a random seed, printed, so IDs differ after a restart).")
    private Long seed;

    @Option(names = "--operation-duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long every operation takes: half SUBMITTED, then half PENDING, then SUCCESS"
                    + " (e.g. 10s, up to 1d). Default: the emulator's scaled-down real timings (0.3 s to 4 s).")
    private Duration operationDuration;

    @Option(names = "--fail-next", paramLabel = "TYPE=ERROR_CODE", converter = FailNext.Converter.class,
            description = "Repeatable. The next operation of TYPE ends FAIL with ERROR_CODE; give it n times to fail"
                    + " the next n. TYPE: CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE,"
                    + " REGISTER_INSTANCE, DEREGISTER_INSTANCE. ERROR_CODE: e.g. THROTTLED_REQUEST, ACCESS_DENIED,"
                    + " INTERNAL_FAILURE, CANNOT_CREATE_HOSTED_ZONE.")
    private List<FailNext> failNext = new ArrayList<>();

    @Option(names = "--benchmark-control", hidden = true,
            description = "For the scale benchmark only: read benchmark commands (see BenchmarkHook) on"
                    + " standard input instead of waiting for Ctrl-C; stop at end of input.")
    private boolean benchmarkControl;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        if (profile != null && !REALISTIC_LIMITS.equals(profile)) {
            throw new ParameterException(spec.commandLine(),
                    "Unknown --profile '" + profile + "': the only profile is " + REALISTIC_LIMITS);
        }
        Map<OperationType, PlannedFailures> failures = plannedFailures();
        CloudMapEmulator emulator;
        try {
            CloudMapEmulator.Builder builder = CloudMapEmulator.builder().host(host).port(port);
            if (seed != null) {
                builder.seed(seed);
            }
            emulator = builder
                    // Read-only, and on loopback unless --host says otherwise: a shell's view of what was sent.
                    .serveJournal(true)
                    .realisticLimits(REALISTIC_LIMITS.equals(profile))
                    .operationTimings(timings())
                    .start();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return WatchCommand.ERROR;
        }
        Thread hook = new Thread(() -> {
            emulator.close();
            stop.countDown();
        }, "cloudmap-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            // Planned before the banner, so no request can reach the emulator ahead of them.
            failures.values().forEach(f -> emulator.faults()
                    .failNextOperations(f.plan().type(), f.count(), f.plan().errorCode(), f.plan().errorMessage()));
            if (benchmarkControl) {
                serveBenchmark(emulator);
                return 0;
            }
            printInstructions(emulator, failures);
            // Unbounded on purpose: a server runs until Ctrl-C (the hook) or stop().
            stop.await();
        } finally {
            emulator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already running the hook: nothing to remove.
            }
        }
        return 0;
    }

    /** The benchmark's control loop: the endpoint first, then one answer per command, until end of input. */
    private void serveBenchmark(CloudMapEmulator emulator) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(BenchmarkHook.PREFIX + "{\"endpoint\":\"" + emulator.endpoint() + "\"}");
        out.flush();
        try {
            BenchmarkHook.of(emulator).serve(new BufferedReader(new InputStreamReader(System.in,
                    StandardCharsets.UTF_8)), out);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: benchmark control input failed: " + e.getMessage());
        }
    }

    /** Ends {@link #call()} as Ctrl-C would: closes the emulator. Thread-safe. */
    void stop() {
        stop.countDown();
    }

    /** The same --fail-next given n times fails the next n operations of its type. */
    private record PlannedFailures(FailNext plan, int count) { }

    /**
     * The --fail-next options by type, in the order given.
     *
     * @throws ParameterException if one type is given two different error codes: the emulator
     *         keeps one planned failure per type
     */
    private Map<OperationType, PlannedFailures> plannedFailures() {
        Map<OperationType, PlannedFailures> byType = new LinkedHashMap<>();
        for (FailNext plan : failNext) {
            PlannedFailures earlier = byType.get(plan.type());
            if (earlier != null && !earlier.plan().errorCode().equals(plan.errorCode())) {
                throw new ParameterException(spec.commandLine(), "--fail-next gives " + plan.type()
                        + " two error codes, " + earlier.plan().errorCode() + " and " + plan.errorCode()
                        + ": the next operations of one type can fail with one code only");
            }
            byType.put(plan.type(), new PlannedFailures(plan, earlier == null ? 1 : earlier.count() + 1));
        }
        return byType;
    }

    private OperationTimings timings() {
        if (operationDuration == null) {
            return OperationTimings.defaults();
        }
        Duration submitted = operationDuration.dividedBy(2);
        return OperationTimings.uniform(submitted, operationDuration.minus(submitted));
    }

    private void printInstructions(CloudMapEmulator emulator, Map<OperationType, PlannedFailures> failures) {
        URI url = emulator.endpoint();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Cloud Map emulator listening on " + url + " (account " + emulator.accountId() + ", region "
                + emulator.region() + ", seed " + emulator.seed() + ", " + (profile == null ? "no request limits" : profile) + ")");
        out.println("Operations: " + describeTimings());
        if (!failures.isEmpty()) {
            List<String> planned = new ArrayList<>();
            failures.values().forEach(f -> planned.add((f.count() == 1 ? "the next " : "the next " + f.count() + " ")
                    + f.plan().type() + " with " + f.plan().errorCode()));
            out.println("Will end FAIL: " + String.join("; ", planned));
        }
        out.println("Requests are not signature-checked: any credentials work. With the AWS CLI:");
        // AWS CLI v1 reads AWS_DEFAULT_REGION, v2 and the SDKs AWS_REGION: set both.
        out.println("  export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=" + emulator.region()
                + " AWS_DEFAULT_REGION=" + emulator.region());
        out.println("  aws servicediscovery create-http-namespace --endpoint-url " + url + " --name demo.local");
        out.println("  aws servicediscovery get-operation --endpoint-url " + url + " --operation-id <operation-id>");
        printDiscoverInstancesHint(out, url);
        out.println("Requests received (the last " + emulator.journal().capacity() + ", read-only JSON): curl "
                + emulator.journalEndpoint().orElseThrow());
        String tool = JarCommand.current();
        String watch = "watch --endpoint-url " + url + " --region " + emulator.region() + " <operation-id>";
        out.println("Or watch an operation with this tool, in a shell with the exports above:");
        out.println("  " + tool + " " + watch);
        out.println("  or, after alias cloudmap-watcher='" + tool + "' (see the README): cloudmap-watcher " + watch);
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private String describeTimings() {
        if (operationDuration != null) {
            Duration submitted = operationDuration.dividedBy(2);
            return "each takes " + seconds(operationDuration) + ": " + seconds(submitted) + " SUBMITTED, "
                    + seconds(operationDuration.minus(submitted)) + " PENDING, then SUCCESS (--operation-duration)";
        }
        // Read from the defaults themselves, so the banner cannot drift from them.
        OperationTimings defaults = OperationTimings.defaults();
        return "the emulator's default timings, SUBMITTED + PENDING: namespaces "
                + phases(defaults, OperationType.CREATE_NAMESPACE) + " (public DNS longer), services "
                + phases(defaults, OperationType.UPDATE_SERVICE) + ", instances "
                + phases(defaults, OperationType.REGISTER_INSTANCE) + "; slow them down with --operation-duration";
    }

    private static String phases(OperationTimings timings, OperationType type) {
        return seconds(timings.submitted(type)) + " + " + seconds(timings.pending(type));
    }

    /** "0.5 s", "2 s": milliseconds are precise enough for a banner. */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * DiscoverInstances has the host prefix {@code data-} in the API model, and AWS clients prepend
     * it even to an endpoint URL: {@code data-127.0.0.1} does not resolve. The emulator ignores the
     * Host header, so the request only has to reach it.
     */
    private static void printDiscoverInstancesHint(PrintWriter out, URI url) {
        out.println("DiscoverInstances: AWS clients prepend its host prefix \"data-\" even to --endpoint-url"
                + " (data-" + url.getHost() + " does not resolve); turn that off:");
        out.println("  AWS CLI v1/v2 and boto3 released since early 2025: export AWS_DISABLE_HOST_PREFIX_INJECTION=true");
        out.println("  boto3 in code: boto3.client(\"servicediscovery\", endpoint_url=\"" + url
                + "\", config=botocore.config.Config(inject_host_prefix=False))");
        out.println("  AWS SDK for Java v2: overrideConfiguration(o -> o.putAdvancedOption("
                + "SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))");
        if ("127.0.0.1".equals(url.getHost())) {
            out.println("  an older AWS CLI: add \"127.0.0.1 data-localhost\" to /etc/hosts and use --endpoint-url http://localhost:"
                    + url.getPort());
        } else {
            out.println("  an older AWS CLI: make data-<host> resolve to this address (e.g. in /etc/hosts)");
        }
    }

    /** The values {@code --profile} accepts, for help and shell completion. */
    static final class Profiles extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Profiles() {
            super(java.util.List.of(REALISTIC_LIMITS));
        }
    }
}
