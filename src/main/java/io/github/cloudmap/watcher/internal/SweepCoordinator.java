package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;

/**
 * Coalesced polling: while at least one poll loop of a watcher runs, one ListOperations sweep
 * every sweep interval looks at the operations of the account that changed since the previous
 * sweep, and wakes the loops whose operation shows a later status than the loop has seen. A
 * woken loop sends its next GetOperation at once instead of at the end of its backoff delay;
 * the sweep never emits anything itself, so every status a watch sees is still a real
 * Operation from GetOperation, with the poll loop's emission rules, retries and budget.
 *
 * <p><b>Never worse than per-operation polling.</b> A loop waits for the <i>first</i> of its
 * own backoff delay and a wake-up, so a sweep that is slow, throttled or failing only leaves the
 * loops on their usual schedule. A sweep answered with a client error that is not a throttle
 * (AccessDenied: a policy that grants GetOperation but not ListOperations) turns coalescing off
 * for the watcher for good, quietly: one INFO line and {@code WatchListener.onCoalescingOff};
 * no watch fails. A throttled sweep doubles the wait before the next one (up to 8 intervals);
 * a transient failure (5xx, I/O) just waits for the next interval.
 *
 * <p><b>The sweep.</b> Filters STATUS IN [PENDING, SUCCESS, FAIL] and UPDATE_DATE BETWEEN [the
 * previous successful sweep's start minus {@link #WINDOW_OVERLAP}, now plus {@link #CLOCK_AHEAD}],
 * in epoch milliseconds, and no namespace or service filter, so it needs no ID the watcher does
 * not have. Cloud Map filters after paging, so it follows NextToken through empty pages too, and
 * pages through the account's whole recent operation history: that is the cost (see
 * {@code docs/coalesced.md}). Every page draws a permit from the ListOperations budget. Operations
 * of other accounts (a watch with an owner account) are never in the caller's ListOperations, so
 * their loops do not register.
 *
 * <p><b>Lifetime.</b> The sweeps start with the first registered loop and stop (the timer and any
 * request in flight are cancelled) when the last one leaves: no timer is left behind. Time is
 * read from the watcher's scheduler, so virtual time drives it; the window is the service's
 * wall-clock time ({@code scheduler.now(MILLISECONDS)}), the waits between sweeps are delays on
 * the scheduler, which a wall-clock step does not move.
 *
 * <p>Thread-safe. Not part of the public API.
 */
final class SweepCoordinator {

    private static final Logger log = LoggerFactory.getLogger(SweepCoordinator.class);

    /**
     * Overlap of successive sweep windows: UPDATE_DATE is set by the service's clock and a change
     * can be recorded a little after it happened, so each window reaches back before the previous
     * sweep began. A change that still falls outside is caught by the loop's own backoff.
     */
    static final Duration WINDOW_OVERLAP = Duration.ofSeconds(5);
    /** The window's end is ahead of our clock, so a service clock running ahead loses nothing. */
    static final Duration CLOCK_AHEAD = Duration.ofMinutes(5);
    /** The most intervals a throttled coordinator waits between sweeps. */
    static final int MAX_BACKOFF_INTERVALS = 8;

    private static final OperationFilter STATUSES = OperationFilter.builder()
            .name(OperationFilterName.STATUS).condition(FilterCondition.IN)
            .values("PENDING", "SUCCESS", "FAIL").build();

    private final WatchSettings settings;
    private final Duration interval;
    private final RequestBudget budget;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final AtomicLong sweepCount = new AtomicLong();

    // Guarded by this.
    private Disposable sweeping;
    private volatile boolean off;
    // Written only by the one running sweep cycle.
    private volatile long windowFromMillis;
    private volatile int backoffIntervals = 1;

    SweepCoordinator(WatchSettings settings) {
        this.settings = settings;
        this.interval = settings.sweepInterval();
        this.budget = settings.listBudget();
    }

    /**
     * Registers the loop of {@code operationId} for wake-ups, and starts the sweeps if it is the
     * first; null when coalescing is off. The caller closes the ticket when the loop ends.
     */
    Ticket register(String operationId) {
        if (off) {
            return null;
        }
        Ticket ticket = new Ticket(operationId);
        synchronized (this) {
            tickets.put(operationId, ticket);
            if (sweeping == null && !off) {
                Scheduler scheduler = settings.scheduler().get();
                windowFromMillis = scheduler.now(TimeUnit.MILLISECONDS) - WINDOW_OVERLAP.toMillis();
                backoffIntervals = 1;
                // The first sweep comes one interval after the first loop starts: the loop's
                // own first GetOperation is sent at once anyway.
                sweeping = cycle(scheduler).repeat(() -> !off).subscribe();
            }
        }
        return ticket;
    }

    /** True while sweeps run (for tests: the coordinator leaves no timer behind). */
    synchronized boolean isSweeping() {
        return sweeping != null && !sweeping.isDisposed();
    }

    /** True once a sweep was refused and the watcher went back to per-operation polling. */
    boolean isOff() {
        return off;
    }

    /** How many sweeps have started (for tests and metrics). */
    long sweeps() {
        return sweepCount.get();
    }

    private void leave(Ticket ticket) {
        synchronized (this) {
            tickets.remove(ticket.operationId, ticket);
            if (tickets.isEmpty() && sweeping != null) {
                sweeping.dispose();
                sweeping = null;
            }
        }
    }

    /** One wait and one sweep; a failed sweep is handled here, so the cycle repeats. */
    private Mono<Void> cycle(Scheduler scheduler) {
        return Mono.defer(() -> Mono.delay(interval.multipliedBy(backoffIntervals), scheduler))
                .then(Mono.defer(() -> sweep(scheduler)))
                .onErrorResume(error -> {
                    sweepFailed(error);
                    return Mono.empty();
                });
    }

    private Mono<Void> sweep(Scheduler scheduler) {
        sweepCount.incrementAndGet();
        // The service's own timestamps: wall-clock time on purpose (Clocks is for waits and rates).
        long startMillis = scheduler.now(TimeUnit.MILLISECONDS);
        // A wall clock stepped back since the last sweep would put the window's start after its
        // end (Cloud Map answers InvalidInput, and coalescing would turn off for good): reach
        // back from now instead.
        String from = Long.toString(Math.min(windowFromMillis, startMillis - WINDOW_OVERLAP.toMillis()));
        String to = Long.toString(startMillis + CLOCK_AHEAD.toMillis());
        return page(from, to, null, scheduler)
                // Cloud Map filters after paging: an empty page may still carry a NextToken.
                .expand(response -> response.nextToken() == null || response.nextToken().isEmpty()
                        ? Mono.empty() : page(from, to, response.nextToken(), scheduler))
                .doOnNext(response -> response.operations().forEach(this::notice))
                .then(Mono.fromRunnable(() -> {
                    windowFromMillis = startMillis - WINDOW_OVERLAP.toMillis();
                    backoffIntervals = 1;
                }));
    }

    /** One ListOperations page within the ListOperations budget. */
    private Mono<ListOperationsResponse> page(String from, String to, String nextToken, Scheduler scheduler) {
        ListOperationsRequest request = ListOperationsRequest.builder()
                .filters(STATUSES, OperationFilter.builder()
                        .name(OperationFilterName.UPDATE_DATE).condition(FilterCondition.BETWEEN)
                        .values(from, to).build())
                .nextToken(nextToken)
                .overrideConfiguration(RequestOverrides.APPLY)
                .build();
        return budget.acquire(scheduler)
                .flatMap(PermitOutcome.sending(Mono.fromFuture(() -> settings.client().listOperations(request))))
                .onErrorMap(FailureClassifier::unwrap);
    }

    private void notice(OperationSummary summary) {
        Ticket ticket = tickets.get(summary.id());
        if (ticket != null && PollLoop.rank(summary.status()) > ticket.lastRank) {
            ticket.wake();
        }
    }

    private void sweepFailed(Throwable error) {
        switch (FailureClassifier.classify(error)) {
            case THROTTLED:
                backoffIntervals = Math.min(MAX_BACKOFF_INTERVALS, backoffIntervals * 2);
                log.debug("ListOperations sweep throttled; next sweep in {}", interval.multipliedBy(backoffIntervals));
                return;
            case TRANSIENT:
                log.debug("ListOperations sweep failed ({}); trying again next interval", error.toString());
                return;
            default:
                turnOff(error);
        }
    }

    private void turnOff(Throwable error) {
        synchronized (this) {
            if (off) {
                return;
            }
            off = true;
            if (sweeping != null) {
                sweeping.dispose();
                sweeping = null;
            }
        }
        log.info("ListOperations was refused ({}); this watcher goes back to per-operation polling",
                error.toString());
        settings.listener().onCoalescingOff(error);
    }

    /**
     * A registered loop: the highest status rank it has emitted, and the wake-ups it has not
     * used yet. The loop's polls run one after another, so only the sweep and one loop touch it.
     */
    final class Ticket implements AutoCloseable {
        final String operationId;
        private volatile int lastRank = -1;
        private final AtomicLong wakeUps = new AtomicLong();
        private volatile long usedWakeUps;
        private volatile Sinks.Empty<Void> waiting;

        Ticket(String operationId) {
            this.operationId = operationId;
        }

        /** The loop emitted a status of this rank. */
        void seen(int rank) {
            lastRank = Math.max(lastRank, rank);
        }

        /**
         * Completes after {@code delay} or at the first wake-up, whichever comes first; at once
         * if a wake-up came while the loop was not waiting (its GetOperation was in flight).
         * Each wake-up is used once, so a sweep that keeps showing a status GetOperation does not
         * confirm yet (eventual consistency) costs at most one extra poll per sweep.
         */
        Mono<Object> wakeAfter(Duration delay, Scheduler scheduler) {
            return Mono.defer(() -> {
                Sinks.Empty<Void> sink = Sinks.empty();
                waiting = sink; // published before the check below, so no wake-up falls between
                if (wakeUps.get() > usedWakeUps) {
                    return Mono.just(Boolean.TRUE);
                }
                return Mono.firstWithSignal(Mono.delay(delay, scheduler).cast(Object.class),
                        sink.asMono().then(Mono.just(Boolean.TRUE)));
            }).doOnNext(signal -> usedWakeUps = wakeUps.get());
        }

        private void wake() {
            wakeUps.incrementAndGet();
            Sinks.Empty<Void> sink = waiting;
            if (sink != null) {
                sink.tryEmitEmpty();
            }
        }

        /** The loop ended: stops the sweeps if it was the last. Idempotent. */
        @Override
        public void close() {
            leave(this);
        }
    }
}
