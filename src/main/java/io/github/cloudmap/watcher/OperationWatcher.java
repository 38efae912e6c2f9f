package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.internal.Arguments;
import io.github.cloudmap.watcher.internal.WatchEngine;
import io.github.cloudmap.watcher.internal.WatchObserver;
import io.github.cloudmap.watcher.internal.WatchSettings;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;

/**
 * Waits for AWS Cloud Map operations: polls {@code GetOperation} with backoff until the
 * operation reaches SUCCESS or FAIL, and emits each status change on the way.
 *
 * <pre>{@code
 * OperationWatcher watcher = OperationWatcher.create(client);
 *
 * Mono<Operation> done = watcher.submitAndAwait(
 *     Mono.fromFuture(() -> client.registerInstance(request))   // a new request per attempt
 *         .map(RegisterInstanceResponse::operationId));
 *
 * watcher.watch(operationId)
 *     .subscribe(op -> log.info("{} is {}", op.id(), op.status()));
 * }</pre>
 *
 * <p><b>Behaviour.</b>
 * <ul>
 *   <li>Cold: polling starts on subscription, the first GetOperation at once.</li>
 *   <li>One poll loop per operation: watches of the same operation through this watcher that
 *       run at the same time share one loop (a watch that joins late first receives the latest
 *       status); the loop stops with its last watch. Each watch keeps its own deadline.</li>
 *   <li>Emits the first status seen, then only changes; never a regression (a stale read of an
 *       earlier status after a later one); SUCCESS or FAIL exactly once, then completes with no
 *       further request. A FAIL is data in the Flux; {@link #awaitTerminal} turns it into an
 *       {@link OperationFailedException}.</li>
 *   <li>Between polls: capped exponential backoff with jitter, drawn afresh for every poll.</li>
 *   <li>A throttled GetOperation ({@code isThrottlingException()}: ThrottlingException,
 *       RequestLimitExceeded, HTTP 429) slows the polling down and the watch goes on; an HTTP
 *       5xx or I/O failure is retried a bounded number of times, after which the SDK's own
 *       exception surfaces; any other error (InvalidInput, access denied) fails at once.</li>
 *   <li>OperationNotFound is tolerated for a grace window after polling starts (an operation
 *       may not be readable right after it was submitted), then surfaces as the SDK's
 *       {@link OperationNotFoundException}.</li>
 *   <li>One deadline per watch fires even while a request hangs, with an
 *       {@link OperationTimeoutException} carrying the last state seen.</li>
 *   <li>Cancelling a subscription stops polling at once and cancels the request in flight.
 *       Cloud Map has no API to cancel an operation: cancelling only stops watching.</li>
 *   <li>{@code submitAndWatch}: a submission answered {@code DuplicateRequest} follows the
 *       operation it names ({@link WatchListener#onDuplicate}); a THROTTLED_REQUEST FAIL or a
 *       throttled submission is sent again; an optional
 *       {@linkplain OperationWatcherBuilder#overallTimeout overall deadline} bounds the whole.</li>
 * </ul>
 *
 * <p><b>Defaults</b> (see {@link OperationWatcherBuilder}): polls after 0, then 0.5 s doubling to a 10 s cap, with
 * 20% jitter; throttled polls double the backoff once more; 3 attempts per GetOperation for
 * 5xx and I/O errors (200 ms, then 400 ms apart); a 20 s OperationNotFound grace window; a
 * 5 minute deadline per watch; up to 3 submissions for THROTTLED_REQUEST (1 s, then 2 s apart);
 * no overall deadline for {@code submitAndWatch}; delays on {@link Schedulers#parallel()}. Poll
 * intervals and deadlines below 10 ms are refused.
 *
 * <p><b>One retry layer, one rate budget.</b> Every GetOperation the watcher sends carries
 * its own per-request configuration: the SDK does not retry it, whatever retry strategy the
 * client has, so the watcher (which knows the deadline, backs off per watch and draws every
 * retry from its rate budget) is the one layer that retries, and its User-Agent says
 * {@code cloudmap-operation-watcher/<version>}. Apply {@link #requestOverrides()} to your
 * submissions for the same. Every poll draws from the client's adaptive
 * {@linkplain RequestBudget rate budget} (see {@link OperationWatcherBuilder#pollBudget}).
 *
 * <p>Immutable and thread-safe: build one and share it across the application.
 */
public final class OperationWatcher {

    private final WatchSettings settings;
    private final WatchEngine engine;

    OperationWatcher(WatchSettings settings) {
        this(settings, WatchObserver.NONE);
    }

    OperationWatcher(WatchSettings settings, WatchObserver observer) {
        this.settings = settings;
        this.engine = new WatchEngine(settings, observer);
    }

    /**
     * A watcher with the default settings.
     *
     * @param client the Cloud Map client the watcher polls through; the watcher never closes it
     * @return a new watcher
     * @throws NullPointerException if {@code client} is null
     */
    public static OperationWatcher create(ServiceDiscoveryAsyncClient client) {
        return builder(client).build();
    }

    /**
     * A builder whose settings start at the defaults.
     *
     * @param client the Cloud Map client the watcher polls through; the watcher never closes it
     * @return a new builder
     * @throws NullPointerException if {@code client} is null
     */
    public static OperationWatcherBuilder builder(ServiceDiscoveryAsyncClient client) {
        return new OperationWatcherBuilder(client);
    }

    /**
     * Watches an operation of the caller's own account.
     *
     * @param operationId the ID a mutating call returned
     * @return a cold Flux of the operation's status changes, ending after SUCCESS or FAIL
     * @throws NullPointerException if {@code operationId} is null
     * @throws IllegalArgumentException if it is blank or longer than 255 characters
     */
    public Flux<Operation> watch(String operationId) {
        return engine.watch(Arguments.operationId(operationId, "operationId"), null);
    }

    /**
     * Watches an operation in a namespace shared with the caller by another account.
     *
     * @param operationId the ID a mutating call returned
     * @param ownerAccount the 12-digit ID of the account that owns the namespace
     * @return a cold Flux of the operation's status changes, ending after SUCCESS or FAIL
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code operationId} is blank or longer than 255
     *         characters, or {@code ownerAccount} is not 12 digits
     */
    public Flux<Operation> watch(String operationId, String ownerAccount) {
        String id = Arguments.operationId(operationId, "operationId");
        return engine.watch(id, Arguments.ownerAccount(ownerAccount));
    }

    /**
     * The terminal state of an operation: the SUCCESS {@link Operation}, or an
     * {@link OperationFailedException} for a FAIL.
     *
     * @param operationId the ID a mutating call returned
     * @return a cold Mono of the SUCCESS operation, or of an OperationFailedException for a FAIL
     * @throws NullPointerException if {@code operationId} is null
     * @throws IllegalArgumentException if it is blank or longer than 255 characters
     * @see #watch(String)
     */
    public Mono<Operation> awaitTerminal(String operationId) {
        return terminal(watch(operationId));
    }

    /**
     * The terminal state of an operation in a namespace shared by {@code ownerAccount}.
     *
     * @param operationId the ID a mutating call returned
     * @param ownerAccount the 12-digit ID of the account that owns the namespace
     * @return a cold Mono of the SUCCESS operation, or of an OperationFailedException for a FAIL
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as for {@link #watch(String, String)}
     */
    public Mono<Operation> awaitTerminal(String operationId, String ownerAccount) {
        return terminal(watch(operationId, ownerAccount));
    }

    /**
     * Sends a mutating request, watches the operation it starts, and sends it again when the
     * operation FAILs with a retryable code ({@code THROTTLED_REQUEST}) or the submission is
     * throttled, under the {@linkplain OperationWatcherBuilder#resubmission(RetryConfig) resubmission policy}.
     *
     * <p>The Flux emits every attempt's status changes in order, the retryable FAIL of an
     * attempt included, so a resubmission shows as a FAIL followed by a new OperationId's
     * statuses. It completes after the first SUCCESS, or after a FAIL that is not retried
     * (the code is not retryable, or the attempts are used up).
     *
     * <p><b>DuplicateRequest.</b> When a submission fails with {@link DuplicateRequestException}
     * carrying a {@code DuplicateOperationId} (the same work is already running: a create or a
     * registration sent twice, a retry of a request whose answer was lost), the Flux follows
     * that operation instead of failing: its statuses are emitted as this attempt's, and the
     * {@linkplain OperationWatcherBuilder#listener listener} hears
     * {@link WatchListener#onDuplicate}. Without a {@code DuplicateOperationId} the exception
     * surfaces as it is.
     *
     * <p><b>How long it can take.</b> Each attempt (submission and watch) has its own
     * {@linkplain OperationWatcherBuilder#timeout deadline}, so without an overall deadline a
     * {@code submitAndWatch} ends within
     * {@code maxAttempts x timeout + the resubmission waits}: with the defaults,
     * 3 x 5 min + 1 s + 2 s. An {@link OperationWatcherBuilder#overallTimeout(Duration)
     * overallTimeout} bounds the whole, waits included, with an {@link OperationTimeoutException}
     * whose {@code isOverall()} is true.
     *
     * @param submission sends the request and yields its OperationId; it must send a
     *        <em>new</em> request on every subscription, e.g.
     *        {@code Mono.fromFuture(() -> client.registerInstance(r)).map(RegisterInstanceResponse::operationId)}
     *        (not {@code Mono.fromFuture(future)}, which replays one response). A
     *        {@code CreatorRequestId} makes a resubmitted create or register safe to repeat.
     * @return a cold Flux of the status changes of each submitted operation, ending after SUCCESS or a final FAIL
     * @throws NullPointerException if {@code submission} is null
     */
    public Flux<Operation> submitAndWatch(Mono<String> submission) {
        return engine.submitAndWatch(Objects.requireNonNull(submission, "submission must not be null"), null);
    }

    /**
     * {@link #submitAndWatch(Mono)} for a request in a namespace shared with the caller by
     * another account: every GetOperation carries {@code OwnerAccount}.
     *
     * @param submission as for {@link #submitAndWatch(Mono)}
     * @param ownerAccount the 12-digit ID of the account that owns the namespace
     * @return a cold Flux of the status changes of each submitted operation, ending after SUCCESS or a final FAIL
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code ownerAccount} is not 12 digits (before any
     *         request is sent)
     */
    public Flux<Operation> submitAndWatch(Mono<String> submission, String ownerAccount) {
        Objects.requireNonNull(submission, "submission must not be null");
        return engine.submitAndWatch(submission, Arguments.ownerAccount(ownerAccount));
    }

    /**
     * {@link #submitAndWatch(Mono)} reduced to its outcome: the SUCCESS {@link Operation}, or an
     * {@link OperationFailedException} for the FAIL that ended it.
     *
     * @param submission as for {@link #submitAndWatch(Mono)}
     * @return a cold Mono of the SUCCESS operation, or of an OperationFailedException for the FAIL that ended it
     * @throws NullPointerException if {@code submission} is null
     */
    public Mono<Operation> submitAndAwait(Mono<String> submission) {
        return terminal(submitAndWatch(submission));
    }

    /**
     * {@link #submitAndWatch(Mono, String)} reduced to its outcome, for a namespace shared by
     * {@code ownerAccount}.
     *
     * @param submission as for {@link #submitAndWatch(Mono)}
     * @param ownerAccount the 12-digit ID of the account that owns the namespace
     * @return a cold Mono of the SUCCESS operation, or of an OperationFailedException for the FAIL that ended it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code ownerAccount} is not 12 digits (before any
     *         request is sent)
     */
    public Mono<Operation> submitAndAwait(Mono<String> submission, String ownerAccount) {
        return terminal(submitAndWatch(submission, ownerAccount));
    }

    /**
     * Waits for many operations of the caller's own account as one batch: completes when every
     * operation has reached SUCCESS or FAIL or its deadline has passed, with one
     * {@link OperationOutcome} each. A FAIL, a timeout or an error of one operation is its
     * outcome and does not stop the others ({@link BatchOptions#failFast} does).
     *
     * <ul>
     *   <li>One watch per distinct ID, all at once: every poll draws from this watcher's budget,
     *       which serves waiting polls in the order they fell due, so no operation starves another;
     *       a duplicate ID is watched once; an empty collection completes at once.</li>
     *   <li>Each operation has the watcher's {@linkplain OperationWatcherBuilder#timeout deadline};
     *       the watcher's {@linkplain OperationWatcherBuilder#overallTimeout overall timeout}, if
     *       set, bounds the whole batch (see {@link BatchOptions#overallTimeout}).</li>
     *   <li>Cancelling the Mono stops every watch. Cloud Map cannot cancel operations.</li>
     * </ul>
     *
     * <pre>{@code
     * BatchOutcome batch = watcher.awaitAll(operationIds).block();
     * if (!batch.allSucceeded()) { ... batch.failures() ... batch.timedOut() ... }
     * }</pre>
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @return a cold Mono of one outcome per distinct ID
     * @throws NullPointerException if {@code operationIds} or an ID is null
     * @throws IllegalArgumentException if an ID is blank or longer than 255 characters (the
     *         message gives its position), before any request is sent
     */
    public Mono<BatchOutcome> awaitAll(Collection<String> operationIds) {
        return awaitAll(operationIds, BatchOptions.defaults());
    }

    /**
     * {@link #awaitAll(Collection)} for operations in namespaces shared by {@code ownerAccount}.
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @param ownerAccount the 12-digit ID of the account that owns the namespaces
     * @return a cold Mono of one outcome per distinct ID
     * @throws NullPointerException if an argument or an ID is null
     * @throws IllegalArgumentException if an ID is invalid or {@code ownerAccount} is not 12 digits
     */
    public Mono<BatchOutcome> awaitAll(Collection<String> operationIds, String ownerAccount) {
        return awaitAll(operationIds, BatchOptions.defaults().ownerAccount(ownerAccount));
    }

    /**
     * {@link #awaitAll(Collection)} with {@code options}: an owner account, fail-fast, an overall
     * deadline.
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @param options the batch's owner account, fail-fast and overall deadline
     * @return a cold Mono of one outcome per distinct ID
     * @throws NullPointerException if an argument or an ID is null
     * @throws IllegalArgumentException if an ID is blank or longer than 255 characters
     */
    public Mono<BatchOutcome> awaitAll(Collection<String> operationIds, BatchOptions options) {
        List<String> ids = distinctIds(operationIds);
        Objects.requireNonNull(options, "options must not be null");
        return engine.awaitAll(ids, options.ownerAccount().orElse(null), options.failFast(), overall(options));
    }

    /**
     * Every status change of a batch, tagged with its operation ID, and one final
     * {@link BatchUpdate} per operation with its {@link OperationOutcome}; completes after the
     * last. The same rules as {@link #awaitAll(Collection)}: this is the Flux it is built on. An
     * operation's error is its final update, never an error of the Flux.
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @return a cold Flux of every status change and one final update per distinct ID
     * @throws NullPointerException if {@code operationIds} or an ID is null
     * @throws IllegalArgumentException if an ID is blank or longer than 255 characters
     */
    public Flux<BatchUpdate> watchAll(Collection<String> operationIds) {
        return watchAll(operationIds, BatchOptions.defaults());
    }

    /**
     * {@link #watchAll(Collection)} for operations in namespaces shared by {@code ownerAccount}.
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @param ownerAccount the 12-digit ID of the account that owns the namespaces
     * @return a cold Flux of every status change and one final update per distinct ID
     * @throws NullPointerException if an argument or an ID is null
     * @throws IllegalArgumentException if an ID is invalid or {@code ownerAccount} is not 12 digits
     */
    public Flux<BatchUpdate> watchAll(Collection<String> operationIds, String ownerAccount) {
        return watchAll(operationIds, BatchOptions.defaults().ownerAccount(ownerAccount));
    }

    /**
     * {@link #watchAll(Collection)} with {@code options}.
     *
     * @param operationIds the IDs mutating calls returned; repeats are watched once
     * @param options the batch's owner account, fail-fast and overall deadline
     * @return a cold Flux of every status change and one final update per distinct ID
     * @throws NullPointerException if an argument or an ID is null
     * @throws IllegalArgumentException if an ID is blank or longer than 255 characters
     */
    public Flux<BatchUpdate> watchAll(Collection<String> operationIds, BatchOptions options) {
        List<String> ids = distinctIds(operationIds);
        Objects.requireNonNull(options, "options must not be null");
        return engine.watchAll(ids, options.ownerAccount().orElse(null), options.failFast(), overall(options));
    }

    /**
     * The operations of the caller's account that are SUBMITTED or PENDING and match
     * {@code query}, found with ListOperations: after a restart, the operations to pick up again
     * with {@link #awaitAll(Collection)}.
     *
     * <pre>{@code
     * watcher.inFlight(InFlightQuery.all().service(serviceId))
     *     .map(OperationSummary::id).collectList()
     *     .flatMap(watcher::awaitAll);
     * }</pre>
     *
     * <p><b>What it costs.</b> Cloud Map reads a page of operations (100) from the account's
     * history first and filters it afterwards, so this pages through the whole history Cloud Map
     * keeps, whatever the query: with 10,000 finished operations in the account, about 100 calls,
     * most answering empty pages with a NextToken (every token is followed). Each page draws from
     * the client's ListOperations budget (adaptive, from 2/s, at most 10/s; shared with coalesced
     * polling; {@link OperationWatcherBuilder#listBudget} replaces it). A throttled or failing
     * page is retried a few times; the whole listing ends within the watcher's
     * {@linkplain OperationWatcherBuilder#timeout timeout} or fails with a
     * {@link java.util.concurrent.TimeoutException}.
     *
     * <p><b>Limits.</b> It finds the <em>account's</em> in-flight operations, not only this
     * process's: narrow it by namespace, service, type or update date. ListOperations has no
     * owner account, so operations in namespaces shared by another account are not found. An
     * operation that finishes while the pages are read may or may not be in the result; one
     * submitted after may be missed. Each ID is emitted once.
     *
     * @param query which operations to list: namespace, service, types, how far back
     * @return a cold Flux; each subscription lists afresh
     * @throws NullPointerException if {@code query} is null
     */
    public Flux<OperationSummary> inFlight(InFlightQuery query) {
        return engine.inFlight(Objects.requireNonNull(query, "query must not be null"));
    }

    private Duration overall(BatchOptions options) {
        return options.overallTimeout().orElse(settings.overallTimeout());
    }

    /** Validates every ID before any request and drops repeats, keeping the first's position. */
    private static List<String> distinctIds(Collection<String> operationIds) {
        Objects.requireNonNull(operationIds, "operationIds must not be null");
        Set<String> distinct = new LinkedHashSet<>();
        int index = 0;
        for (String id : operationIds) {
            distinct.add(Arguments.operationId(id, "operationIds[" + index + "]"));
            index++;
        }
        return List.copyOf(new ArrayList<>(distinct));
    }

    private static Mono<Operation> terminal(Flux<Operation> statuses) {
        return statuses.last().flatMap(operation -> operation.status() == OperationStatus.SUCCESS
                ? Mono.just(operation)
                : Mono.error(new OperationFailedException(operation)));
    }

    /**
     * The per-request configuration the watcher puts on its own GetOperation requests, for your
     * submissions: the SDK does not retry the request (so the watcher, whose resubmissions draw
     * from the submission budget, is the one retry layer, whatever client you built), and the
     * User-Agent carries {@code cloudmap-operation-watcher/<version>}.
     *
     * <pre>{@code
     * watcher.submitAndAwait(Mono.fromFuture(() -> client.registerInstance(b -> b
     *         .serviceId(serviceId).instanceId("i-1").attributes(attributes)
     *         .overrideConfiguration(OperationWatcher.requestOverrides())))
     *     .map(RegisterInstanceResponse::operationId));
     * }</pre>
     *
     * @return a stateless, thread-safe configurer for {@code overrideConfiguration(...)}
     */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> requestOverrides() {
        return WatchEngine.requestOverrides();
    }

    /** {@return the budget this watcher's GetOperation requests draw from (shared, by default, per client)} */
    public RequestBudget pollBudget() {
        return settings.pollBudget();
    }

    /** {@return the budget this watcher's submissions draw from (shared, by default, per client)} */
    public RequestBudget submissionBudget() {
        return settings.submissionBudget();
    }

    /** {@return the interval between coalesced polling's ListOperations sweeps, or empty when it is off (the default)} */
    public Optional<Duration> coalescedPolling() {
        return Optional.ofNullable(settings.sweepInterval());
    }

    /** {@return the initial delay between polls} */
    public Duration initialPollInterval() {
        return settings.initialInterval();
    }

    /** {@return the cap on the delay between polls} */
    public Duration maxPollInterval() {
        return settings.maxInterval();
    }

    /** {@return the deadline of each watch} */
    public Duration timeout() {
        return settings.timeout();
    }

    /** {@return how long OperationNotFound is tolerated after polling of an operation starts} */
    public Duration notFoundGrace() {
        return settings.notFoundGrace();
    }

    /** {@return the overall deadline of a whole {@code submitAndWatch}, if one was set} */
    public Optional<Duration> overallTimeout() {
        return Optional.ofNullable(settings.overallTimeout());
    }

    /**
     * How many poll loops this watcher runs now: one per operation being watched, however many
     * watches share it. For health checks and dashboards; a snapshot that may change at once.
     *
     * @return the number of poll loops running now
     */
    public int runningPollLoops() {
        return engine.runningLoops();
    }
}
