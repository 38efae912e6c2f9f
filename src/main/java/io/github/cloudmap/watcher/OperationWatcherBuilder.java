package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.internal.Arguments;
import io.github.cloudmap.watcher.internal.WatchEngine;
import io.github.cloudmap.watcher.internal.WatchObserver;
import io.github.cloudmap.watcher.observation.ObservationWatchObserver;
import io.github.cloudmap.watcher.observation.PollObservationConvention;
import io.github.cloudmap.watcher.observation.SubmissionObservationConvention;
import io.github.cloudmap.watcher.observation.WatchObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.github.cloudmap.watcher.internal.WatchSettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * Builds an {@link OperationWatcher}. Every setter validates its argument at once and throws
 * with a message that says what was wrong; {@link #build()} can be called repeatedly.
 *
 * <p>{@link #build()} also refuses settings that cannot take effect together, naming both
 * values: a {@linkplain #pollInterval max poll interval} or a {@linkplain #notFoundGrace
 * not-found grace window} longer than the {@linkplain #timeout timeout} (a watch would end at its
 * deadline first). A default adapts instead: with a timeout shorter than the default poll cap or
 * grace window and no value of your own, the cap (and the initial interval) or the window is the
 * timeout.
 *
 * <p>Not thread-safe: configure it on one thread, then share the built watcher.
 *
 * <pre>{@code
 * OperationWatcher watcher = OperationWatcher.builder(client)
 *     .pollInterval(Duration.ofMillis(200), Duration.ofSeconds(5))
 *     .timeout(Duration.ofMinutes(10))
 *     .build();
 * }</pre>
 */
public final class OperationWatcherBuilder {

    /** Default delay after the first poll. */
    public static final Duration DEFAULT_INITIAL_POLL_INTERVAL = Duration.ofMillis(500);
    /** Default cap on the delay between polls. */
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(10);
    /** Default growth of the delay per poll. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    /** Default extra growth of the delay after a throttled poll. */
    public static final double DEFAULT_THROTTLE_BACKOFF_MULTIPLIER = 2.0;
    /** Default share of each delay taken off at random. */
    public static final double DEFAULT_JITTER = 0.2;
    /**
     * Default deadline per watch: public DNS namespaces have taken about 2 minutes, so this
     * leaves room; Terraform waits the same.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** Default OperationNotFound grace window. */
    public static final Duration DEFAULT_NOT_FOUND_GRACE = Duration.ofSeconds(20);
    /**
     * The shortest poll interval and timeout accepted: a shorter delay between polls only spends
     * the account's GetOperation quota (about 100 calls/s, shared by every caller).
     */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);

    /** The name of the {@link Retry} built from {@link #transientRetry(RetryConfig)}. */
    public static final String TRANSIENT_RETRY_NAME = "cloudmap-getoperation";
    /** The name of the {@link Retry} built from {@link #resubmission(RetryConfig)}. */
    public static final String RESUBMISSION_NAME = "cloudmap-resubmission";

    /**
     * The longest timeout, poll interval or grace window accepted: far beyond any Cloud Map
     * operation, and far from the overflow of nanosecond arithmetic.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(1);
    /**
     * Shortest interval between the ListOperations sweeps of {@link #coalescedPolling(Duration)}:
     * every sweep pages through the account's recent operation history at ListOperations' own,
     * unpublished quota.
     */
    public static final Duration MIN_SWEEP_INTERVAL = Duration.ofMillis(500);

    private final ServiceDiscoveryAsyncClient client;
    /** Null until set: the defaults then adapt to a short timeout (see the class documentation). */
    private Duration initialInterval;
    private Duration maxInterval;
    private double multiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private double throttleMultiplier = DEFAULT_THROTTLE_BACKOFF_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Supplier<? extends RandomGenerator> random = ThreadLocalRandom::current;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Supplier<? extends Scheduler> scheduler = Schedulers::parallel;
    private Duration overallTimeout;
    /** Null until set, as the poll interval. */
    private Duration notFoundGrace;
    private Retry transientRetry = Retry.of(TRANSIENT_RETRY_NAME, defaultTransientRetry());
    private Retry resubmission = Retry.of(RESUBMISSION_NAME, defaultResubmission());
    private RequestBudget pollBudget;
    private RequestBudget submissionBudget;
    private RequestBudget listBudget;
    private WatchListener listener = WatchListener.NONE;
    private Supplier<? extends Scheduler> deliveryScheduler;
    private Duration sweepInterval;
    /*
     * Micrometer types, optional: a field's type is not loaded with the class, and each is only
     * ever read into a value of its own type, so the verifier loads none of them either; only
     * ObservationWatchObserver, called when a registry was set, loads Micrometer.
     */
    private ObservationRegistry observationRegistry;
    private WatchObservationConvention watchConvention;
    private PollObservationConvention pollConvention;
    private SubmissionObservationConvention submissionConvention;

    OperationWatcherBuilder(ServiceDiscoveryAsyncClient client) {
        this.client = Objects.requireNonNull(client, "client must not be null");
    }

    /**
     * The default policy for a GetOperation call that fails with HTTP 5xx or an I/O error:
     * 3 attempts, 200 ms then 400 ms apart.
     *
     * @return a new config with these settings
     */
    public static RetryConfig defaultTransientRetry() {
        return RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0))
                .build();
    }

    /**
     * The default resubmission policy: 3 submissions in all, 1 s then 2 s apart.
     *
     * @return a new config with these settings
     */
    public static RetryConfig defaultResubmission() {
        return RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0))
                .build();
    }

    /**
     * The delay after the first poll, and the cap that the growing delay never passes.
     *
     * Defaults {@link #DEFAULT_INITIAL_POLL_INTERVAL} and {@link #DEFAULT_MAX_POLL_INTERVAL}
     * (both at most the timeout). {@link #build()} refuses a {@code max} longer than the timeout.
     *
     * @param initial the delay after the first poll
     * @param max the longest delay between two polls
     * @return this builder
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if either is shorter than {@link #MIN_POLL_INTERVAL},
     *         {@code initial > max}, or {@code max} is over {@link #MAX_DURATION}
     */
    public OperationWatcherBuilder pollInterval(Duration initial, Duration max) {
        Arguments.pollInterval(initial, max, MIN_POLL_INTERVAL, MAX_DURATION);
        this.initialInterval = initial;
        this.maxInterval = max;
        return this;
    }

    /**
     * How much the delay grows after each poll. Default 2.0; 1.0 polls at a fixed interval.
     *
     * @param multiplier the factor applied to the delay after each poll
     * @return this builder
     * @throws IllegalArgumentException unless {@code 1 <= multiplier <= 100}
     */
    public OperationWatcherBuilder backoffMultiplier(double multiplier) {
        this.multiplier = Arguments.inRange(multiplier, 1.0, 100.0, true, "backoff multiplier");
        return this;
    }

    /**
     * How much more the delay grows after a throttled poll (on top of the normal growth).
     * Default 2.0.
     *
     * @param multiplier the extra factor applied after a throttled poll
     * @return this builder
     * @throws IllegalArgumentException unless {@code 1 <= multiplier <= 100}
     */
    public OperationWatcherBuilder throttleBackoffMultiplier(double multiplier) {
        this.throttleMultiplier = Arguments.inRange(multiplier, 1.0, 100.0, true,
                "throttle backoff multiplier");
        return this;
    }

    /**
     * The share of each delay taken off at random, so watches started together drift
     * apart: a delay {@code d} becomes a value in {@code [d * (1 - jitter), d]}. Default 0.2;
     * 0 turns jitter off.
     *
     * @param jitter the share of each delay that may be taken off, from 0 to below 1
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 <= jitter < 1}
     */
    public OperationWatcherBuilder jitter(double jitter) {
        this.jitter = Arguments.inRange(jitter, 0.0, 1.0, false, "jitter");
        return this;
    }

    /**
     * The source of jitter. Default {@link ThreadLocalRandom}. A shared watcher calls it
     * from many threads: give a thread-safe generator (a seeded {@link java.util.Random}
     * is, and makes a test repeatable).
     *
     * @param random the thread-safe source of the jitter
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public OperationWatcherBuilder random(RandomGenerator random) {
        Objects.requireNonNull(random, "random must not be null");
        this.random = () -> random;
        return this;
    }

    /**
     * The deadline of each watch, counted from subscription; for {@code submitAndWatch},
     * of each attempt (submission and watch). Default 5 minutes. See
     * {@link #overallTimeout(Duration)} for a bound on a whole {@code submitAndWatch}.
     *
     * @param timeout the deadline of each watch (of each attempt, for {@code submitAndWatch})
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_POLL_INTERVAL} or over
     *         {@link #MAX_DURATION}
     */
    public OperationWatcherBuilder timeout(Duration timeout) {
        Arguments.atMost(Arguments.positive(timeout, "timeout"), MAX_DURATION, "timeout");
        if (timeout.compareTo(MIN_POLL_INTERVAL) < 0) {
            throw new IllegalArgumentException("timeout must be at least " + MIN_POLL_INTERVAL + ", but was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * A deadline for a whole {@code submitAndWatch} / {@code submitAndAwait}, across all its
     * attempts and the waits between them, counted from subscription. When it passes, the Flux
     * fails with an {@link OperationTimeoutException} whose {@link OperationTimeoutException#isOverall()
     * isOverall()} is true, carrying the last status seen and the number of submissions sent; the
     * request in flight is cancelled. Default: none, and a {@code submitAndWatch} is then bounded
     * by {@code maxAttempts x timeout} plus the resubmission waits (see
     * {@link OperationWatcher#submitAndWatch(reactor.core.publisher.Mono)}). It also bounds each
     * {@code awaitAll}/{@code watchAll} batch unless {@link BatchOptions#overallTimeout} sets
     * another. Plain watches are not affected: each has its {@link #timeout(Duration)}.
     *
     * <p>A builder setting rather than an argument of {@code submitAndWatch}: it is a policy of
     * the application like the other deadlines, and an overload per bound beside the
     * {@code ownerAccount} overloads would double them.
     *
     * <pre>{@code
     * OperationWatcher watcher = OperationWatcher.builder(client)
     *     .timeout(Duration.ofMinutes(2))          // each attempt
     *     .overallTimeout(Duration.ofMinutes(5))   // everything, resubmissions included
     *     .build();
     * }</pre>
     *
     * @param overallTimeout the deadline of a whole {@code submitAndWatch}, its resubmissions included
     * @return this builder
     * @throws NullPointerException if {@code overallTimeout} is null
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_POLL_INTERVAL} or over
     *         {@link #MAX_DURATION}
     */
    public OperationWatcherBuilder overallTimeout(Duration overallTimeout) {
        Arguments.atMost(Arguments.positive(overallTimeout, "overallTimeout"), MAX_DURATION, "overallTimeout");
        if (overallTimeout.compareTo(MIN_POLL_INTERVAL) < 0) {
            throw new IllegalArgumentException("overallTimeout must be at least " + MIN_POLL_INTERVAL
                    + ", but was " + overallTimeout);
        }
        this.overallTimeout = overallTimeout;
        return this;
    }

    /**
     * The scheduler for every delay and deadline. Default {@link Schedulers#parallel()},
     * looked up at each subscription so that {@code StepVerifier.withVirtualTime} takes
     * effect even for a watcher built before it.
     *
     * @param scheduler the scheduler of every delay and deadline
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public OperationWatcherBuilder scheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler must not be null");
        this.scheduler = () -> scheduler;
        return this;
    }

    /**
     * A scheduler looked up at each subscription, for schedulers that are replaced at run
     * time.
     *
     * @param scheduler called at each subscription for the scheduler of its delays and deadlines
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public OperationWatcherBuilder scheduler(Supplier<? extends Scheduler> scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler supplier must not be null");
        return this;
    }

    /**
     * Where each watch delivers its statuses, completion and error to its subscriber: every
     * watch takes a worker of its own from this scheduler, so a subscriber that blocks or is
     * slow delays only itself, never the shared poll loop, the SDK's response threads or the
     * other watches. Default: {@link Schedulers#boundedElastic()}, looked up at each
     * subscription (so virtual time replaces it too); when {@link #scheduler(Scheduler)} was
     * given, that scheduler. {@link Schedulers#immediate()} delivers on the poll loop's thread
     * (the SDK's or the timer's): only for subscribers that never block.
     *
     * @param scheduler where each watch takes the worker that delivers to its subscriber
     * @return this builder
     * @throws NullPointerException if {@code scheduler} is null
     */
    public OperationWatcherBuilder deliveryScheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "deliveryScheduler must not be null");
        this.deliveryScheduler = () -> scheduler;
        return this;
    }

    /**
     * How long after polling of an operation starts an OperationNotFound answer is taken to
     * mean "not readable yet" rather than "does not exist". The window belongs to the poll
     * loop, which concurrent watches of one operation share: a watch that joins a running
     * loop gets what is left of it. Default 20 s (at most the timeout); zero fails on the first.
     * {@link #build()} refuses a window longer than the timeout.
     *
     * @param grace how long OperationNotFound is tolerated after polling starts; zero for not at all
     * @return this builder
     * @throws NullPointerException if {@code grace} is null
     * @throws IllegalArgumentException if it is negative or over {@link #MAX_DURATION}
     */
    public OperationWatcherBuilder notFoundGrace(Duration grace) {
        this.notFoundGrace = Arguments.atMost(Arguments.notNegative(grace, "notFoundGrace"), MAX_DURATION,
                "notFoundGrace");
        return this;
    }

    /**
     * Attempts and backoff for one GetOperation call failing with HTTP 5xx or an I/O error.
     * Only those failures are retried; the config's own exception predicate can narrow
     * them further. Its wait durations run on the watcher's scheduler.
     * Default {@link #defaultTransientRetry()}.
     *
     * @param config the attempts and backoff of one GetOperation call
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if it has a {@code retryOnResult} predicate: the watcher
     *         retries on failures only and could not honour it
     */
    public OperationWatcherBuilder transientRetry(RetryConfig config) {
        Objects.requireNonNull(config, "transientRetry must not be null");
        return transientRetry(Retry.of(TRANSIENT_RETRY_NAME, config));
    }

    /**
     * As {@link #transientRetry(RetryConfig)}, with a {@link Retry} of your own, e.g. from a
     * {@code RetryRegistry} whose metrics and events you publish. Only its config and its
     * counters are used; its waits still run on the watcher's scheduler.
     *
     * @param retry the retry whose config and counters are used
     * @return this builder
     * @throws NullPointerException if {@code retry} is null
     * @throws IllegalArgumentException if its config has a {@code retryOnResult} predicate
     */
    public OperationWatcherBuilder transientRetry(Retry retry) {
        Objects.requireNonNull(retry, "transientRetry must not be null");
        Arguments.noResultPredicate(retry, "transientRetry");
        this.transientRetry = retry;
        return this;
    }

    /**
     * Attempts and backoff for {@code submitAndWatch}: resubmission after a FAIL with a
     * {@linkplain OperationFailedException#isRetryable() retryable} code, or after a throttled
     * submission. The config's exception predicate sees an {@link OperationFailedException}
     * or the SDK's throttling exception and can narrow what is retried; {@code maxAttempts}
     * counts submissions. Default {@link #defaultResubmission()}; {@code maxAttempts(1)}
     * never resubmits.
     *
     * @param config the attempts (submissions) and backoff of {@code submitAndWatch}
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     * @throws IllegalArgumentException if it has a {@code retryOnResult} predicate: the watcher
     *         resubmits on a retryable FAIL or a throttled submission only and could not honour it
     */
    public OperationWatcherBuilder resubmission(RetryConfig config) {
        Objects.requireNonNull(config, "resubmission must not be null");
        return resubmission(Retry.of(RESUBMISSION_NAME, config));
    }

    /**
     * As {@link #resubmission(RetryConfig)}, with a {@link Retry} of your own, e.g. from a
     * {@code RetryRegistry} whose metrics and events you publish.
     *
     * @param retry the retry whose config and counters are used
     * @return this builder
     * @throws NullPointerException if {@code retry} is null
     * @throws IllegalArgumentException if its config has a {@code retryOnResult} predicate
     */
    public OperationWatcherBuilder resubmission(Retry retry) {
        Objects.requireNonNull(retry, "resubmission must not be null");
        Arguments.noResultPredicate(retry, "resubmission");
        this.resubmission = retry;
        return this;
    }

    /**
     * The budget every GetOperation of this watcher draws on, retries included; a poll is sent
     * only once the budget grants it a permit, and waiting polls are served in the order they
     * fell due. The wait runs on the watcher's scheduler, is cancelled with the watch, and is
     * bounded by the watch's deadline.
     *
     * <p>Default: the adaptive budget of this client ({@link RequestBudget#adaptive()}), one per
     * client and shared by every watcher built on it, so two watchers of one application do not
     * each claim the account's whole quota. Pass one budget to several watchers to share it more
     * widely, or {@link RequestBudget#unlimited()} to opt out.
     *
     * <pre>{@code
     * RequestBudget polls = RequestBudget.adaptive(AdaptiveBudgetConfig.builder().maxRate(50).build());
     * OperationWatcher watcher = OperationWatcher.builder(client).pollBudget(polls).build();
     * }</pre>
     *
     * @param budget the budget GetOperation calls draw on
     * @return this builder
     * @throws NullPointerException if {@code budget} is null
     */
    public OperationWatcherBuilder pollBudget(RequestBudget budget) {
        this.pollBudget = Objects.requireNonNull(budget, "pollBudget must not be null");
        return this;
    }

    /**
     * The budget every submission of {@code submitAndWatch} draws on (resubmissions included):
     * the mutating calls have their own quota (RegisterInstance about 50/s). Default: the
     * adaptive submission budget of this client, shared by its watchers (starting at 10/s,
     * ceiling 200/s); {@link RequestBudget#unlimited()} opts out.
     *
     * @param budget the budget submissions draw on
     * @return this builder
     * @throws NullPointerException if {@code budget} is null
     */
    public OperationWatcherBuilder submissionBudget(RequestBudget budget) {
        this.submissionBudget = Objects.requireNonNull(budget, "submissionBudget must not be null");
        return this;
    }

    /**
     * The budget every ListOperations call of this watcher draws on: the pages of
     * {@link OperationWatcher#inFlight} and the sweeps of {@link #coalescedPolling}. AWS publishes
     * no quota for ListOperations. Default: the adaptive ListOperations budget of this client,
     * shared by its watchers (starting at 2/s, burst 2, ceiling 10/s);
     * {@link RequestBudget#unlimited()} opts out.
     *
     * @param budget the budget ListOperations calls draw on
     * @return this builder
     * @throws NullPointerException if {@code budget} is null
     */
    public OperationWatcherBuilder listBudget(RequestBudget budget) {
        this.listBudget = Objects.requireNonNull(budget, "listBudget must not be null");
        return this;
    }

    /**
     * Hears polls, throttles, retries and resubmissions, for metrics and logs: once per poll
     * loop, so watches that share a loop are heard once. An exception it throws is logged
     * and does not end the watch. Default {@link WatchListener#NONE}.
     *
     * @param listener hears each poll loop's events; must not block
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public OperationWatcherBuilder listener(WatchListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Records a Micrometer {@code Observation} for every watch ({@code cloudmap.watcher.watch}),
     * every GetOperation request ({@code cloudmap.watcher.poll}) and every {@code submitAndWatch}
     * ({@code cloudmap.watcher.submission}), so that with Micrometer Tracing each wait shows in the
     * caller's trace: a watch is a child of the observation current where it is subscribed (the
     * Reactor context's, else the registry's), its polls are children of the watch. Default: none,
     * and then nothing is recorded and no Micrometer class is loaded. Needs
     * {@code io.micrometer:micrometer-observation} (an optional dependency). The names, keys and
     * how a shared poll loop shows in each watch's trace: {@code docs/observability.md}.
     *
     * <pre>{@code
     * OperationWatcher watcher = OperationWatcher.builder(client)
     *     .observationRegistry(observationRegistry)
     *     .build();
     * }</pre>
     *
     * @param registry the registry the observations are recorded in
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public OperationWatcherBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry must not be null");
        return this;
    }

    /**
     * Replaces the default names and keys of the {@code cloudmap.watcher.watch} observation
     * ({@link io.github.cloudmap.watcher.observation.DefaultWatchObservationConvention}); a
     * {@code GlobalObservationConvention} registered on the registry replaces it too. Only used
     * with an {@link #observationRegistry(ObservationRegistry) observationRegistry}.
     *
     * @param convention names and keys of the watch observation
     * @return this builder
     * @throws NullPointerException if {@code convention} is null
     */
    public OperationWatcherBuilder observationConvention(WatchObservationConvention convention) {
        this.watchConvention = Objects.requireNonNull(convention, "convention must not be null");
        return this;
    }

    /**
     * Replaces the default names and keys of the {@code cloudmap.watcher.poll} observation
     * ({@link io.github.cloudmap.watcher.observation.DefaultPollObservationConvention}).
     *
     * @param convention names and keys of the poll observation
     * @return this builder
     * @throws NullPointerException if {@code convention} is null
     */
    public OperationWatcherBuilder observationConvention(PollObservationConvention convention) {
        this.pollConvention = Objects.requireNonNull(convention, "convention must not be null");
        return this;
    }

    /**
     * Replaces the default names and keys of the {@code cloudmap.watcher.submission} observation
     * ({@link io.github.cloudmap.watcher.observation.DefaultSubmissionObservationConvention}).
     *
     * @param convention names and keys of the submission observation
     * @return this builder
     * @throws NullPointerException if {@code convention} is null
     */
    public OperationWatcherBuilder observationConvention(SubmissionObservationConvention convention) {
        this.submissionConvention = Objects.requireNonNull(convention, "convention must not be null");
        return this;
    }

    /**
     * Turns on coalesced polling (off by default): while this watcher has operations to wait for,
     * one ListOperations sweep every {@code sweepInterval} looks for operations of the account
     * that changed, and a watch whose operation shows a later status polls GetOperation at once
     * instead of at the end of its backoff delay. Every status a watch emits still comes from
     * GetOperation, with the same emission rules, retries and budget; a watch still polls on its
     * usual schedule when no sweep wakes it, so a slow or throttled sweep never makes it slower.
     * ListOperations calls draw on this client's ListOperations budget (adaptive, from 2/s, at
     * most 10/s). If ListOperations is refused (AccessDenied: a policy granting GetOperation
     * only), the watcher goes back to per-operation polling quietly: an INFO log line and
     * {@link WatchListener#onCoalescingOff}, no failed watch.
     *
     * <p>When it pays: it shortens detection lag, not calls. Measured at 100 operations under a
     * 100/s GetOperation quota, p99 lag fell from about 8.5 s to 1.1 s with no other operations in
     * the account, and to 3.0 s with a finished history of 20 times the pending count; GetOperation
     * calls stay those of per-operation polling and the sweeps add ListOperations calls (each one
     * pages through the account's <i>whole</i> recent history, which the watcher cannot see). At
     * 1,000 operations, where the GetOperation quota is the bottleneck, it changed nothing. See
     * {@code docs/coalesced.md}.
     *
     * <pre>{@code
     * OperationWatcher watcher = OperationWatcher.builder(client)
     *     .coalescedPolling(Duration.ofSeconds(2))
     *     .build();
     * }</pre>
     *
     * @param sweepInterval the time between the end of one sweep and the start of the next; at
     *        least {@link #MIN_SWEEP_INTERVAL}
     * @return this builder
     * @throws NullPointerException if {@code sweepInterval} is null
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_SWEEP_INTERVAL} or longer
     *         than {@link #MAX_DURATION}
     */
    public OperationWatcherBuilder coalescedPolling(Duration sweepInterval) {
        Objects.requireNonNull(sweepInterval, "sweepInterval must not be null");
        if (sweepInterval.compareTo(MIN_SWEEP_INTERVAL) < 0 || sweepInterval.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("sweepInterval must be between " + MIN_SWEEP_INTERVAL + " and "
                    + MAX_DURATION + ", was " + sweepInterval);
        }
        this.sweepInterval = sweepInterval;
        return this;
    }

    /**
     * A watcher with these settings; the builder can go on being used.
     *
     * @return a new watcher
     * @throws IllegalArgumentException if the max poll interval or the not-found grace window
     *         you set is longer than the timeout (the message names both values)
     */
    public OperationWatcher build() {
        // Defaults adapt to a short timeout; values set by the caller are checked against it.
        Duration max = maxInterval != null ? maxInterval : min(DEFAULT_MAX_POLL_INTERVAL, timeout);
        Duration initial = initialInterval != null ? initialInterval : min(DEFAULT_INITIAL_POLL_INTERVAL, max);
        Duration grace = notFoundGrace != null ? notFoundGrace : min(DEFAULT_NOT_FOUND_GRACE, timeout);
        WatchObserver observer = observationRegistry == null ? WatchObserver.NONE
                : ObservationWatchObserver.create(observationRegistry, watchConvention, pollConvention,
                        submissionConvention);
        return new OperationWatcher(new WatchSettings(client, initial, max, multiplier,
                throttleMultiplier, jitter, random, timeout, overallTimeout, scheduler, grace, transientRetry,
                resubmission,
                pollBudget != null ? pollBudget : WatchEngine.defaultPollBudget(client),
                submissionBudget != null ? submissionBudget : WatchEngine.defaultSubmissionBudget(client),
                listener, deliveryScheduler,
                sweepInterval,
                listBudget != null ? listBudget : sweepInterval != null ? WatchEngine.defaultListBudget(client) : null), observer);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
