package io.github.cloudmap.watcher.emulator;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;

/**
 * An embedded AWS Cloud Map ({@code servicediscovery}) emulator: a real HTTP server on loopback
 * that speaks the AWS JSON 1.1 wire protocol, so the AWS SDKs, the AWS CLI and boto3 work against
 * it with an endpoint override.
 *
 * <p>It implements all 30 operations of Cloud Map's API: namespaces, services, instances and the
 * asynchronous operations behind them, health (custom and Route 53 health checks), tags and
 * service attributes, with Cloud Map's errors and rules (see {@code docs/emulator.md}),
 * operations that advance SUBMITTED -> PENDING -> SUCCESS with the injected clock
 * ({@link OperationTimings}), and a live fault plan ({@link #faults()}). Requests are neither
 * authenticated nor signature-checked.
 *
 * <p>Thread-safe. Defaults: host 127.0.0.1, port 0 (any free port), a random seed per emulator
 * (so IDs never repeat across restarts; read it back with {@link #seed()}),
 * {@link Clock#systemUTC()}, {@link OperationTimings#defaults()}, account 123456789012, Region
 * us-east-1, no faults (see {@link Builder#realisticLimits(boolean)}).
 *
 * <pre>{@code
 * try (CloudMapEmulator emulator = CloudMapEmulator.builder()
 *         .operationTimings(OperationTimings.instant())
 *         .start();
 *      ServiceDiscoveryAsyncClient client = emulator.clientBuilder().build()) {
 *     emulator.faults().throttleNext("GetOperation", 2);
 *     // ... use the client ...
 *     emulator.verify(RequestPattern.action("GetOperation").throttled()).times(2);
 * }
 * }</pre>
 *
 * <p>In a JUnit 5 test, {@code @CloudMapEmulatorTest} (package {@code junit}) does this for you:
 * <pre>{@code
 * @CloudMapEmulatorTest
 * class MyTest { @Test void t(ServiceDiscoveryAsyncClient client, CloudMapEmulator emulator) { ... } }
 * }</pre>
 */
public final class CloudMapEmulator implements AutoCloseable {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final EmulatorState state;
    private final FaultInjector faults;
    private final RequestCounters counters;
    private final RequestJournal journal;
    private final LoopResources loops;
    private final DisposableServer server;
    private final Sinks.Empty<Void> closing;
    private final URI endpoint;
    private final long seed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean realisticLimits;
    private final boolean serveJournal;

    private CloudMapEmulator(Builder builder) {
        // A fixed default seed would hand out the same resource and operation IDs after every
        // restart, and a client that outlives one emulator would see its old IDs reappear.
        this.seed = builder.seed != null ? builder.seed : new SecureRandom().nextLong();
        this.faults = new FaultInjector(builder.clock, seed);
        this.counters = new RequestCounters();
        this.journal = new RequestJournal(builder.clock, builder.journalCapacity);
        this.realisticLimits = builder.realisticLimits;
        this.serveJournal = builder.serveJournal;
        if (builder.realisticLimits) {
            faults.realisticLimits();
        }
        this.state = new EmulatorState(builder.clock, builder.timings, faults, builder.accountId, builder.region,
                seed);
        this.closing = Sinks.empty();
        WireHandler handler = new WireHandler(new ActionDispatcher(state), faults, counters, journal,
                builder.serveJournal, closing.asMono());
        // Own event loops, so closing the emulator frees its threads and never touches the
        // Reactor Netty resources its users share.
        this.loops = LoopResources.create("cloudmap-emulator", 1, 2, true);
        try {
            this.server = HttpServer.create()
                    .host(builder.host)
                    .port(builder.port)
                    .runOn(loops)
                    // Requests Netty cannot decode get a JSON error too, not Reactor Netty's empty 400.
                    .doOnChannelInit((observer, channel, remote) -> {
                        if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null) {
                            channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, "cloudmap.malformedRequest",
                                    new MalformedRequestAnswer());
                        }
                    })
                    .handle(handler)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block(SHUTDOWN_TIMEOUT);
            throw new IllegalStateException("Could not start the Cloud Map emulator on " + builder.host + ":"
                    + builder.port + ": " + e.getMessage(), e);
        }
        String host = builder.host.contains(":") ? "[" + builder.host + "]" : builder.host;
        this.endpoint = URI.create("http://" + host + ":" + server.port());
    }

    /** {@return a builder with the defaults listed in the class comment} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the base URI to pass as {@code endpointOverride} / {@code --endpoint-url}, e.g.
     * http://127.0.0.1:45678}
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * A client builder pointed at this emulator: its endpoint and Region, static test credentials
     * (the emulator checks no signature), the SDK's Netty HTTP client, and DiscoverInstances' host
     * prefix {@code data-} turned off (it would turn 127.0.0.1 into a host that does not resolve).
     * Add what the test needs and {@code build()}; close the client before the emulator. Note that
     * the SDK's {@code overrideConfiguration(Consumer)} replaces the override configuration as a
     * whole: to add to it, start from {@code builder.overrideConfiguration().toBuilder()}.
     *
     * @return a new client builder
     */
    public ServiceDiscoveryAsyncClientBuilder clientBuilder() {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(state.region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION,
                        true));
    }

    /** {@return the live fault plan; changes apply to the next request} */
    public FaultInjector faults() {
        return faults;
    }

    /** {@return live request counts} */
    public RequestCounters counters() {
        return counters;
    }

    /**
     * The requests received, with their answers: the last {@link RequestJournal#capacity()} of
     * them ({@link Builder#journalCapacity(int)}).
     *
     * @return the journal
     */
    public RequestJournal journal() {
        return journal;
    }

    /**
     * Assertions on the journaled requests that match {@code pattern}:
     * {@code emulator.verify(RequestPattern.getOperation("op-1")).atMost(5)}. A failure is an
     * {@link AssertionError} saying what was expected and what the journal holds.
     *
     * @param pattern which requests to check
     * @return the assertions on the matching requests
     */
    public JournalVerification verify(RequestPattern pattern) {
        return new JournalVerification(journal, pattern);
    }

    /**
     * Returns the emulator to the state it started in, for the next test: no namespaces, services
     * or operations, IDs and random faults drawn again from the seed, faults removed (the
     * builder's {@link Builder#realisticLimits(boolean)} applied again), counters zero and the
     * journal empty. Requests in flight meanwhile may see either state; hung requests stay hung.
     */
    public void reset() {
        state.reset();
        faults.reset();
        if (realisticLimits) {
            faults.realisticLimits();
        }
        counters.reset();
        journal.clear();
    }

    /**
     * {@return where a GET reads the journal as JSON, if {@link Builder#serveJournal(boolean)}
     * turned it on, else empty}
     */
    public Optional<URI> journalEndpoint() {
        return serveJournal ? Optional.of(endpoint.resolve(WireHandler.JOURNAL_PATH)) : Optional.empty();
    }

    /**
     * The seed of every random decision (IDs, the order of DiscoverInstances answers, random
     * faults): the one given to {@link Builder#seed(long)}, else the one drawn at start. An
     * emulator built with this seed and driven by the same requests repeats this run.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** {@return the account ID in ARNs and OwnerAccount} */
    public String accountId() {
        return state.accountId;
    }

    /** {@return the Region in ARNs} */
    public String region() {
        return state.region;
    }

    /**
     * The current state of one operation, as GetOperation would answer now (due progress is
     * settled first), or empty if there is no such operation.
     *
     * @param operationId the operation's ID
     * @return the operation, or empty
     */
    public Optional<Operation> operation(String operationId) {
        return state.locked(() -> Optional.ofNullable(state.operations.get(operationId)).map(this::toModel));
    }

    /** {@return every operation submitted so far, oldest first, as GetOperation would answer now} */
    public List<Operation> operations() {
        return state.locked(() -> state.operations.values().stream().map(this::toModel).toList());
    }

    /** The state behind the server, for {@link BenchmarkHook} only. */
    EmulatorState state() {
        return state;
    }

    /**
     * Completes when the server has stopped, for a command line that runs until interrupted.
     *
     * @return a Mono that completes when the server has stopped
     */
    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    /** Blocks the calling thread until {@link #close()} is called (e.g. from a shutdown hook). */
    public void awaitClose() {
        server.onDispose().block();
    }

    /** Stops the server, ends hung requests and frees its threads; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.tryEmitEmpty();
        try {
            server.disposeNow(SHUTDOWN_TIMEOUT);
        } catch (IllegalStateException e) {
            // Timed out waiting for connections: the loops below are shut down regardless.
        } finally {
            loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block(SHUTDOWN_TIMEOUT.plusSeconds(1));
        }
    }

    @Override
    public String toString() {
        return "CloudMapEmulator[" + endpoint + ", account " + state.accountId + ", " + state.region + "]";
    }

    private Operation toModel(OperationEntry op) {
        Operation.Builder builder = Operation.builder()
                .id(op.id)
                .ownerAccount(state.accountId)
                .type(op.type)
                .status(op.status)
                .errorCode(op.errorCode)
                .errorMessage(op.errorMessage)
                .createDate(op.createDate)
                .updateDate(op.updateDate);
        java.util.Map<OperationTargetType, String> targets = new java.util.EnumMap<>(OperationTargetType.class);
        op.targets.forEach((type, id) -> targets.put(OperationTargetType.fromValue(type), id));
        return builder.targets(targets).build();
    }

    /**
     * Settings of a {@link CloudMapEmulator}; {@link #start()} binds the server.
     *
     * <p>Not thread-safe; each setter validates its argument at once.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Long seed;
        private Clock clock = Clock.systemUTC();
        private OperationTimings timings = OperationTimings.defaults();
        private String accountId = "123456789012";
        private String region = "us-east-1";
        private boolean realisticLimits;
        private int journalCapacity = RequestJournal.DEFAULT_CAPACITY;
        private boolean serveJournal;

        private Builder() {
        }

        /**
         * The address to bind; default 127.0.0.1.
         *
         * @param host the address to bind
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /**
         * The port to bind; default 0, any free port (read it back from {@link #endpoint()}).
         *
         * @param port the port to bind; 0 for any free one
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Seed for every random decision (IDs, the order of DiscoverInstances answers, random
         * faults), for a run that repeats; default a random seed per emulator, so that IDs are
         * not handed out again after a restart.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The clock for timestamps, operation progress and rate limits; default {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long operations take; default {@link OperationTimings#defaults()}.
         *
         * @param timings how long operations stay SUBMITTED and PENDING
         * @return this builder
         */
        public Builder operationTimings(OperationTimings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * The 12-digit account ID; default 123456789012.
         *
         * @param accountId the 12-digit account ID
         * @return this builder
         */
        public Builder accountId(String accountId) {
            Objects.requireNonNull(accountId, "accountId");
            if (!accountId.matches("[0-9]{12}")) {
                throw new IllegalArgumentException("accountId must be 12 digits, got '" + accountId + "'");
            }
            this.accountId = accountId;
            return this;
        }

        /**
         * The Region in ARNs; default us-east-1.
         *
         * @param region the Region's name, e.g. {@code eu-west-1}
         * @return this builder
         */
        public Builder region(String region) {
            Objects.requireNonNull(region, "region");
            if (!region.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("region must look like us-east-1, got '" + region + "'");
            }
            this.region = region;
            return this;
        }

        /**
         * Starts with {@link FaultInjector#realisticLimits()} applied (off by default); a
         * {@link FaultInjector#reset()} removes them again.
         *
         * @param enabled true to start with the limits
         * @return this builder
         */
        public Builder realisticLimits(boolean enabled) {
            this.realisticLimits = enabled;
            return this;
        }

        /**
         * How many requests the {@link #journal()} keeps; older ones are dropped and counted.
         * Default {@value RequestJournal#DEFAULT_CAPACITY}; 0 keeps none.
         *
         * @param capacity the most requests kept
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder journalCapacity(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("journalCapacity must be >= 0, got " + capacity);
            }
            this.journalCapacity = capacity;
            return this;
        }

        /**
         * Answers a GET of {@code /_emulator/journal} with the journal as JSON, read-only (off by
         * default; the command line's {@code emulator} turns it on). Anyone who reaches the port
         * can read it, which on the default host 127.0.0.1 is this machine only.
         *
         * @param enabled true to serve the journal
         * @return this builder
         */
        public Builder serveJournal(boolean enabled) {
            this.serveJournal = enabled;
            return this;
        }

        /**
         * Binds the server and returns the running emulator.
         *
         * @return the running emulator
         * @throws IllegalStateException if the address cannot be bound
         */
        public CloudMapEmulator start() {
            return new CloudMapEmulator(this);
        }
    }
}
