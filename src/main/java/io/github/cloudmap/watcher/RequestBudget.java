package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.internal.WatchEngine;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A rate budget that the requests for one API quota draw from (GetOperation, or a submission
 * call such as RegisterInstance): a request is sent only once the budget grants it a permit,
 * and the budget hears how the request went, so an adaptive budget can find the account's
 * real headroom on its own.
 *
 * <p>Cloud Map's quotas belong to the AWS account and Region, not to a watch: a thousand watches
 * that each back off on their own still hit the quota together. A budget is the one place where
 * they queue. Waiting requests are served in the order they started to wait, so none starves
 * however many wait.
 *
 * <p><b>Contract</b> (every implementation keeps it; the watcher relies on it):
 * <ul>
 *   <li>{@link #acquire(Scheduler)} is lazy: the wait starts on subscription.</li>
 *   <li>Cancelling the returned {@code Mono} before it emits gives up the place in the queue and
 *       takes no permit, so a watch that is cancelled or times out never holds one.</li>
 *   <li>Waits run on the scheduler passed in, and time is read from its clock when it keeps
 *       one of its own (virtual time), so a budget works under
 *       {@code StepVerifier.withVirtualTime}; on every production scheduler it is read from
 *       {@code System.nanoTime()}, which a wall-clock step does not move.</li>
 *   <li>The outcome of each permitted request is reported exactly once, through the
 *       {@link Permit}: {@link Permit#onThrottled()} when the service throttled it,
 *       {@link Permit#onAnswered()} for any other answer of the service (4xx errors included),
 *       {@link Permit#onUnanswered()} when no answer came that says anything about the quota
 *       (5xx, I/O failure, timeout, cancellation).</li>
 *   <li>No method blocks the calling thread.</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe: one budget is shared by every watch of a watcher, and
 * by default by every watcher built on the same client.
 */
public interface RequestBudget {

    /**
     * Waits for a permit to send one request.
     *
     * @param scheduler the clock the budget reads and where the wait runs: the watcher's own
     * @return a lazy Mono that emits one permit when the request may be sent; cancel it to stop
     *         waiting
     */
    Mono<Permit> acquire(Scheduler scheduler);

    /** {@return the rate at which the budget grants permits now, in requests per second} */
    double currentRate();

    /** {@return how many acquisitions are waiting now} */
    int waiting();

    /**
     * How many times the budget has cut its rate after a throttled answer; 0 for a budget that
     * does not adapt.
     *
     * @return the number of cuts so far
     */
    default long cuts() {
        return 0L;
    }

    /**
     * A new adaptive budget with {@linkplain AdaptiveBudgetConfig#defaults() the default
     * settings}: what every watcher uses unless given another. Each call returns a new budget
     * with its own state; share the instance to share the quota.
     *
     * @return a new budget
     */
    static RequestBudget adaptive() {
        return adaptive(AdaptiveBudgetConfig.defaults());
    }

    /**
     * A new adaptive budget: a token bucket whose rate is cut multiplicatively on a throttled
     * answer (at most once per {@linkplain AdaptiveBudgetConfig#cutWindow() window}) and raised
     * additively while requests succeed, between a floor and a ceiling, with one FIFO queue of
     * waiting requests. See {@link AdaptiveBudgetConfig}.
     *
     * <pre>{@code
     * RequestBudget polls = RequestBudget.adaptive(AdaptiveBudgetConfig.builder().maxRate(50).build());
     * OperationWatcher a = OperationWatcher.builder(clientA).pollBudget(polls).build();
     * OperationWatcher b = OperationWatcher.builder(clientB).pollBudget(polls).build();
     * }</pre>
     *
     * @param config the budget's settings
     * @return a new budget
     * @throws NullPointerException if {@code config} is null
     */
    static RequestBudget adaptive(AdaptiveBudgetConfig config) {
        return WatchEngine.adaptiveBudget(Objects.requireNonNull(config, "config must not be null"), "requests");
    }

    /**
     * A budget that grants every permit at once and learns nothing: the explicit opt-out, for a
     * caller who rate-limits by other means.
     *
     * @return the one unlimited budget
     */
    static RequestBudget unlimited() {
        return Unlimited.INSTANCE;
    }

    /**
     * The right to send one request, and where its outcome is reported. Thread-safe; a second
     * report of the same permit is ignored.
     */
    interface Permit {

        /** The service throttled the request sent under this permit. */
        void onThrottled();

        /**
         * The service answered the request without a throttle: a result, or an error answer that
         * says the request was read and counted (4xx such as {@code OperationNotFound},
         * {@code InvalidInput}, {@code DuplicateRequest}, {@code AccessDenied}). An adaptive budget
         * may take it as a sign of headroom.
         */
        void onAnswered();

        /**
         * The request ended without an answer that says anything about the quota: a 5xx, an I/O
         * failure, a timeout (the SDK's, or {@code RequestTimeout}), or a cancellation. An
         * adaptive budget neither raises nor cuts its rate for it, so a brownout does not raise
         * the rate. The default calls {@link #onAnswered()}, the contract before this method
         * existed, so budgets written against it keep working unchanged.
         */
        default void onUnanswered() {
            onAnswered();
        }
    }
}
