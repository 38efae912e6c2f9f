package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.CloudMapErrors;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.redis.RedisBudget;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * {@code watch <operation-id>}: waits for one Cloud Map operation and prints a line per status
 * change; the exit code says how it ended (0 SUCCESS, 1 FAIL, 2 timed out, 3 any other error).
 * With {@code --json}, stdout carries one JSON object per status change, and one more for a
 * timeout or an error ({@code "outcome": "TIMEOUT"} or {@code "ERROR"}, see {@link StatusLines}),
 * so a script reading stdout always learns how the watch ended; the messages stay on stderr.
 *
 * <p>The client uses the default AWS credential chain, the region from {@code --region} or the
 * default region provider chain, and no SDK retries: the watcher retries throttled and
 * transient polls itself, within the {@code --timeout} (default 5 minutes).
 *
 * <pre>{@code
 * cloudmap-watcher watch --region eu-west-1 --timeout 10m 5kzk2mbxxmptl6qt-example
 * }</pre>
 *
 * <p>Not thread-safe: picocli fills in one instance per command line.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        exitCodeOnInvalidInput = WatchCommand.ERROR, exitCodeOnExecutionException = WatchCommand.ERROR,
        description = "Waits for a Cloud Map operation (GetOperation with backoff) and prints each status change.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:SUCCESS", "1:FAIL (ErrorCode and ErrorMessage printed)",
            "2:timed out (last status seen printed; the operation may still finish)",
            "3:any other error (bad input, credentials, access denied; message on stderr)"})
public final class WatchCommand implements Callable<Integer> {

    /** Exit code: the operation reached SUCCESS. */
    public static final int SUCCEEDED = 0;
    /** Exit code: the operation reached FAIL. */
    public static final int FAILED = 1;
    /** Exit code: the deadline passed first. */
    public static final int TIMED_OUT = 2;
    /** Exit code: anything else went wrong. */
    public static final int ERROR = 3;

    /** Bounds the blocking wait beyond the watcher's own deadline, which should always fire first. */
    private static final Duration BLOCK_MARGIN = Duration.ofSeconds(30);

    private final CliEnvironment env;
    private final UnaryOperator<String> environment;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<operation-id>", description = "The OperationId a mutating call returned.")
    private String operationId;

    @Option(names = "--owner-account", paramLabel = "ID",
            description = "12-digit account that owns the namespace, for namespaces shared with you.")
    private String ownerAccount;

    @Option(names = "--region", paramLabel = "R", description = "AWS Region (default: the SDK's region provider chain).")
    private String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint override, e.g. an emulator.")
    private URI endpoint;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up after this long: 30s, 5m, 2h or ISO-8601 (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    /** The environment variable read when {@code --budget-redis} is not given. */
    static final String REDIS_URL_ENV = "CLOUDMAP_WATCHER_REDIS_URL";

    // No picocli default ("${env:...}"): the URI may hold a password, and the command reads the
    // variable itself, through a lookup a test can replace, so that no usage or trace output can
    // show its value.
    @Option(names = "--budget-redis", paramLabel = "URI",
            description = "Share one GetOperation budget with other processes through Redis (redis:// or rediss://,"
                    + " user and password allowed); default: the CLOUDMAP_WATCHER_REDIS_URL environment variable.")
    private String budgetRedis;

    @Option(names = "--json", description = "Print one JSON object per status change; on a timeout or an"
            + " error, one object with \"outcome\": \"TIMEOUT\" or \"ERROR\" (messages still go to stderr).")
    private boolean json;

    /** @throws NullPointerException if {@code env} is null */
    public WatchCommand(CliEnvironment env) {
        this(env, System::getenv);
    }

    /** As {@link #WatchCommand(CliEnvironment)}, reading environment variables from {@code environment}. */
    WatchCommand(CliEnvironment env, UnaryOperator<String> environment) {
        this.env = Objects.requireNonNull(env, "env");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Integer call() {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, got " + timeout);
        }
        ServiceDiscoveryAsyncClient client;
        try {
            client = env.clients().create(region == null ? null : Region.of(region), endpoint);
        } catch (RuntimeException e) {
            return error(e);
        }
        try {
            Integer code = exitCode(client).block(timeout.plus(BLOCK_MARGIN));
            return code == null ? ERROR : code;
        } catch (RuntimeException e) {
            return error(e);
        } finally {
            closeOnTheSide(client);
        }
    }

    /**
     * Closing the SDK client waits out its Netty event loop's quiet period (about 2 s). The
     * answer is already printed and the process is about to exit, so the close runs on a daemon
     * thread instead of holding up the exit code; in a long-lived JVM (tests) it still completes.
     */
    private static void closeOnTheSide(ServiceDiscoveryAsyncClient client) {
        Thread closer = new Thread(client::close, "cloudmap-watcher-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * Watches with {@code client} and yields the exit code, printing as it goes; never fails.
     * Separate from {@link #call()} so tests can run it in virtual time.
     */
    Mono<Integer> exitCode(ServiceDiscoveryAsyncClient client) {
        AtomicBoolean notFound = new AtomicBoolean();
        return Mono.defer(() -> {
            WatchListener listener = new WatchListener() {
                @Override
                public void onNotFound(String id) {
                    notFound.set(true);
                }
            };
            OperationWatcherBuilder builder = OperationWatcher.builder(client).timeout(timeout).listener(listener);
            RedisBudget fleet = fleetBudget(client);
            if (fleet != null) {
                builder.pollBudget(fleet);
            }
            OperationWatcher watcher = env.watcherCustomizer().apply(builder).build();
            Flux<Operation> statuses = ownerAccount == null
                    ? watcher.watch(operationId)
                    : watcher.watch(operationId, ownerAccount);
            return statuses.doOnNext(this::print).last().map(this::outcome)
                    .doFinally(signal -> {
                        if (fleet != null) {
                            fleet.close();
                        }
                    });
        }).onErrorResume(OperationTimeoutException.class, e -> Mono.just(timedOut(e, notFound.get())))
          .onErrorResume(e -> Mono.just(error(e)));
    }

    /**
     * With {@code --budget-redis} (or CLOUDMAP_WATCHER_REDIS_URL), one GetOperation budget shared
     * through Redis by every watch of the account and Region: the parallel watches of a deploy
     * script together stay under the account's quota. The key is the owner account (or
     * {@code default}) and the client's Region.
     */
    private RedisBudget fleetBudget(ServiceDiscoveryAsyncClient client) {
        String uri = budgetRedis != null ? budgetRedis : environment.apply(REDIS_URL_ENV);
        if (uri == null || uri.isBlank()) {
            return null;
        }
        String regionId = region;
        if (regionId == null) {
            try {
                regionId = client.serviceClientConfiguration().region().id();
            } catch (RuntimeException unknown) {
                regionId = "default";
            }
        }
        return RedisBudget.builder(uri).key(ownerAccount == null ? "default" : ownerAccount, regionId).build();
    }

    private void print(Operation operation) {
        var now = env.clock().instant();
        out(json ? StatusLines.json(now, operation) : StatusLines.text(now, operation));
    }

    private int outcome(Operation last) {
        if (last.status() == OperationStatus.SUCCESS) {
            return SUCCEEDED;
        }
        err("Operation " + last.id() + " failed: ErrorCode " + last.errorCode()
                + ", ErrorMessage " + last.errorMessage());
        return FAILED;
    }

    private int timedOut(OperationTimeoutException e, boolean notFound) {
        Operation last = e.lastObserved();
        String seen = last != null ? last.statusAsString()
                : notFound ? "none (Cloud Map answered OperationNotFound: check the operation ID, the region"
                        + " and --owner-account)"
                : "none (no GetOperation answered in time)";
        String message = "Timed out after " + e.timeout() + " waiting for " + operationId + "; last status seen: "
                + seen + ". Cloud Map cannot cancel operations: it may still finish; run watch again to follow it.";
        err(message);
        if (json) {
            out(StatusLines.jsonTimeout(env.clock().instant(), operationId, last, e.timeout(), message));
        }
        return TIMED_OUT;
    }

    private int error(Throwable failure) {
        Throwable cause = CloudMapErrors.unwrap(failure);
        String message = describe(cause);
        err("error: " + message);
        if (json) {
            // A jq pipeline reads stdout only: without this line it would get nothing at all.
            out(StatusLines.jsonError(env.clock().instant(), operationId, cause, message));
        }
        return ERROR;
    }

    /** A message that names the cause without a stack trace: what a person at a terminal needs. */
    static String describe(Throwable error) {
        if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return "Cloud Map answered " + aws.awsErrorDetails().errorCode() + " (HTTP " + aws.statusCode() + "): "
                    + aws.awsErrorDetails().errorMessage();
        }
        if (error instanceof IllegalArgumentException) {
            return "invalid input: " + error.getMessage();
        }
        String message = error.getMessage();
        return message == null ? error.getClass().getName() : message;
    }

    private void out(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    private void err(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(message);
        err.flush();
    }
}
