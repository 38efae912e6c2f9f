package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The validated, immutable settings of one {@code OperationWatcher}. Not part of the public API:
 * the public builder validates every value before it gets here.
 *
 * @param client the SDK client that sends GetOperation
 * @param initialInterval the delay after the first poll
 * @param maxInterval the cap on the delay between polls
 * @param multiplier growth of the delay per poll
 * @param throttleMultiplier extra growth of the delay after a throttled poll
 * @param jitter share of each delay taken off at random, in [0, 1)
 * @param random the source of jitter, looked up per poll
 * @param timeout the deadline of each watch (and of each submission attempt)
 * @param scheduler looked up at subscription time, so a virtual-time scheduler installed later is used
 * @param notFoundGrace how long OperationNotFound is tolerated after a poll loop starts
 * @param transientRetry attempts and backoff for a GetOperation call failing with 5xx or I/O errors
 * @param resubmission attempts and backoff for resubmitting after a retryable FAIL or a throttled submission
 * @param pollBudget the budget every GetOperation of this watcher draws on (retries included)
 * @param submissionBudget the budget every submission of {@code submitAndWatch} draws on
 * @param listener hears polls, throttles, retries and resubmissions
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
        Supplier<? extends Scheduler> scheduler,
        Duration notFoundGrace,
        Retry transientRetry,
        Retry resubmission,
        RequestBudget pollBudget,
        RequestBudget submissionBudget,
        WatchListener listener) {

    /** A fresh poll schedule for one watch. */
    PollSchedule newPollSchedule() {
        return new PollSchedule(initialInterval, maxInterval, multiplier, throttleMultiplier, jitter, random);
    }
}
