package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code emulator}: runs the embedded Cloud Map emulator until Ctrl-C, and prints how to point
 * the AWS CLI, boto3 (or {@code watch}) at it, including how to keep them from prepending
 * DiscoverInstances' host prefix {@code data-} to the endpoint.
 *
 * <pre>{@code
 * cloudmap-watcher emulator --port 4566 --profile realistic-limits
 * }</pre>
 *
 * <p>Defaults: host 127.0.0.1, port 0 (any free port, printed), seed 0, no request limits.
 * Not thread-safe, except {@link #stop()}.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
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

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed for IDs and random faults (default: ${DEFAULT-VALUE}).")
    private long seed;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        if (profile != null && !REALISTIC_LIMITS.equals(profile)) {
            throw new ParameterException(spec.commandLine(),
                    "Unknown --profile '" + profile + "': the only profile is " + REALISTIC_LIMITS);
        }
        CloudMapEmulator emulator;
        try {
            emulator = CloudMapEmulator.builder().host(host).port(port).seed(seed)
                    .realisticLimits(REALISTIC_LIMITS.equals(profile))
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
            printInstructions(emulator);
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

    /** Ends {@link #call()} as Ctrl-C would: closes the emulator. Thread-safe. */
    void stop() {
        stop.countDown();
    }

    private void printInstructions(CloudMapEmulator emulator) {
        URI url = emulator.endpoint();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Cloud Map emulator listening on " + url + " (account " + emulator.accountId() + ", region "
                + emulator.region() + ", seed " + seed + ", " + (profile == null ? "no request limits" : profile) + ")");
        out.println("Requests are not signature-checked: any credentials work. With the AWS CLI:");
        // AWS CLI v1 reads AWS_DEFAULT_REGION, v2 and the SDKs AWS_REGION: set both.
        out.println("  export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=" + emulator.region()
                + " AWS_DEFAULT_REGION=" + emulator.region());
        out.println("  aws servicediscovery create-http-namespace --endpoint-url " + url + " --name demo.local");
        out.println("  aws servicediscovery get-operation --endpoint-url " + url + " --operation-id <operation-id>");
        printDiscoverInstancesHint(out, url);
        out.println("Or watch an operation with this tool:");
        out.println("  watch --endpoint-url " + url + " --region " + emulator.region() + " <operation-id>");
        out.println("Press Ctrl-C to stop.");
        out.flush();
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
