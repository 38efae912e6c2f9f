package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.BatchOptions;
import io.github.cloudmap.watcher.BatchUpdate;
import io.github.cloudmap.watcher.CloudMapErrors;
import io.github.cloudmap.watcher.InFlightQuery;
import io.github.cloudmap.watcher.OperationOutcome;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.redis.RedisBudget;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code watch}: waits for Cloud Map operations and prints a line per status change; the exit
 * code is the worst outcome (0 all SUCCESS, 1 any FAIL, 2 any timed out, 3 any other error).
 *
 * <ul>
 *   <li>{@code watch ID...}: any number of operation IDs; {@code -} reads more from standard
 *       input and {@code --from FILE} from a file, one per line. The whole input is read and
 *       checked before anything is watched ({@link OperationIdInput}): a blank line, an ID over
 *       255 characters or an unreadable file exits 3 naming the line; a repeated ID is a warning
 *       and is watched once.</li>
 *   <li>{@code watch --pending [--namespace ID] [--service ID] [--type TYPE] [--since DURATION]}:
 *       finds the account's SUBMITTED and PENDING operations with ListOperations, waits for them,
 *       and looks again until nothing matching is in flight: what a deploy script runs after its
 *       writes. {@code --timeout} bounds the whole wait.</li>
 * </ul>
 *
 * <p>All operations are watched at once through one watcher: one GetOperation budget serves
 * them all. With {@code --json}, stdout carries one JSON object per status change, and one more
 * per operation that ends in a timeout or an error ({@code "outcome": "TIMEOUT"} or
 * {@code "ERROR"}, see {@link StatusLines}); messages and the summary go to stderr. With more
 * than one operation, a terminal shows a live progress line ("17 of 30 done, 1 failed"), and a
 * summary table ends the output.
 *
 * <p>The client uses the default AWS credential chain, the region from {@code --region} or the
 * default region provider chain, and no SDK retries: the watcher retries throttled and
 * transient polls itself, within the {@code --timeout} (default 5 minutes).
 *
 * <pre>{@code
 * cloudmap-watcher watch --region eu-west-1 --timeout 10m 5kzk2mbxxmptl6qt-example
 * deploy.sh | cloudmap-watcher watch -
 * cloudmap-watcher watch --pending --service srv-abc123 --since 15m
 * }</pre>
 *
 * <p>Not thread-safe: picocli fills in one instance per command line.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        exitCodeOnInvalidInput = WatchCommand.ERROR, exitCodeOnExecutionException = WatchCommand.ERROR,
        description = {"Waits for Cloud Map operations (GetOperation with backoff) and prints each status change.",
            "Give operation IDs, '-' to read them from standard input (one per line), or --pending to wait until"
                    + " nothing matching is in flight."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every operation reached SUCCESS, or nothing was in flight (the code is the worst outcome of all)",
            "1:an operation reached FAIL (ErrorCode and ErrorMessage printed)",
            "2:an operation timed out (last status seen printed; it may still finish)",
            "3:any other error (bad input, credentials, access denied; message on stderr)"})
public final class WatchCommand implements Callable<Integer> {

    /** Exit code: every operation reached SUCCESS. */
    public static final int SUCCEEDED = 0;
    /** Exit code: an operation reached FAIL. */
    public static final int FAILED = 1;
    /** Exit code: a deadline passed first. */
    public static final int TIMED_OUT = 2;
    /** Exit code: anything else went wrong. */
    public static final int ERROR = 3;

    /** Bounds the blocking wait beyond the watcher's own deadline, which should always fire first. */
    private static final Duration BLOCK_MARGIN = Duration.ofSeconds(30);

    private final CliEnvironment env;
    private final UnaryOperator<String> environment;
    private final Supplier<InputStream> stdin;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "<operation-id>",
            description = "OperationIds mutating calls returned; '-' reads more from standard input, one per line.")
    private List<String> operationIds = new ArrayList<>();

    @Option(names = "--from", paramLabel = "FILE", description = "Read more operation IDs from FILE, one per line.")
    private List<Path> files = new ArrayList<>();

    @Option(names = "--pending", description = "Wait until no operation matching the filters below is SUBMITTED or"
            + " PENDING (found with ListOperations, which pages through the account's whole operation history).")
    private boolean pending;

    @Option(names = "--namespace", paramLabel = "ID", description = "With --pending: only operations of this namespace.")
    private String namespaceId;

    @Option(names = "--service", paramLabel = "ID", description = "With --pending: only operations of this service.")
    private String serviceId;

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
            description = "With --pending: only these operation types, comma-separated: REGISTER_INSTANCE,"
                    + " DEREGISTER_INSTANCE, CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE.")
    private List<OperationType> types = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --pending: only operations updated within this long (30s, 15m, 2h).")
    private Duration since;

    @Option(names = "--fail-fast", description = "Stop watching at the first operation that does not succeed.")
    private boolean failFast;

    @Option(names = "--owner-account", paramLabel = "ID",
            description = "12-digit account that owns the namespace, for namespaces shared with you.")
    private String ownerAccount;

    @Option(names = "--region", paramLabel = "R", description = "AWS Region (default: the SDK's region provider chain).")
    private String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Endpoint override, e.g. an emulator.")
    private URI endpoint;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Give up on each operation (with --pending: on the whole wait) after this long:"
                    + " 30s, 5m, 2h or ISO-8601 (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Start the GetOperation budget at this many requests per second (1 to 1000; default 20)."
                    + " It still adapts: halves on a throttle, climbs while calls succeed.")
    private Double rate;

    @Option(names = "--json", description = "Print one JSON object per status change; per operation that times out"
            + " or fails with an error, one object with \"outcome\": \"TIMEOUT\" or \"ERROR\" (messages and the"
            + " summary go to stderr).")
    private boolean json;

    /** IDs read and checked, or null until then. */
    private List<String> checkedIds;

    /** @throws NullPointerException if {@code env} is null */
    public WatchCommand(CliEnvironment env) {
        this(env, System::getenv, () -> System.in);
    }

    /** As {@link #WatchCommand(CliEnvironment)}, reading environment variables from {@code environment}. */
    WatchCommand(CliEnvironment env, UnaryOperator<String> environment) {
        this(env, environment, () -> System.in);
    }

    /**
     * @param stdin where {@code -} reads operation IDs from (opened only then)
     * @throws NullPointerException if an argument is null
     */
    WatchCommand(CliEnvironment env, Supplier<InputStream> stdin) {
        this(env, System::getenv, stdin);
    }

    private WatchCommand(CliEnvironment env, UnaryOperator<String> environment, Supplier<InputStream> stdin) {
        this.env = Objects.requireNonNull(env, "env");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be positive, got " + timeout);
        }
        checkModes();
        if (!pending && !readInput()) {
            return ERROR;
        }
        ServiceDiscoveryAsyncClient client;
        try {
            client = env.clients().create(region == null ? null : Region.of(region), endpoint);
        } catch (RuntimeException e) {
            return error(e);
        }
        try {
            Duration bound = (pending ? timeout.multipliedBy(2) : timeout).plus(BLOCK_MARGIN);
            Integer code = exitCode(client).block(bound);
            return code == null ? ERROR : code;
        } catch (RuntimeException e) {
            return error(e);
        } finally {
            closeOnTheSide(client);
        }
    }

    /** Operation IDs or --pending, not both; the filters only with --pending. */
    private void checkModes() {
        boolean ids = !operationIds.isEmpty() || !files.isEmpty();
        if (pending && ids) {
            throw new ParameterException(spec.commandLine(),
                    "--pending finds the operations itself: give either operation IDs or --pending, not both");
        }
        if (!pending && !ids) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<operation-id>'"
                    + " (give operation IDs, '-' to read them from standard input, or --pending)");
        }
        if (!pending && (namespaceId != null || serviceId != null || !types.isEmpty() || since != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--namespace, --service, --type and --since filter --pending; add --pending or drop them");
        }
        if (rate != null && !(rate >= 1 && rate <= 1000)) {
            throw new ParameterException(spec.commandLine(), "--rate must be between 1 and 1000, got " + rate);
        }
        if (since != null && (since.isZero() || since.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--since must be positive, got " + since);
        }
    }

    /** Reads and checks every ID; prints warnings and errors; false if there was an error. */
    private boolean readInput() {
        OperationIdInput.Checked input = OperationIdInput.read(operationIds, files, stdin);
        input.warnings().forEach(warning -> err("warning: " + warning));
        if (!input.errors().isEmpty()) {
            int shown = Math.min(20, input.errors().size());
            input.errors().subList(0, shown).forEach(problem -> err("error: invalid input: " + problem));
            if (input.errors().size() > shown) {
                err("error: invalid input: ... and " + (input.errors().size() - shown) + " more problems");
            }
            err("Nothing was watched: fix the input and run watch again.");
            if (json) {
                out(StatusLines.jsonError(env.clock().instant(), null, new IllegalArgumentException(input.errors().get(0)),
                        "invalid input: " + input.errors().size() + " problem(s), the first: " + input.errors().get(0)));
            }
            return false;
        }
        checkedIds = input.ids();
        return true;
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
        Set<String> notFound = ConcurrentHashMap.newKeySet();
        BatchTally tally = new BatchTally();
        return Mono.defer(() -> {
            if (!pending && checkedIds == null && !readInput()) {
                return Mono.just(ERROR);
            }
            WatchListener listener = new WatchListener() {
                @Override
                public void onNotFound(String id) {
                    notFound.add(id);
                }
            };
            OperationWatcherBuilder builder = OperationWatcher.builder(client).timeout(timeout).listener(listener);
            RedisBudget fleet = fleetBudget(client);
            if (fleet != null) {
                builder.pollBudget(fleet);
            } else if (rate != null) {
                builder.pollBudget(RequestBudget.adaptive(AdaptiveBudgetConfig.defaults().toBuilder().initialRate(rate)
                        .maxRate(Math.max(rate, AdaptiveBudgetConfig.DEFAULT_MAX_RATE)).build()));
            }
            OperationWatcher watcher = env.watcherCustomizer().apply(builder).build();
            BatchOptions options = BatchOptions.defaults().failFast(failFast);
            if (ownerAccount != null) {
                options = options.ownerAccount(ownerAccount);
            }
            boolean many = pending || checkedIds.size() > 1;
            ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(), env.terminal() && many && !json,
                    System::nanoTime);
            Mono<Void> work = pending
                    ? pendingRounds(watcher, query(), options, tally, printer, notFound,
                            WatchEngineClock.now() + timeout.toNanos(), true)
                    : watchBatch(watcher, checkedIds, options, tally, printer, notFound);
            return work.then(Mono.fromSupplier(() -> {
                printer.endProgress();
                if (many && tally.expected() > 0) {
                    tally.table().forEach(line -> {
                        if (json) {
                            err(line);
                        } else {
                            printer.plain(line);
                        }
                    });
                }
                return tally.exitCode();
            })).doFinally(signal -> {
                if (fleet != null) {
                    fleet.close();
                }
            });
        }).onErrorResume(e -> Mono.just(error(e)));
    }

    private InFlightQuery query() {
        InFlightQuery query = InFlightQuery.all();
        if (namespaceId != null) {
            query = query.namespace(namespaceId);
        }
        if (serviceId != null) {
            query = query.service(serviceId);
        }
        if (!types.isEmpty()) {
            query = query.types(types.toArray(OperationType[]::new));
        }
        if (since != null) {
            query = query.updatedSince(env.clock().instant().minus(since));
        }
        return query;
    }

    /**
     * {@code --pending}: lists what is in flight, waits for it, and lists again (new operations
     * may have started meanwhile) until a listing finds nothing not already waited for.
     */
    private Mono<Void> pendingRounds(OperationWatcher watcher, InFlightQuery query, BatchOptions options,
                                     BatchTally tally, ProgressPrinter printer, Set<String> notFound,
                                     long deadlineNanos, boolean first) {
        return Mono.defer(() -> {
            if (WatchEngineClock.now() >= deadlineNanos) {
                throw new PendingTimeout();
            }
            return watcher.inFlight(query).map(OperationSummary::id).filter(id -> !tally.has(id)).collectList()
                    .flatMap(ids -> {
                        if (ids.isEmpty()) {
                            if (first) {
                                err("Nothing in flight matches " + describe(query) + ".");
                            }
                            return Mono.empty();
                        }
                        long left = deadlineNanos - WatchEngineClock.now();
                        if (left < OperationWatcherBuilder.MIN_POLL_INTERVAL.toNanos()) {
                            throw new PendingTimeout();
                        }
                        return watchBatch(watcher, ids, options.overallTimeout(Duration.ofNanos(left)), tally,
                                printer, notFound)
                                .then(pendingRounds(watcher, query, options, tally, printer, notFound, deadlineNanos,
                                        false));
                    });
        }).onErrorResume(PendingTimeout.class, e -> {
            err("Timed out after " + timeout + " before nothing matching " + describe(query)
                    + " was in flight; run watch --pending again to go on waiting.");
            tally.deadlinePassed();
            return Mono.empty();
        });
    }

    private static String describe(InFlightQuery query) {
        List<String> parts = new ArrayList<>();
        query.namespaceId().ifPresent(id -> parts.add("namespace " + id));
        query.serviceId().ifPresent(id -> parts.add("service " + id));
        if (!query.types().isEmpty()) {
            parts.add("types " + query.types());
        }
        query.updatedSince().ifPresent(instant -> parts.add("updated since " + instant));
        return parts.isEmpty() ? "in the account" : String.join(", ", parts);
    }

    private Mono<Void> watchBatch(OperationWatcher watcher, List<String> ids, BatchOptions options, BatchTally tally,
                                  ProgressPrinter printer, Set<String> notFound) {
        tally.expect(ids);
        printer.progress(tally.progress(), false);
        return watcher.watchAll(ids, options).doOnNext(update -> {
            if (update.status() != null) {
                print(printer, update.status());
            }
            if (update.isFinal()) {
                ended(update, printer, notFound);
                tally.add(update.outcome());
                printer.progress(tally.progress(), false);
            }
        }).then();
    }

    /** The end of one operation: a message on stderr for anything but SUCCESS, and a JSON outcome line. */
    private void ended(BatchUpdate update, ProgressPrinter printer, Set<String> notFound) {
        OperationOutcome outcome = update.outcome();
        String id = outcome.operationId();
        switch (outcome.kind()) {
            case SUCCESS -> { }
            case FAIL -> err("Operation " + id + " failed: ErrorCode " + outcome.errorCode()
                    + ", ErrorMessage " + outcome.errorMessage());
            case TIMED_OUT -> {
                OperationTimeoutException e = (OperationTimeoutException) outcome.error();
                Operation last = e.lastObserved();
                String seen = last != null ? last.statusAsString()
                        : notFound.contains(id) ? "none (Cloud Map answered OperationNotFound: check the operation ID,"
                                + " the region and --owner-account)"
                        : "none (no GetOperation answered in time)";
                String message = "Timed out after " + e.timeout() + " waiting for " + id + "; last status seen: "
                        + seen + ". Cloud Map cannot cancel operations: it may still finish; run watch again to follow it.";
                err(message);
                if (json) {
                    printer.plain(StatusLines.jsonTimeout(env.clock().instant(), id, last, e.timeout(), message));
                }
            }
            case ERROR -> {
                Throwable cause = CloudMapErrors.unwrap(outcome.error());
                String message = describe(cause);
                err("error: " + (checkedIds != null && checkedIds.size() == 1 ? "" : id + ": ") + message);
                if (json) {
                    printer.plain(StatusLines.jsonError(env.clock().instant(), id, cause, message));
                }
            }
            case STOPPED -> err("Stopped watching " + id + " (--fail-fast); last status seen: "
                    + (outcome.lastStatus() == null ? "none" : outcome.operation().statusAsString()));
        }
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

    private void print(ProgressPrinter printer, Operation operation) {
        var now = env.clock().instant();
        printer.plain(json ? StatusLines.json(now, operation) : StatusLines.text(now, operation));
    }

    private int error(Throwable failure) {
        Throwable cause = CloudMapErrors.unwrap(failure);
        String message = describe(cause);
        err("error: " + message);
        if (json) {
            // A jq pipeline reads stdout only: without this line it would get nothing at all.
            String id = checkedIds != null && checkedIds.size() == 1 ? checkedIds.get(0) : null;
            out(StatusLines.jsonError(env.clock().instant(), id, cause, message));
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

    /** The --pending deadline passed; caught in {@link #pendingRounds}. */
    private static final class PendingTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PendingTimeout() {
            super(null, null, false, false);
        }
    }

    /** The monotonic clock of the watcher's default scheduler (virtual in tests). */
    private static final class WatchEngineClock {
        private WatchEngineClock() {
        }

        static long now() {
            return io.github.cloudmap.watcher.internal.WatchEngine.nanoTime(Schedulers.parallel());
        }
    }
}
