package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.BatchOutcome;
import io.github.cloudmap.watcher.BatchUpdate;
import io.github.cloudmap.watcher.InFlightQuery;
import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;

/**
 * The one door from the public {@code OperationWatcher} into the implementation: the poll
 * loops, their registry, the resubmission, the batches and the in-flight listing stay package-private behind it. Public only because
 * Java has no access between packages short of it; it takes {@link WatchSettings}, whose
 * constructor validates every value, so no path skips validation.
 *
 * <p>Thread-safe. Not part of the public API.
 */
public final class WatchEngine {

    private final OperationPoller poller;
    private final Resubmitter resubmitter;
    private final BatchWatch batches;
    private final InFlightListing listing;

    /** @param settings validated by their own constructor */
    public WatchEngine(WatchSettings settings) {
        this(settings, WatchObserver.NONE);
    }

    /**
     * @param settings validated by their own constructor
     * @param observer hears watches, polls and submissions for tracing
     */
    public WatchEngine(WatchSettings settings, WatchObserver observer) {
        this.poller = new OperationPoller(settings, observer);
        this.resubmitter = new Resubmitter(settings, poller, observer);
        this.batches = new BatchWatch(settings, this::watch);
        this.listing = new InFlightListing(settings, settings.listBudget() != null ? settings.listBudget()
                : ClientBudgets.listings(settings.client()));
    }

    /**
     * Watches an operation whose ID and owner account the caller has validated.
     *
     * @param ownerAccount the account that owns a shared namespace, or null for the caller's own
     */
    public Flux<Operation> watch(String operationId, String ownerAccount) {
        return poller.watch(Mono.just(operationId), ownerAccount);
    }

    /**
     * Submits, watches and resubmits (see {@link Resubmitter}).
     *
     * @param submission sends a new request per subscription and yields its OperationId
     * @param ownerAccount the account that owns a shared namespace, or null for the caller's own
     */
    public Flux<Operation> submitAndWatch(Mono<String> submission, String ownerAccount) {
        return resubmitter.submitAndWatch(submission, ownerAccount);
    }

    /**
     * Watches a batch (see {@link BatchWatch}).
     *
     * @param operationIds validated and distinct
     * @param ownerAccount the account that owns the namespaces, or null for the caller's own
     * @param overallTimeout the batch's deadline, or null for none
     */
    public Flux<BatchUpdate> watchAll(List<String> operationIds, String ownerAccount, boolean failFast,
                                      Duration overallTimeout) {
        return batches.watchAll(operationIds, ownerAccount, failFast, overallTimeout);
    }

    /** {@link #watchAll} reduced to its outcome. */
    public Mono<BatchOutcome> awaitAll(List<String> operationIds, String ownerAccount, boolean failFast,
                                       Duration overallTimeout) {
        return batches.awaitAll(operationIds, ownerAccount, failFast, overallTimeout);
    }

    /** The in-flight operations matching {@code query} (see {@link InFlightListing}). */
    public Flux<OperationSummary> inFlight(InFlightQuery query) {
        return listing.list(query);
    }

    /** The configurer the watcher puts on its own requests (see {@link RequestOverrides}). */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> requestOverrides() {
        return RequestOverrides.APPLY;
    }

    /** A new adaptive budget (see {@link AdaptiveBudget}); {@code name} is for its log lines. */
    public static RequestBudget adaptiveBudget(AdaptiveBudgetConfig config, String name) {
        return new AdaptiveBudget(config, name);
    }

    /** The GetOperation budget that every watcher built on {@code client} shares by default. */
    public static RequestBudget defaultPollBudget(Object client) {
        return ClientBudgets.polls(client);
    }

    /** The submission budget that every watcher built on {@code client} shares by default. */
    public static RequestBudget defaultSubmissionBudget(Object client) {
        return ClientBudgets.submissions(client);
    }

    /** The ListOperations budget that every watcher built on {@code client} shares by default. */
    public static RequestBudget defaultListBudget(Object client) {
        return ClientBudgets.listings(client);
    }

    /**
     * Nanoseconds on the clock a wait, rate or deadline on {@code scheduler} is measured with:
     * monotonic in production, the scheduler's own in virtual time (see {@link Clocks}).
     */
    public static long nanoTime(reactor.core.scheduler.Scheduler scheduler) {
        return Clocks.nanos(scheduler);
    }

    /**
     * The time source behind {@link #nanoTime}: readings from schedulers with the same source
     * compare; others do not.
     */
    public static Object timeSource(reactor.core.scheduler.Scheduler scheduler) {
        return Clocks.source(scheduler);
    }

    /** How many poll loops run now; for tests and metrics. */
    public int runningLoops() {
        return poller.runningLoops();
    }
}
