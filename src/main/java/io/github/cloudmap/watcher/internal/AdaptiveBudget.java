package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * {@link RequestBudget#adaptive(AdaptiveBudgetConfig)}: a token bucket whose refill rate
 * follows AIMD, with one FIFO queue of waiting acquisitions.
 *
 * <p><b>Why not Resilience4j's RateLimiter.</b> Its {@code AtomicRateLimiter} keeps time with
 * {@code System.nanoTime()} (no virtual time), a reserved permit cannot be given back (a
 * cancelled watch leaves its reservation behind, and everyone after it waits for it), and its
 * waiters are not served in order. A budget that must be cancellable, fair and driven by the
 * caller's scheduler needs its own queue; the bucket arithmetic is a few lines.
 *
 * <p><b>How it works.</b> An acquisition takes a token at once when the queue is empty and a
 * token is there (so one watch alone never waits); otherwise it joins the queue. One timer, on
 * the scheduler of the acquisition at the head, fires when the next token is due and hands out
 * tokens in queue order; a timer whose scheduler was disposed is re-armed on the next waiter's at
 * the budget's next event, and a waiter whose own scheduler refuses the timer is failed with
 * {@link RejectedExecutionException}. A cancelled waiter is marked and skipped (the queue is
 * compacted when mostly dead); a permit granted at the same instant as the cancellation goes back to the
 * bucket. Reported outcomes move the rate ({@link RateRule}): a throttle cuts it (once per
 * window, never for a permit granted before the last cut, and dropping the saved tokens), an
 * answer in a window where requests had to queue raises it (doubling until the first cut with
 * slow start, then by a step that scales with the rate of the last cut); a request that ended
 * without an answer (5xx, I/O failure, timeout, cancellation) moves nothing. The bucket holds at
 * most two seconds of the ceiling ({@link RateRule#burst()}).
 *
 * <p>Thread-safe: every state change happens under one lock, and sinks are signalled outside it.
 * Time is read through {@link Clocks} for the scheduler of each call: {@code System.nanoTime()}
 * for every production scheduler, the scheduler's own clock in virtual time. A reading behind
 * the last one counts as no time elapsed when it comes from the same time source, and restarts
 * the bucket full when it comes from another (a new virtual-time scheduler).
 */
final class AdaptiveBudget implements RequestBudget {

    private static final Logger log = LoggerFactory.getLogger(AdaptiveBudget.class);
    private static final long UNSET = Long.MIN_VALUE;

    private final AdaptiveBudgetConfig config;
    private final RateRule rule;
    private final String name;
    private final long windowNanos;

    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int waiting;
    private double rate;
    private double tokens;
    private long lastRefill = UNSET;
    // The time source lastRefill was read from (Clocks.source): only another one may restart the bucket.
    private Object lastRefillSource;
    private long lastCut = UNSET;
    private long lastRaise = UNSET;
    private long lastQueued = UNSET;
    private boolean slowStart;
    // The rate just before the last cut: the climb after a cut scales with it (RateRule).
    private double rateBeforeLastCut = Double.NaN;
    private long cuts;
    private Disposable timer;
    private Scheduler timerScheduler;

    /**
     * @param config the settings
     * @param name for log lines, e.g. "GetOperation"
     */
    AdaptiveBudget(AdaptiveBudgetConfig config, String name) {
        this.config = config;
        this.rule = new RateRule(config);
        this.name = name;
        this.windowNanos = config.cutWindow().toNanos();
        this.rate = config.initialRate();
        this.tokens = burst();
        this.slowStart = config.slowStart();
    }

    @Override
    public Mono<Permit> acquire(Scheduler scheduler) {
        return Mono.<Permit>create(sink -> {
            Waiter waiter = new Waiter(sink, scheduler);
            boolean grantedAtOnce;
            List<Waiter> refused = new ArrayList<>(0);
            synchronized (lock) {
                long now = Clocks.nanos(scheduler);
                refill(now, Clocks.source(scheduler));
                grantedAtOnce = waiting == 0 && tokens >= 1.0;
                if (grantedAtOnce) {
                    tokens -= 1.0;
                    waiter.permit.grantedAfterCuts = cuts;
                    waiter.state.set(Waiter.GRANTED);
                } else {
                    queue.addLast(waiter);
                    waiting++;
                    lastQueued = now;
                    armTimer(refused);
                }
            }
            // Registered after the decision: a sink cancelled meanwhile runs it at once, which
            // takes the waiter out of the queue or gives its token back.
            sink.onCancel(waiter::cancel);
            if (grantedAtOnce) {
                sink.success(waiter.permit);
            }
            failAll(refused);
        }).filter(permit -> ((BudgetPermit) permit).waiter.deliver());
    }

    @Override
    public double currentRate() {
        synchronized (lock) {
            return rate;
        }
    }

    @Override
    public int waiting() {
        synchronized (lock) {
            return waiting;
        }
    }

    @Override
    public long cuts() {
        synchronized (lock) {
            return cuts;
        }
    }

    /** The settings of this budget. */
    public AdaptiveBudgetConfig config() {
        return config;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AdaptiveBudget[" + name + ", rate=" + String.format("%.1f", rate) + "/s, waiting=" + waiting
                    + ", cuts=" + cuts + "]";
        }
    }

    // --- the bucket and the queue; all under lock -------------------------------------------

    private void refill(long now, Object source) {
        if (lastRefill != UNSET && now < lastRefill && source == lastRefillSource) {
            // The same clock read behind its last reading: a VirtualTimeScheduler advanced by
            // another thread, which runs a task scheduled meanwhile at that task's older time.
            // No time has elapsed; refilling the bucket here would hand out a burst the rate
            // never allowed.
            return;
        }
        lastRefillSource = source;
        if (lastRefill == UNSET || now < lastRefill) {
            // First use, or another clock that is behind (a new virtual-time scheduler): the old
            // time line means nothing on the new one, so start afresh. Every production
            // scheduler has the same source (System.nanoTime()), so parallel and boundedElastic
            // readings compare, and never restart the bucket.
            if (lastRefill != UNSET) {
                tokens = burst();
                lastCut = UNSET;
                lastQueued = UNSET;
            }
            lastRefill = now;
            lastRaise = now;
            return;
        }
        tokens = Math.min(burst(), tokens + (now - lastRefill) / 1e9 * rate);
        lastRefill = now;
    }

    /**
     * Schedules the next hand-out when the next token is due, unless one is scheduled. Waiters
     * whose scheduler refuses the timer are added to {@code refused}, for the caller to fail
     * once it has left the lock.
     */
    private void armTimer(List<Waiter> refused) {
        if (timer != null && timerScheduler.isDisposed()) {
            // The scheduler that held the timer was disposed (a finished test's virtual-time
            // scheduler, say) and dropped the task with it: without this, every other waiter
            // would wait for a hand-out that never comes.
            timer = null;
        }
        while (timer == null) {
            Waiter head = firstLive();
            if (head == null) {
                return;
            }
            long delayNanos = tokens >= 1.0 ? 0L : (long) Math.ceil((1.0 - tokens) / rate * 1e9);
            try {
                if (head.scheduler.isDisposed()) {
                    throw new RejectedExecutionException("the scheduler of this budget acquisition is disposed");
                }
                timer = head.scheduler.schedule(this::handOut, delayNanos, TimeUnit.NANOSECONDS);
                timerScheduler = head.scheduler;
            } catch (RejectedExecutionException e) {
                // That waiter's scheduler is shut down: its watch cannot go on either.
                if (removeLive(head)) {
                    head.refusal = e;
                    refused.add(head);
                }
            }
        }
    }

    /** Fails the waiters {@link #armTimer} refused; called outside the lock. */
    private static void failAll(List<Waiter> refused) {
        for (Waiter waiter : refused) {
            waiter.fail(waiter.refusal);
        }
    }

    private Waiter firstLive() {
        Waiter head;
        while ((head = queue.peekFirst()) != null && head.state.get() != Waiter.WAITING) {
            queue.pollFirst();
        }
        return head;
    }

    private boolean removeLive(Waiter waiter) {
        if (waiter.state.compareAndSet(Waiter.WAITING, Waiter.CANCELLED)) {
            waiting--;
            return true;
        }
        return false;
    }

    /** The timer: hands out the tokens that are due, in queue order, then re-arms. */
    private void handOut() {
        List<Waiter> granted = new ArrayList<>();
        List<Waiter> refused = new ArrayList<>(0);
        synchronized (lock) {
            timer = null;
            Waiter head = firstLive();
            if (head == null) {
                return;
            }
            long now = Clocks.nanos(head.scheduler);
            refill(now, Clocks.source(head.scheduler));
            while (tokens >= 1.0 && (head = firstLive()) != null) {
                queue.pollFirst();
                if (head.state.compareAndSet(Waiter.WAITING, Waiter.GRANTED)) {
                    waiting--;
                    tokens -= 1.0;
                    head.permit.grantedAfterCuts = cuts;
                    granted.add(head);
                }
            }
            armTimer(refused);
        }
        for (Waiter waiter : granted) {
            waiter.sink.success(waiter.permit);
        }
        failAll(refused);
    }

    /** A waiter was cancelled while queued: it leaves; the timer stops if no one is left. */
    private void left(Waiter waiter) {
        List<Waiter> refused = new ArrayList<>(0);
        synchronized (lock) {
            waiting--;
            if (waiting == 0) {
                queue.clear();
                if (timer != null) {
                    timer.dispose();
                    timer = null;
                }
            } else {
                if (queue.size() > 2 * waiting + 16) {
                    queue.removeIf(w -> w.state.get() != Waiter.WAITING);
                }
                armTimer(refused); // re-arms a timer that its disposed scheduler dropped
            }
        }
        failAll(refused);
    }

    /** A permit granted at the instant its waiter was cancelled goes back to the bucket. */
    private void refund(Waiter waiter) {
        List<Waiter> refused = new ArrayList<>(0);
        synchronized (lock) {
            tokens = Math.min(burst(), tokens + 1.0);
            if (waiting > 0) {
                armTimer(refused);
            }
        }
        failAll(refused);
    }

    // --- adaptation --------------------------------------------------------------------------

    private double burst() {
        return rule.burst();
    }

    private void onThrottled(Scheduler scheduler, long grantedAfterCuts) {
        synchronized (lock) {
            long now = Clocks.nanos(scheduler);
            refill(now, Clocks.source(scheduler));
            if (grantedAfterCuts < cuts) {
                // Granted before the last cut, at the old rate: the cut already answered it. At
                // small rates or with slow answers its throttle arrives after the cut window, and
                // would otherwise cut once more for the same excess.
                return;
            }
            if (lastCut != UNSET && now - lastCut < windowNanos) {
                return; // the same burst of throttles: already cut for it
            }
            double before = rate;
            rateBeforeLastCut = rate;
            rate = rule.cut(rate);
            // A throttle says the account's bucket is empty: tokens saved here would be spent
            // into it at once and throttled too. The next permit comes one interval of the new rate on.
            tokens = Math.min(tokens, 0.0);
            lastCut = now;
            lastRaise = now;
            slowStart = false;
            cuts++;
            log.debug("{} budget throttled: rate cut from {}/s to {}/s (cut #{}, {} waiting)", name,
                    String.format("%.1f", before), String.format("%.1f", rate), cuts, waiting);
        }
    }

    private void onAnswered(Scheduler scheduler) {
        synchronized (lock) {
            long now = Clocks.nanos(scheduler);
            refill(now, Clocks.source(scheduler));
            boolean windowPassed = now - lastRaise >= windowNanos && (lastCut == UNSET || now - lastCut >= windowNanos);
            // Raise only while the rate is what holds requests back: an idle budget learns
            // nothing about the account's headroom, and must not drift up to the ceiling.
            boolean limited = waiting > 0 || (lastQueued != UNSET && now - lastQueued < windowNanos);
            if (windowPassed && limited && rate < config.maxRate()) {
                rate = rule.raise(rate, rateBeforeLastCut, slowStart);
                lastRaise = now;
            }
        }
    }

    // --- one acquisition ---------------------------------------------------------------------

    private final class Waiter {
        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int DELIVERED = 2;
        static final int CANCELLED = 3;

        final AtomicInteger state = new AtomicInteger(WAITING);
        final MonoSink<Permit> sink;
        final Scheduler scheduler;
        final BudgetPermit permit;
        // Set under the lock before the waiter is failed outside it.
        volatile Throwable refusal;

        Waiter(MonoSink<Permit> sink, Scheduler scheduler) {
            this.sink = sink;
            this.scheduler = scheduler;
            this.permit = new BudgetPermit(this);
        }

        /** The permit reaches the subscriber, unless the subscriber was cancelled first. */
        boolean deliver() {
            return state.compareAndSet(GRANTED, DELIVERED);
        }

        void cancel() {
            if (state.compareAndSet(WAITING, CANCELLED)) {
                left(this);
            } else if (state.compareAndSet(GRANTED, CANCELLED)) {
                refund(this);
            }
        }

        void fail(Throwable error) {
            sink.error(error);
        }
    }

    private final class BudgetPermit implements Permit {
        final Waiter waiter;
        private final AtomicInteger reported = new AtomicInteger();
        // The budget's cut count when this permit was granted: written under the lock before the
        // permit is handed over, read by whoever reports the outcome, on another thread.
        volatile long grantedAfterCuts;

        BudgetPermit(Waiter waiter) {
            this.waiter = waiter;
        }

        @Override
        public void onThrottled() {
            if (reported.compareAndSet(0, 1)) {
                AdaptiveBudget.this.onThrottled(waiter.scheduler, grantedAfterCuts);
            }
        }

        @Override
        public void onAnswered() {
            if (reported.compareAndSet(0, 1)) {
                AdaptiveBudget.this.onAnswered(waiter.scheduler);
            }
        }

        /** No answer (5xx, I/O, timeout, cancel): says nothing about the quota, so the rate stays. */
        @Override
        public void onUnanswered() {
            reported.compareAndSet(0, 1);
        }
    }
}
