package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.internal.WatchEngine;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link RequestBudget} shared by every process of a fleet through Redis: one token bucket per
 * AWS account and Region, kept in Redis on Redis's own clock, whose rate adapts for the whole fleet: a
 * throttled answer seen by any process cuts it, quiet intervals in which requests waited raise
 * it, with the rule of the local adaptive budget. Only a real answer raises it: a 5xx, an I/O
 * failure, a timeout or a cancellation ({@code onUnanswered}) neither raises nor cuts. Cloud
 * Map's quotas belong to the account, so twenty pods that each believe they own them melt them
 * together; sharing one bucket keeps them polite.
 *
 * <p><b>How it decides.</b> One Lua script keeps the bucket, the fleet's rate and its version,
 * and a set of live processes, all on Redis's {@code TIME}, so hosts whose clocks disagree by
 * seconds still share the bucket first come, first served. A take reserves the next permits of
 * the bucket, including some not yet refilled, and the process hands each over when it is due:
 * one round trip covers many permits, so the fleet's rate does not depend on Redis's latency
 * below {@code redisTimeout}. The script decides each change of the rate atomically with a marker that expires after the rule's
 * window, so three processes throttled in the same instant cut once, not three times. Processes
 * that join or leave need no coordination: each reads the rate on its first call.
 *
 * <p><b>When Redis fails</b> (unreachable, restarted, or slower than {@code redisTimeout}, 250 ms
 * by default) the budget serves permits from its local fallback budget within that wait, logs
 * once, and tries Redis again at most once per {@code retryInterval} (1 s) while permits are
 * asked for; when Redis answers it logs once more and goes back to the fleet's bucket. The
 * default fallback starts at this process's share of the fleet's last known rate (the rate over
 * the live processes), without a burst larger than a second of it. A take that answers after
 * the wait gives its permits back; a node demoted to replica ({@code READONLY}) is left for a new
 * connection; while the connection is down, calls fail at once instead of queueing. A bucket
 * lost with a restart is rebuilt from the rate the processes know. No watch fails or waits
 * longer than {@code redisTimeout} because of Redis.
 *
 * <p><b>Threads.</b> Nothing blocks: Lettuce's asynchronous API is used, and a
 * permit is handed over on the scheduler passed to {@link #acquire(Scheduler)}, never on Lettuce's
 * event loop. Waiting acquisitions of this process are served in order (FIFO); across processes
 * the bucket is first come, first served. Local timings read {@code System.nanoTime()} (or a
 * scheduler's own virtual time), never the wall clock.
 *
 * <p><b>Secrets.</b> A password in the URI never appears in a log line, an exception message or
 * {@link #toString()}.
 *
 * <p>Defaults: key prefix {@value #DEFAULT_KEY_PREFIX}, Redis wait 250 ms, retry interval 1 s,
 * the adaptive settings and local fallback of {@code RequestBudget.adaptive(AdaptiveBudgetConfig.defaults())}.
 *
 * <pre>{@code
 * RedisBudget budget = RedisBudget.builder(System.getenv("CLOUDMAP_WATCHER_REDIS_URL"))
 *     .key("123456789012", "eu-west-1")
 *     .meterRegistry(meterRegistry)
 *     .build();
 * OperationWatcher watcher = OperationWatcher.builder(client).pollBudget(budget).build();
 * // on shutdown: budget.close();
 * }</pre>
 *
 * <p>Thread-safe. Needs {@code io.lettuce:lettuce-core} on the class path (an optional dependency
 * of this library).
 */
public final class RedisBudget implements RequestBudget, AutoCloseable {

    /** Default prefix of the budget's Redis keys. */
    public static final String DEFAULT_KEY_PREFIX = "cloudmap-watcher:budget";
    /** Default bound on every wait for Redis. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(250);
    /** Default pause between attempts to reach Redis again after it failed. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisBudget.class);

    /** How often a process re-reads the fleet's rate that others may have changed. */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the first connection may take before the budget says it fell back. */
    private static final Duration FIRST_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Attempts at a cut or raise that keep meeting a concurrent change. */
    private static final int CHANGE_ATTEMPTS = 3;
    /** What a process asks again before its last reserved permit is due, on top of two round trips. */
    private static final long LEAD_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A pause longer than this between takes means the clocks of two schedulers were compared: ask now. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final FleetStore store;
    private final FleetRules rules;
    /** The fallback the application gave, or null: the budget then keeps its own (see {@link #freshFallback}). */
    private final RequestBudget givenFallback;
    private final AtomicReference<RequestBudget> fallback;
    /** Cuts made by fallbacks the budget replaced, so {@link #cuts()} never goes down. */
    private final AtomicLong retiredCuts = new AtomicLong();
    private final Duration redisTimeout;
    private final long retryNanos;
    private final String description;
    private final Secrets secrets;
    private final FleetEvents events;

    private final AtomicReference<FleetRate> fleetRate;
    /** The processes Redis saw lately (its live set), this one included. */
    private final AtomicInteger live = new AtomicInteger(1);
    private final AtomicBoolean onRedis = new AtomicBoolean(true);
    private final AtomicLong lastProbe = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastRefresh = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastRaise = new AtomicLong(Long.MIN_VALUE);
    /** When the fleet's bucket last made a waiter of this process wait: the rate held it back. */
    private final AtomicLong lastHeldBack = new AtomicLong(Long.MIN_VALUE);
    /** Not before this time (the waiters' clock) does the process ask for more: it holds enough reserved permits. */
    private final AtomicLong nextTake = new AtomicLong(Long.MIN_VALUE);
    /** The round trip of takes, smoothed; -1 before the first. */
    private final AtomicLong roundTrip = new AtomicLong(-1);
    private final AtomicBoolean warnedSlow = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean pumping = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicLong cutsWon = new AtomicLong();

    RedisBudget(FleetStore store, FleetRules rules, RequestBudget fallback, Duration redisTimeout,
            Duration retryInterval, String description, Secrets secrets,
            java.util.function.Function<RedisBudget, FleetEvents> events) {
        this.store = store;
        this.rules = rules;
        this.givenFallback = fallback;
        this.fallback = new AtomicReference<>(fallback != null ? fallback : RequestBudget.adaptive(rules.config()));
        this.redisTimeout = redisTimeout;
        this.retryNanos = retryInterval.toNanos();
        this.description = description;
        this.secrets = secrets;
        this.fleetRate = new AtomicReference<>(rules.initial());
        this.events = events.apply(this);
    }

    /**
     * A builder for a budget on Redis at {@code uri} ({@code redis://[[user]:password@]host[:port][/db]},
     * or {@code rediss://} for TLS); the budget opens its own Lettuce client and closes it in
     * {@link #close()}.
     *
     * @param uri the Redis URI; its password never appears in a message, a log line or {@code toString()}
     * @return a new builder
     * @throws IllegalArgumentException if the URI cannot be parsed (the message never shows the password)
     */
    public static Builder builder(String uri) {
        return new Builder(null, uri);
    }

    /**
     * A builder for a budget on a Lettuce client the application already has, connecting to
     * {@code uri}; the client stays the application's: {@link #close()} closes only the
     * budget's own connection. (Lettuce opens connections asynchronously only to a given URI.)
     * Whatever the client's options, the budget's calls fail at once while its connection is
     * down rather than queue and run stale after an outage.
     *
     * @param client the application's client, whose resources the budget's own client shares
     * @param uri where the budget connects
     * @return a new builder
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(RedisClient client, RedisURI uri) {
        return new Builder(Objects.requireNonNull(client, "client must not be null"),
                Objects.requireNonNull(uri, "uri must not be null"));
    }

    @Override
    public Mono<Permit> acquire(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler must not be null");
        return Mono.defer(() -> {
            long now = WatchEngine.nanoTime(scheduler);
            if (!onRedis.get()) {
                probe(scheduler, now);
                return fallback.get().acquire(scheduler);
            }
            refresh(scheduler, now);
            return Mono.<Permit>create(sink -> {
                Waiter waiter = new Waiter(sink, scheduler);
                waiting.incrementAndGet();
                queue.add(waiter);
                sink.onCancel(waiter::cancel);
                pump();
            }).onErrorResume(FellBack.class, e -> fallback.get().acquire(scheduler));
        });
    }

    @Override
    public double currentRate() {
        return onRedis.get() ? fleetRate.get().rate() : fallback.get().currentRate();
    }

    @Override
    public int waiting() {
        return waiting.get() + fallback.get().waiting();
    }

    /**
     * The cuts of the fleet's rate that this process decided (a cut decided by another process
     * counts there), plus the local fallback's own.
     */
    @Override
    public long cuts() {
        return cutsWon.get() + retiredCuts.get() + fallback.get().cuts();
    }

    /** {@return true while permits come from the fleet's bucket in Redis; false while on the local fallback} */
    public boolean onRedis() {
        return onRedis.get();
    }

    /**
     * Closes the budget's Redis connection (and its client, when the budget opened it, once the
     * connection is closed). Waiting acquisitions are served by the local budget from then on.
     * Does not block.
     */
    @Override
    public void close() {
        fallBack(new IllegalStateException("closed"), false);
        store.close();
    }

    @Override
    public String toString() {
        return "RedisBudget[" + description + ", rate " + currentRate() + "/s, " + (onRedis() ? "on Redis" : "on the local fallback")
                + ", " + live.get() + " live process(es)]";
    }

    // ---- the queue of this process's waiters: one Redis request at a time, reserving ahead ----

    private void pump() {
        while (pumping.compareAndSet(false, true)) {
            Waiter head = liveHead();
            if (head == null) {
                pumping.set(false);
                if (liveHead() == null) {
                    return;
                }
                continue;   // a waiter arrived between the look and the release: serve it
            }
            if (!onRedis.get()) {
                for (Waiter w; (w = queue.poll()) != null; ) {
                    w.fellBack();
                }
                pumping.set(false);
                continue;
            }
            long wait = nextTake.get() == Long.MIN_VALUE ? 0 : nextTake.get() - WatchEngine.nanoTime(head.scheduler);
            if (wait > 0 && wait <= MAX_PAUSE_NANOS) {
                // The permits this process already reserved cover the time until then.
                schedule(head.scheduler, () -> {
                    pumping.set(false);
                    pump();
                }, wait);
                return;
            }
            takeFor(head.scheduler);
            return;
        }
    }

    /** The oldest waiter still waiting, dropping those that gave up. */
    private Waiter liveHead() {
        for (Waiter w; (w = queue.peek()) != null; ) {
            if (w.isWaiting()) {
                return w;
            }
            queue.remove(w);
        }
        return null;
    }

    /**
     * How many permits one call reserves at most: the permits the fleet's rate yields within one
     * bounded wait, shared among the live processes, so every process's reservations reach about
     * as far ahead and each gets its turn (first come, first served in Redis).
     */
    private int batch() {
        double perWait = fleetRate.get().rate() * redisTimeout.toNanos() / 1e9;
        return (int) Math.max(1, Math.floor(perWait / Math.max(1, live.get())));
    }

    private void takeFor(Scheduler scheduler) {
        int wanted = Math.max(1, Math.min(waiting.get(), batch()));
        FleetRate known = fleetRate.get();
        long sent = WatchEngine.nanoTime(scheduler);
        // 0: waiting for the answer; 1: answered in time; 2: timed out (a late answer gives its permits back).
        AtomicInteger state = new AtomicInteger();
        CompletableFuture<FleetStore.Grant> call = store.take(known, wanted);
        Disposable timer = schedule(scheduler, () -> {
            if (state.compareAndSet(0, 2)) {
                takeFailed(new TimeoutException("Redis did not answer within " + redisTimeout.toMillis() + " ms"));
            }
        }, redisTimeout.toNanos());
        call.whenComplete((grant, error) -> {
            if (state.compareAndSet(0, 1)) {
                timer.dispose();
                if (error != null) {
                    takeFailed(error);
                } else {
                    granted(grant, wanted, scheduler, sent);
                }
            } else if (grant != null && grant.granted() > 0) {
                // The take ran in Redis after the budget stopped waiting for it: the fleet gets its permits back.
                store.giveBack(grant.current(), grant.granted());
            }
        });
    }

    private void takeFailed(Throwable error) {
        fallBack(error, true);
        pumping.set(false);
        pump();
    }

    private void granted(FleetStore.Grant grant, int wanted, Scheduler scheduler, long sent) {
        long now = WatchEngine.nanoTime(scheduler);
        long trip = Math.max(0, now - sent);
        roundTrip.accumulateAndGet(trip, (old, fresh) -> old < 0 ? fresh : (3 * old + fresh) / 4);
        if (trip > redisTimeout.toNanos() / 2) {
            events.slow();
            if (warnedSlow.compareAndSet(false, true)) {
                log.warn("Fleet budget {}: a round trip to Redis took {} ms, over half the {} ms it may take before the"
                        + " budget falls back; the fleet's permits still come on time, but Redis or the network is slow",
                        description, TimeUnit.NANOSECONDS.toMillis(trip), redisTimeout.toMillis());
            }
        }
        adopt(grant.current());
        live.set(Math.max(1, grant.live()));
        lastRefresh.set(now);
        long lastDue = 0;
        int handed = 0;
        for (; handed < grant.granted(); handed++) {
            Waiter w = liveHead();
            if (w == null) {
                break;
            }
            lastDue = grant.dueNanos(handed);
            if (!w.grant(new FleetPermit(w.scheduler, grant.current().version()), lastDue)) {
                handed--;   // gone between the look and the grant: the next one takes it
            }
        }
        if (handed < grant.granted()) {
            store.giveBack(grant.current(), grant.granted() - handed);   // nobody left to use them
        }
        if (lastDue > 0 || grant.granted() < wanted) {
            lastHeldBack.set(now);
        }
        long next;
        if (grant.granted() == 0) {
            // Nothing could be reserved: ask again once the bucket has room for one.
            double room = grant.tokensAfter() + grant.current().rate() * LettuceFleetStore.MAX_AHEAD.toSeconds();
            next = now + (long) Math.max(TimeUnit.MILLISECONDS.toNanos(1), (1 - room) / grant.current().rate() * 1e9);
        } else {
            // Ask again a round trip (and a margin) before the last reserved permit is due.
            long lead = Math.min(redisTimeout.toNanos(), 2 * Math.max(0, roundTrip.get()) + LEAD_MARGIN_NANOS);
            next = now + Math.max(0, lastDue - lead);
        }
        nextTake.set(next);
        pumping.set(false);
        pump();
    }
    // ---- the fleet's rate ----

    private void cut(Scheduler scheduler, long grantedAt) {
        change(FleetStore.Change.CUT, scheduler, CHANGE_ATTEMPTS, grantedAt);
    }

    /**
     * A raise is proposed at most once per window, and only while the fleet's rate is what holds
     * this process back (someone waits, or waited within the window): an idle fleet learns
     * nothing about the account's headroom and must not drift up to the ceiling.
     */
    private void maybeRaise(Scheduler scheduler) {
        long now = WatchEngine.nanoTime(scheduler);
        long window = rules.window().toNanos();
        long heldBack = lastHeldBack.get();
        boolean limited = waiting.get() > 0 || (heldBack != Long.MIN_VALUE && now - heldBack < window);
        long last = lastRaise.get();
        if (!limited || rules.atMax(fleetRate.get().rate()) || (last != Long.MIN_VALUE && now - last < window)
                || !lastRaise.compareAndSet(last, now)) {
            return;
        }
        change(FleetStore.Change.RAISE, scheduler, CHANGE_ATTEMPTS, Long.MAX_VALUE);
    }

    /** @param grantedAt for a cut, the version of the fleet's rate the throttled permit was granted under */
    private void change(FleetStore.Change change, Scheduler scheduler, int attemptsLeft, long grantedAt) {
        FleetRate known = fleetRate.get();
        double proposed = change == FleetStore.Change.CUT ? rules.cut(known.rate()) : rules.raise(known);
        bounded(store.change(change, known, proposed, grantedAt), scheduler).subscribe(decision -> {
            adopt(decision.current());
            live.set(Math.max(1, decision.live()));
            switch (decision.outcome()) {
                case APPLIED -> {
                    log.debug("Fleet budget {}: {} to {}/s", description, change == FleetStore.Change.CUT ? "cut" : "raised",
                            decision.current().rate());
                    if (change == FleetStore.Change.CUT) {
                        cutsWon.incrementAndGet();
                        events.cut();
                    } else {
                        events.raised();
                    }
                }
                case STALE -> {
                    if (attemptsLeft > 1) {
                        change(change, scheduler, attemptsLeft - 1, grantedAt);
                    }
                }
                default -> { }
            }
        }, error -> fallBack(error, true));
    }

    /**
     * Connects and reads the fleet's rate without waiting. Until Redis first answers (a cold JVM
     * takes longer than {@code redisTimeout} to open its first connection), permits come from the
     * local budget, quietly; a process that joins learns the fleet's rate before it uses it.
     */
    void start() {
        Scheduler scheduler = reactor.core.scheduler.Schedulers.parallel();
        onRedis.set(false);
        probing.set(true);
        lastProbe.set(WatchEngine.nanoTime(scheduler));
        store.connect();
        FleetRate known = fleetRate.get();
        Mono.fromFuture(store.change(FleetStore.Change.READ, known, known.rate()), false)
                .timeout(FIRST_CONNECT_TIMEOUT, scheduler)
                .subscribe(decision -> {
                    adopt(decision.current());
                    live.set(Math.max(1, decision.live()));
                    onRedis.set(true);
                    probing.set(false);
                    log.info("Fleet budget {}: on Redis, the fleet's rate is {}/s", description, fleetRate.get().rate());
                }, error -> {
                    probing.set(false);
                    log.warn("Fleet budget {}: Redis is not reachable ({}); using the local budget until it answers",
                            description, secrets.scrub(error));
                    events.fellBack();
                });
    }

    /** Re-reads the rate others may have changed, at most once per second, while on Redis. */
    private void refresh(Scheduler scheduler, long now) {
        long last = lastRefresh.get();
        if ((last == Long.MIN_VALUE || now - last >= REFRESH_NANOS) && lastRefresh.compareAndSet(last, now)) {
            FleetRate known = fleetRate.get();
            bounded(store.change(FleetStore.Change.READ, known, known.rate()), scheduler)
                    .subscribe(decision -> {
                        adopt(decision.current());
                        live.set(Math.max(1, decision.live()));
                    }, error -> fallBack(error, true));
        }
    }

    /** Keeps the newest version seen: versions only grow, in Redis and here. */
    private void adopt(FleetRate current) {
        fleetRate.accumulateAndGet(current, (mine, theirs) -> theirs.version() > mine.version() ? theirs : mine);
    }

    // ---- falling back and coming back ----

    private void fallBack(Throwable error, boolean log) {
        if (onRedis.compareAndSet(true, false)) {
            lastProbe.set(Long.MIN_VALUE);
            nextTake.set(Long.MIN_VALUE);
            if (givenFallback == null) {
                RequestBudget old = fallback.getAndSet(freshFallback());
                retiredCuts.addAndGet(old.cuts());
            }
            if (log) {
                RedisBudget.log.warn("Fleet budget {}: Redis failed or took over {} ms ({}); using the local budget"
                        + " until it answers again", description, redisTimeout.toMillis(), secrets.scrub(error));
                events.fellBack();
            }
            pump();   // hands the waiters over to the fallback, in order
        }
    }

    /** While on the fallback: asks Redis again, at most once per retry interval. */
    private void probe(Scheduler scheduler, long now) {
        long last = lastProbe.get();
        if (last != Long.MIN_VALUE && now - last < retryNanos) {
            return;
        }
        if (!lastProbe.compareAndSet(last, now)) {
            return;
        }
        if (last == Long.MIN_VALUE) {
            return;   // the first call after falling back only starts the interval
        }
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        FleetRate known = fleetRate.get();
        bounded(store.change(FleetStore.Change.READ, known, known.rate()), scheduler).subscribe(decision -> {
            adopt(decision.current());
            probing.set(false);
            if (onRedis.compareAndSet(false, true)) {
                log.info("Fleet budget {}: Redis answers again; back on the fleet's bucket at {}/s", description,
                        fleetRate.get().rate());
                events.returned();
            }
        }, error -> probing.set(false));
    }

    private <T> Mono<T> bounded(CompletableFuture<T> future, Scheduler scheduler) {
        // fromFuture with suppressCancel false: a wait that times out cancels the future.
        return Mono.fromFuture(future, false).timeout(redisTimeout, scheduler);
    }

    /**
     * The budget this process falls back to (unless the application gave its own): this
     * process's share of the fleet's last known rate, the rate divided by the live processes,
     * with a burst no larger than a second of it, so N processes losing Redis together go on at
     * about the fleet's rate instead of N times the initial rate plus N bursts.
     */
    private RequestBudget freshFallback() {
        AdaptiveBudgetConfig config = rules.config();
        double share = Math.min(config.maxRate(), fleetRate.get().rate() / Math.max(1, live.get()));
        try {
            return RequestBudget.adaptive(config.toBuilder()
                    .initialRate(share)
                    .minRate(Math.min(config.minRate(), share))
                    .burst((int) Math.max(1, Math.min(config.burst(), Math.ceil(share))))
                    .slowStart(false)
                    .build());
        } catch (IllegalArgumentException unusable) {
            // A share the settings cannot express (never expected): the waiters must still be served.
            return RequestBudget.adaptive(config);
        }
    }

    private static Disposable schedule(Scheduler scheduler, Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // The watcher's scheduler is shut down: nobody is left to serve.
            task.run();
            return Disposables.disposed();
        }
    }

    /** Signals a waiter to take its permit from the fallback instead. */
    private static final class FellBack extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final FellBack INSTANCE = new FellBack();

        private FellBack() {
            super("fell back to the local budget", null, false, false);
        }
    }

    /** One acquisition waiting in this process's queue. */
    private final class Waiter {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int DONE = 2;

        final MonoSink<Permit> sink;
        final Scheduler scheduler;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        Waiter(MonoSink<Permit> sink, Scheduler scheduler) {
            this.sink = sink;
            this.scheduler = scheduler;
        }

        boolean isWaiting() {
            return state.get() == WAITING;
        }

        /** Hands over {@code permit} on the waiter's scheduler when it is due; false if the waiter had gone. */
        boolean grant(FleetPermit permit, long dueNanos) {
            if (!state.compareAndSet(WAITING, GRANTED)) {
                return false;
            }
            waiting.decrementAndGet();
            queue.remove(this);
            schedule(scheduler, () -> {
                if (state.compareAndSet(GRANTED, DONE)) {
                    sink.success(permit);
                }
            }, dueNanos);
            return true;
        }

        void fellBack() {
            if (state.compareAndSet(WAITING, DONE)) {
                waiting.decrementAndGet();
                // A failed take is heard on Lettuce's I/O thread: the waiter (and the request it
                // sends with the fallback's permit) goes on on its own scheduler, as a grant does.
                schedule(scheduler, () -> sink.error(FellBack.INSTANCE), 0);
            }
        }

        void cancel() {
            if (state.compareAndSet(WAITING, DONE)) {
                waiting.decrementAndGet();
                queue.remove(this);
            } else if (state.compareAndSet(GRANTED, DONE)) {
                // Cancelled between the reservation and its delivery: the permit goes back.
                store.giveBack(fleetRate.get(), 1);
            }
        }
    }

    /** A permit from the fleet's bucket: its outcome steers the fleet's rate. */
    final class FleetPermit implements Permit {
        private final Scheduler scheduler;
        /** The version of the fleet's rate this permit was reserved under: a cut since then already answered it. */
        private final long grantedAt;
        private final AtomicBoolean reported = new AtomicBoolean();

        FleetPermit(Scheduler scheduler, long grantedAt) {
            this.scheduler = scheduler;
            this.grantedAt = grantedAt;
        }

        @Override
        public void onThrottled() {
            if (reported.compareAndSet(false, true) && onRedis.get()) {
                cut(scheduler, grantedAt);
            }
        }

        /** A real answer: the account had room for the request; may raise the fleet's rate. */
        @Override
        public void onAnswered() {
            if (reported.compareAndSet(false, true) && onRedis.get()) {
                maybeRaise(scheduler);
            }
        }

        /**
         * A 5xx answer, an I/O failure, a timeout or a cancellation: says nothing about the
         * account's quota, so the fleet's rate neither rises nor falls.
         */
        @Override
        public void onUnanswered() {
            reported.set(true);
        }
    }

    /** Removes what must never be shown (the URI's password) from error descriptions. */
    static final class Secrets {
        static final Secrets NONE = new Secrets(null);
        private final String password;

        Secrets(String password) {
            this.password = password == null || password.isEmpty() ? null : password;
        }

        String scrub(Throwable error) {
            String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            return password == null ? text : text.replace(password, "***");
        }

        @Override
        public String toString() {
            return "Secrets[***]";
        }
    }

    /**
     * Builds a {@link RedisBudget}; every setting is checked when set, and {@link #build()} checks
     * that the key was given. Not thread-safe.
     */
    public static final class Builder {
        private final RedisClient client;
        private final RedisURI uri;
        private final Secrets secrets;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private String account;
        private String region;
        private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;
        private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
        private FleetRules rules = FleetRules.from(AdaptiveBudgetConfig.defaults());
        private RequestBudget fallback;
        private MeterRegistry meterRegistry;

        private Builder(RedisClient client, String uri) {
            this.client = client;
            this.uri = RedisUris.parse(uri);
            this.secrets = new Secrets(password(uri));
        }

        private Builder(RedisClient client, RedisURI uri) {
            this.client = client;
            this.uri = uri;
            this.secrets = Secrets.NONE;   // Lettuce never puts a password into its messages; ours never print one
        }

        /**
         * The AWS account and Region whose quota the budget guards: one bucket each.
         *
         * @param account the AWS account ID that owns the quota
         * @param region the AWS Region, e.g. {@code eu-west-1}
         * @return this builder
         * @throws IllegalArgumentException if either is empty or holds spaces or braces
         */
        public Builder key(String account, String region) {
            new FleetKey(keyPrefix, account, region);   // validates
            this.account = account;
            this.region = region;
            return this;
        }

        /**
         * The prefix of the budget's Redis keys (default {@value #DEFAULT_KEY_PREFIX}): give each
         * application its own if they should not share a budget.
         *
         * @param prefix the prefix of the budget's Redis keys
         * @return this builder
         * @throws IllegalArgumentException if empty or holding spaces or braces
         */
        public Builder keyPrefix(String prefix) {
            new FleetKey(prefix, "a", "r");   // validates
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * How long any Redis request may take before the budget falls back (default 250 ms).
         *
         * @param timeout the bound on every wait for Redis
         * @return this builder
         * @throws IllegalArgumentException if not between 1 ms and 10 s
         * @throws NullPointerException if {@code timeout} is null
         */
        public Builder redisTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "redisTimeout must not be null");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("redisTimeout must be between 1 ms and 10 s, got " + timeout);
            }
            this.redisTimeout = timeout;
            return this;
        }

        /**
         * How often a budget on its fallback tries Redis again (default 1 s).
         *
         * @param interval the pause between attempts to reach Redis again
         * @return this builder
         * @throws IllegalArgumentException if not between 10 ms and 1 min
         * @throws NullPointerException if {@code interval} is null
         */
        public Builder retryInterval(Duration interval) {
            Objects.requireNonNull(interval, "retryInterval must not be null");
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("retryInterval must be between 10 ms and 1 min, got " + interval);
            }
            this.retryInterval = interval;
            return this;
        }

        /**
         * The adaptive rules the fleet follows, the same as a local budget's (default
         * {@link AdaptiveBudgetConfig#defaults()}), and the settings of the default fallback (which
         * starts at this process's share of the fleet's last known rate).
         * The fleet's bucket is the whole account's: {@code maxRate} can be a little under the
         * account's quota (0.9 x: 90/s for GetOperation's 100/s) where nothing else uses it.
         *
         * @param config the adaptive settings
         * @return this builder
         * @throws NullPointerException if {@code config} is null
         */
        public Builder adaptive(AdaptiveBudgetConfig config) {
            this.rules = FleetRules.from(Objects.requireNonNull(config, "config must not be null"));
            return this;
        }

        /**
         * The budget that serves permits while Redis is away (default: a local adaptive budget
         * with the same settings, starting at this process's share of the fleet's last known
         * rate). Give the watcher's own budget to keep one local queue.
         *
         * @param fallback the budget used while Redis is away
         * @return this builder
         * @throws NullPointerException if {@code fallback} is null
         */
        public Builder fallback(RequestBudget fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback must not be null");
            return this;
        }

        /**
         * Publishes the budget's meters (see {@link RedisBudget}'s class documentation) to {@code registry}.
         *
         * @param registry where the meters are registered
         * @return this builder
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry must not be null");
            return this;
        }

        Builder rules(FleetRules rules) {
            this.rules = Objects.requireNonNull(rules);
            return this;
        }

        /**
         * Builds the budget and starts connecting without waiting for it, so an application
         * starts even while Redis is down (on the fallback).
         *
         * @return a new budget, connecting in the background
         * @throws IllegalStateException if {@link #key} was not given
         */
        public RedisBudget build() {
            if (account == null) {
                throw new IllegalStateException("key(account, region) must be given: the budget is per AWS account and Region");
            }
            FleetKey key = new FleetKey(keyPrefix, account, region);
            RedisURI target = uri;
            // A client of the budget's own, even beside an application's (sharing its threads and
            // event loops, and its options but these two): a connection's options are fixed when
            // it opens, and Lettuce's defaults would queue takes and give-backs while Redis is
            // away and run them, stale, after it comes back.
            RedisClient redis = client == null ? RedisClient.create() : RedisClient.create(client.getResources());
            ClientOptions base = client == null ? ClientOptions.create() : client.getOptions();
            redis.setOptions(base.mutate()
                    // Fail at once while disconnected instead of queueing: the fallback serves.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    // No command timeout of Lettuce's: the budget bounds its own waits, and a
                    // take that ran after the wait must still deliver its answer, to be given back.
                    .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                    .build());
            String description = RedisUris.describe(target) + " " + key;
            // The budget's client is always its own to shut down: shared resources stay the application's.
            FleetStore store = new LettuceFleetStore(redis, target, true, key, rules);
            store.connect();
            MeterRegistry registry = meterRegistry;
            // Without a fallback of the application's, the budget keeps its own: its share of the fleet's rate.
            RedisBudget budget = new RedisBudget(store, rules, fallback, redisTimeout, retryInterval, description, secrets,
                    registry == null ? b -> FleetEvents.NONE : b -> new MicrometerFleetEvents(registry, key, b));
            budget.start();
            return budget;
        }

        private static String password(String uri) {
            int scheme = uri.indexOf("://");
            int at = uri.indexOf('@', scheme + 3);
            if (scheme < 0 || at < 0) {
                return null;
            }
            String userInfo = uri.substring(scheme + 3, at);
            int colon = userInfo.indexOf(':');
            return colon < 0 ? userInfo : userInfo.substring(colon + 1);
        }

        @Override
        public String toString() {
            return "RedisBudget.Builder[" + (uri == null ? "client" : RedisUris.describe(uri)) + "]";
        }
    }
}
