package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The validated, immutable settings of one {@code OperationWatcher}. Not part of the public API.
 * Public only because the public builder, in another package, makes it; its constructor checks
 * every value again (with the builder's messages), so no path builds a watcher from settings
 * that were not validated, and it guards the listener.
 *
 * @param client the SDK client that sends GetOperation
 * @param initialInterval the delay after the first poll
 * @param maxInterval the cap on the delay between polls
 * @param multiplier growth of the delay per poll
 * @param throttleMultiplier extra growth of the delay after a throttled poll
 * @param jitter share of each delay taken off at random, in [0, 1)
 * @param random the source of jitter, looked up per poll
 * @param timeout the deadline of each watch (and of each submission attempt)
 * @param overallTimeout the deadline of a whole submitAndWatch across its attempts, or null for none
 * @param scheduler looked up at subscription time, so a virtual-time scheduler installed later is used
 * @param notFoundGrace how long OperationNotFound is tolerated after a poll loop starts
 * @param transientRetry attempts and backoff for a GetOperation call failing with 5xx or I/O errors
 * @param resubmission attempts and backoff for resubmitting after a retryable FAIL or a throttled submission
 * @param pollBudget the budget every GetOperation of this watcher draws on (retries included)
 * @param submissionBudget the budget every submission of {@code submitAndWatch} draws on
 * @param listener hears polls, throttles, retries and resubmissions
 * @param deliveryScheduler where each watch's signals are delivered, looked up per subscription;
 *        null for the default (see {@code OperationPoller})
 * @param sweepInterval coalesced polling: the interval between ListOperations sweeps, or null
 *        for none (see {@code SweepCoordinator})
 * @param listBudget the budget every ListOperations of this watcher draws on; required when
 *        {@code sweepInterval} is set, else ignored
 */
public record WatchSettings(
        ServiceDiscoveryAsyncClient client,
        Duration initialInterval,
        Duration maxInterval,
        double multiplier,
        double throttleMultiplier,
        double jitter,
        Supplier<? extends RandomGenerator> random,
        Duration timeout,
        Duration overallTimeout,
        Supplier<? extends Scheduler> scheduler,
        Duration notFoundGrace,
        Retry transientRetry,
        Retry resubmission,
        RequestBudget pollBudget,
        RequestBudget submissionBudget,
        WatchListener listener,
        Supplier<? extends Scheduler> deliveryScheduler,
        Duration sweepInterval,
        RequestBudget listBudget) {

    /**
     * @throws NullPointerException if a required value is null ({@code overallTimeout} and
     *         {@code deliveryScheduler} may be)
     * @throws IllegalArgumentException if a value is out of range, with the builder's message
     */
    public WatchSettings {
        Objects.requireNonNull(client, "client must not be null");
        Arguments.pollInterval(initialInterval, maxInterval, OperationWatcherBuilder.MIN_POLL_INTERVAL,
                OperationWatcherBuilder.MAX_DURATION);
        Arguments.inRange(multiplier, 1.0, 100.0, true, "backoff multiplier");
        Arguments.inRange(throttleMultiplier, 1.0, 100.0, true, "throttle backoff multiplier");
        Arguments.inRange(jitter, 0.0, 1.0, false, "jitter");
        Objects.requireNonNull(random, "random must not be null");
        Arguments.atMost(Arguments.positive(timeout, "timeout"), OperationWatcherBuilder.MAX_DURATION, "timeout");
        if (overallTimeout != null) {
            Arguments.atMost(Arguments.positive(overallTimeout, "overallTimeout"), OperationWatcherBuilder.MAX_DURATION, "overallTimeout");
        }
        Objects.requireNonNull(scheduler, "scheduler must not be null");
        Arguments.atMost(Arguments.notNegative(notFoundGrace, "notFoundGrace"), OperationWatcherBuilder.MAX_DURATION, "notFoundGrace");
        Arguments.notLongerThanTimeout(maxInterval, "max poll interval", timeout);
        Arguments.notLongerThanTimeout(notFoundGrace, "notFoundGrace", timeout);
        Arguments.noResultPredicate(Objects.requireNonNull(transientRetry, "transientRetry must not be null"),
                "transientRetry");
        Arguments.noResultPredicate(Objects.requireNonNull(resubmission, "resubmission must not be null"),
                "resubmission");
        Objects.requireNonNull(pollBudget, "pollBudget must not be null");
        Objects.requireNonNull(submissionBudget, "submissionBudget must not be null");
        listener = GuardedListener.guard(Objects.requireNonNull(listener, "listener must not be null"));
        if (sweepInterval != null) {
            Arguments.atMost(Arguments.positive(sweepInterval, "sweepInterval"), OperationWatcherBuilder.MAX_DURATION,
                    "sweepInterval");
            if (sweepInterval.compareTo(OperationWatcherBuilder.MIN_SWEEP_INTERVAL) < 0) {
                throw new IllegalArgumentException("sweepInterval must be at least "
                        + OperationWatcherBuilder.MIN_SWEEP_INTERVAL + ", was " + sweepInterval);
            }
            Objects.requireNonNull(listBudget, "listBudget must not be null when sweepInterval is set");
        }
    }

    /** Settings without coalesced polling (the default): per-operation polling only. */
    public WatchSettings(ServiceDiscoveryAsyncClient client, Duration initialInterval, Duration maxInterval,
                         double multiplier, double throttleMultiplier, double jitter,
                         Supplier<? extends RandomGenerator> random, Duration timeout, Duration overallTimeout,
                         Supplier<? extends Scheduler> scheduler, Duration notFoundGrace, Retry transientRetry,
                         Retry resubmission, RequestBudget pollBudget, RequestBudget submissionBudget,
                         WatchListener listener, Supplier<? extends Scheduler> deliveryScheduler) {
        this(client, initialInterval, maxInterval, multiplier, throttleMultiplier, jitter, random, timeout,
                overallTimeout, scheduler, notFoundGrace, transientRetry, resubmission, pollBudget, submissionBudget,
                listener, deliveryScheduler, null, null);
    }

    /** The same settings with coalesced polling through ListOperations at {@code sweepInterval}. */
    public WatchSettings withCoalescedPolling(Duration sweepInterval, RequestBudget listBudget) {
        return new WatchSettings(client, initialInterval, maxInterval, multiplier, throttleMultiplier, jitter, random,
                timeout, overallTimeout, scheduler, notFoundGrace, transientRetry, resubmission, pollBudget,
                submissionBudget, listener, deliveryScheduler, sweepInterval, listBudget);
    }

    /** A fresh poll schedule for one watch. */
    PollSchedule newPollSchedule() {
        return new PollSchedule(initialInterval, maxInterval, multiplier, throttleMultiplier, jitter, random);
    }
}
