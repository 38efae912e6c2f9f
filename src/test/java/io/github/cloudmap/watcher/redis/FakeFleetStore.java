package io.github.cloudmap.watcher.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;

/**
 * The fleet's state in memory, with the semantics of {@link LettuceFleetStore#SCRIPT} on a
 * (virtual) clock that stands for Redis's own: for unit tests of {@link RedisBudget}. It can be
 * told to hang or to fail, as an unreachable or slow Redis does, and to report more live
 * processes than the test runs. Thread-safe (synchronized).
 */
final class FakeFleetStore implements FleetStore {

    enum Mode { UP, HANGING, FAILING }

    private final Scheduler clock;
    private final FleetRules rules;
    private FleetRate state;
    private long cutUntil = Long.MIN_VALUE;
    private long raiseUntil = Long.MIN_VALUE;
    private long cutVersion = -1;
    private double tokens = Double.NaN;
    private long refilledAt;
    private volatile Mode mode = Mode.UP;
    private volatile int otherProcesses;
    private final Map<Object, Long> seen = new HashMap<>();
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

    /** Processes the store reports live besides those that call it. */
    void otherProcesses(int n) {
        this.otherProcesses = n;
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

    /** What every script call does first: restore what the caller knows if newer, refill, count the caller. */
    private void enter(FleetRate known) {
        if (state == null || known.version() > state.version()) {
            state = known;
        }
        refill();
        seen.put(Thread.currentThread(), now());
    }

    private int live() {
        return 1 + otherProcesses;
    }

    private double burst() {
        return rules.burst();
    }

    private void refill() {
        long now = now();
        if (Double.isNaN(tokens)) {
            tokens = burst();
        } else if (state != null && now > refilledAt) {
            tokens = Math.min(burst(), tokens + (now - refilledAt) * state.rate() / 1e9);
        }
        refilledAt = now;
    }

    @Override
    public CompletableFuture<Grant> take(FleetRate known, int wanted) {
        return answer(() -> {
            synchronized (this) {
                takes.incrementAndGet();
                enter(known);
                double before = tokens;
                long room = (long) Math.floor(tokens + state.rate() * LettuceFleetStore.MAX_AHEAD.toSeconds());
                int granted = (int) Math.max(0, Math.min(wanted, room));
                tokens -= granted;
                return new Grant(state, granted, before, live());
            }
        });
    }

    @Override
    public CompletableFuture<Void> giveBack(FleetRate known, int permits) {
        return answer(() -> {
            synchronized (this) {
                givenBack.addAndGet(permits);
                enter(known);
                tokens = Math.min(burst(), tokens + permits);
                return null;
            }
        });
    }

    @Override
    public CompletableFuture<Decision> change(Change change, FleetRate known, double proposed, long grantedAt) {
        return answer(() -> {
            synchronized (this) {
                enter(known);
                long now = now();
                Outcome outcome = Outcome.READ;
                if (change == Change.CUT) {
                    outcome = now < cutUntil || grantedAt < cutVersion ? Outcome.MARKED
                            : state.version() != known.version() ? Outcome.STALE : Outcome.APPLIED;
                    if (outcome == Outcome.APPLIED) {
                        cutUntil = now + rules.window().toNanos();
                        tokens = Math.min(tokens, 0);
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
                    if (change == Change.CUT) {
                        cutVersion = state.version();
                    }
                }
                return new Decision(outcome, state, live());
            }
        });
    }

    @Override
    public void close() { }
}
