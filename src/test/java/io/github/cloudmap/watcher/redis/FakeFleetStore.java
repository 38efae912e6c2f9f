package io.github.cloudmap.watcher.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;

/**
 * The fleet's state in memory, with the semantics of {@link LettuceFleetStore#SCRIPT} and
 * Bucket4j's greedy bucket, on a (virtual) clock: for unit tests of {@link RedisBudget}. It can
 * be told to hang or to fail, as an unreachable or slow Redis does. Thread-safe (synchronized).
 */
final class FakeFleetStore implements FleetStore {

    enum Mode { UP, HANGING, FAILING }

    private final Scheduler clock;
    private final FleetRules rules;
    private FleetRate state;
    private long cutUntil = Long.MIN_VALUE;
    private long raiseUntil = Long.MIN_VALUE;
    private long configuredVersion = -1;
    private double tokens;
    private double capacity;
    private double ratePerNano;
    private long refilledAt;
    private volatile Mode mode = Mode.UP;
    final AtomicInteger takes = new AtomicInteger();
    final AtomicInteger givenBack = new AtomicInteger();
    final AtomicInteger applied = new AtomicInteger();

    FakeFleetStore(Scheduler clock, FleetRules rules) {
        this.clock = clock;
        this.rules = rules;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    synchronized FleetRate state() {
        return state;
    }

    synchronized double tokens() {
        refill();
        return tokens;
    }

    private long now() {
        return clock.now(TimeUnit.NANOSECONDS);
    }

    private <T> CompletableFuture<T> answer(java.util.function.Supplier<T> body) {
        return switch (mode) {
            case HANGING -> new CompletableFuture<>();
            case FAILING -> CompletableFuture.failedFuture(new java.io.IOException("Connection refused"));
            case UP -> CompletableFuture.completedFuture(body.get());
        };
    }

    @Override
    public CompletableFuture<Long> tryTake(FleetRate rate) {
        return answer(() -> {
            synchronized (this) {
                takes.incrementAndGet();
                configure(rate);
                refill();
                if (tokens >= 1) {
                    tokens -= 1;
                    return 0L;
                }
                return Math.max(1L, (long) Math.ceil((1 - tokens) / ratePerNano));
            }
        });
    }

    @Override
    public CompletableFuture<Void> giveBack(FleetRate rate) {
        return answer(() -> {
            synchronized (this) {
                givenBack.incrementAndGet();
                refill();
                tokens = Math.min(capacity, tokens + 1);
                return null;
            }
        });
    }

    /** Bucket4j's implicit replacement: a higher version replaces the configuration, tokens as they are. */
    private void configure(FleetRate rate) {
        if (rate.version() > configuredVersion || configuredVersion < 0) {
            boolean fresh = configuredVersion < 0;
            refill();
            configuredVersion = rate.version();
            capacity = rules.burst();
            ratePerNano = rate.rate() / 1e9;
            tokens = fresh ? capacity : Math.min(tokens, capacity);
            refilledAt = now();
        }
    }

    private void refill() {
        long now = now();
        if (configuredVersion >= 0) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerNano);
        }
        refilledAt = now;
    }

    @Override
    public CompletableFuture<Decision> change(Change change, FleetRate known, double proposed) {
        return answer(() -> {
            synchronized (this) {
                if (state == null || known.version() > state.version()) {
                    state = known;
                }
                long now = now();
                Outcome outcome = Outcome.READ;
                if (change == Change.CUT) {
                    outcome = now < cutUntil ? Outcome.MARKED : state.version() != known.version() ? Outcome.STALE
                            : Outcome.APPLIED;
                    if (outcome == Outcome.APPLIED) {
                        cutUntil = now + rules.window().toNanos();
                    }
                } else if (change == Change.RAISE) {
                    outcome = now < cutUntil || now < raiseUntil ? Outcome.MARKED
                            : state.version() != known.version() ? Outcome.STALE : Outcome.APPLIED;
                    if (outcome == Outcome.APPLIED) {
                        raiseUntil = now + rules.window().toNanos();
                    }
                }
                if (outcome == Outcome.APPLIED) {
                    applied.incrementAndGet();
                    state = change == Change.CUT ? state.cutTo(proposed) : state.raisedTo(proposed);
                }
                return new Decision(outcome, state);
            }
        });
    }

    @Override
    public void close() { }
}
