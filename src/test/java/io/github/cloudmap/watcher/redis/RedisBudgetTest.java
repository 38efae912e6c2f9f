package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.RequestBudget.Permit;
import io.github.cloudmap.watcher.redis.FakeFleetStore.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The fleet budget's rules in virtual time, over an in-memory store with Redis's semantics:
 * pacing, one cut per throttle event for the whole fleet, additive recovery, FIFO, cancellation,
 * and the fallback when Redis hangs or fails. The store's atomicity itself is checked against a
 * real Redis in {@link LettuceFleetStoreIT}.
 */
class RedisBudgetTest {

    private static final FleetRules RULES = new FleetRules(2, 0.5, 4, 1, 0.5, Duration.ofSeconds(1), 2, false);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final FakeFleetStore store = new FakeFleetStore(time, RULES);
    private final CountingBudget local = new CountingBudget();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private RedisBudget budget(FakeFleetStore store) {
        FleetKey key = new FleetKey("test", "123456789012", "eu-west-1");
        return new RedisBudget(store, RULES, local, Duration.ofMillis(250), Duration.ofSeconds(1), "test " + key,
                RedisBudget.Secrets.NONE, b -> new MicrometerFleetEvents(meters, key, b));
    }

    /** Acquires on the virtual clock and records when each permit came. */
    private static final class Grants {
        final List<Long> millis = new CopyOnWriteArrayList<>();
        final List<Permit> permits = new CopyOnWriteArrayList<>();
        final List<Disposable> subscriptions = new ArrayList<>();
        private int answered;

        /** Reports every permit received since the last call as answered. */
        void answerNew() {
            while (answered < permits.size()) {
                permits.get(answered++).onAnswered();
            }
        }

        Grants acquire(RequestBudget budget, Scheduler time, int n) {
            for (int i = 0; i < n; i++) {
                subscriptions.add(budget.acquire(time).subscribe(p -> {
                    millis.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
                    permits.add(p);
                }));
            }
            return this;
        }
    }

    @Test
    void grantsPermitsAtTheFleetRateOnlyWhenSubscribed() {
        RedisBudget budget = budget(store);
        Mono<Permit> lazy = budget.acquire(time);
        assertThat(store.takes).as("lazy: nothing taken before subscription").hasValue(0);

        Grants grants = new Grants().acquire(budget, time, 4);
        time.advanceTimeBy(Duration.ofSeconds(2));

        // A full bucket holds one second at 2/s; then one permit each 1/2 s.
        assertThat(grants.millis).containsExactly(0L, 0L, 500L, 1000L);
        assertThat(budget.waiting()).isZero();
        assertThat(lazy).isNotNull();
    }

    @Test
    void servesWaitersInTheOrderTheyCame() {
        RedisBudget budget = budget(store);
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            budget.acquire(time).subscribe(p -> order.add(n));
        }
        time.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aCancelledWaitTakesNoPermit() {
        RedisBudget budget = budget(store);
        new Grants().acquire(budget, time, 2);   // empties the bucket
        Grants late = new Grants().acquire(budget, time, 1);
        assertThat(late.permits).as("reserved in Redis, due in 1/2 s").isEmpty();

        late.subscriptions.get(0).dispose();
        assertThat(store.givenBack).as("the reserved permit goes back to the fleet").hasValue(1);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(late.permits).isEmpty();
        assertThat(store.tokens()).as("the refilled bucket still holds what the cancelled wait did not take")
                .isGreaterThanOrEqualTo(1.99);
    }

    @Test
    void threeProcessesThrottledAtOnceCutTheFleetRateOnce() {
        List<RedisBudget> fleet = List.of(budget(store), budget(store), budget(store));
        List<Grants> grants = fleet.stream().map(b -> new Grants().acquire(b, time, 1)).toList();
        time.advanceTimeBy(Duration.ofSeconds(1));
        List<Permit> permits = grants.stream().flatMap(g -> g.permits.stream()).toList();
        assertThat(permits).hasSize(3);

        permits.forEach(Permit::onThrottled);
        permits.forEach(Permit::onThrottled);   // a second report of the same permit is ignored

        assertThat(store.state()).isEqualTo(new FleetRate(1, 1, false, 2));
        assertThat(store.applied).hasValue(1);
        assertThat(fleet.stream().mapToLong(RedisBudget::cuts).sum()).isEqualTo(1);
        assertThat(fleet).allSatisfy(b -> assertThat(b.currentRate()).isEqualTo(1.0));
        assertThat(meters.counter("cloudmap.watcher.budget.redis.cuts", "account", "123456789012", "region", "eu-west-1")
                .count()).isEqualTo(1);
    }

    @Test
    void aThrottleAfterTheCutWindowCutsAgainDownToTheMinimum() {
        RedisBudget budget = budget(store);
        for (double expected : new double[] {1, 0.5, 0.5}) {
            Grants g = new Grants().acquire(budget, time, 1);
            time.advanceTimeBy(Duration.ofSeconds(3));
            g.permits.get(0).onThrottled();
            assertThat(budget.currentRate()).isEqualTo(expected);
        }
    }

    @Test
    void aThrottleOfAPermitReservedBeforeTheLastCutDoesNotCutTheFleetAgainHoweverLateItComes() {
        // Found by the limits sweep (docs/scale.md): at 0.5/s the throttles of one volley arrived
        // over several windows and cut the fleet to a quarter of the quota.
        RedisBudget a = budget(store);
        RedisBudget b = budget(store);
        Grants early = new Grants().acquire(a, time, 2).acquire(b, time, 1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(early.permits).hasSize(3);
        early.permits.get(0).onThrottled();
        assertThat(store.state().rate()).isEqualTo(1.0);
        for (Permit late : early.permits.subList(1, 3)) {
            time.advanceTimeBy(Duration.ofSeconds(3));
            late.onThrottled();
        }
        assertThat(store.state().rate()).as("one cut for the one volley, in every process").isEqualTo(1.0);
        Grants after = new Grants().acquire(b, time, 1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        after.permits.get(0).onThrottled();
        assertThat(store.state().rate()).as("a permit reserved at the new rate and throttled cuts again").isEqualTo(0.5);
    }

    @Test
    void theFleetRateRecoversAdditivelyOnceAnIntervalWhateverTheNumberOfProcesses() {
        List<RedisBudget> fleet = List.of(budget(store), budget(store), budget(store));
        Grants first = new Grants().acquire(fleet.get(0), time, 1);
        first.permits.get(0).onThrottled();
        assertThat(store.state().rate()).isEqualTo(1.0);

        // Every process keeps asking for more than the fleet's rate grants, and hears answers;
        // the fleet gains one step per quiet window, not one per process.
        List<Double> rates = new ArrayList<>();
        List<Grants> demand = fleet.stream().map(b -> new Grants()).toList();
        for (int second = 1; second <= 5; second++) {
            for (int i = 0; i < fleet.size(); i++) {
                demand.get(i).acquire(fleet.get(i), time, 3);
            }
            time.advanceTimeBy(Duration.ofSeconds(1));
            demand.forEach(Grants::answerNew);
            rates.add(store.state().rate());
        }
        // One raise of the shared RateRule per quiet window, from the rate before the cut: not one
        // per process (three processes would climb three times as fast).
        io.github.cloudmap.watcher.internal.RateRule rule = new io.github.cloudmap.watcher.internal.RateRule(RULES.config());
        List<Double> expected = new ArrayList<>();
        double rate = 1.0;
        for (int window = 1; window <= 5; window++) {
            rate = rule.raise(rate, store.state().beforeCut(), false);
            expected.add(rate);
        }
        assertThat(rates).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(rates.get(i)).as("rate after window %d", i + 1).isCloseTo(expected.get(i), within(1e-9));
        }
    }

    @Test
    void theFleetClimbsByTheLocalBudgetsRuleFromTheRateBeforeTheLastCut() {
        RedisBudget budget = budget(store);
        Grants first = new Grants().acquire(budget, time, 1);
        time.advanceTimeBy(Duration.ofSeconds(1));
        first.permits.get(0).onThrottled();
        assertThat(store.state()).as("Redis keeps the rate before the cut").isEqualTo(new FleetRate(1, 1, false, 2));

        Grants demand = new Grants();
        for (int second = 1; second <= 3 && store.state().version() == 1; second++) {
            demand.acquire(budget, time, 4);
            time.advanceTimeBy(Duration.ofSeconds(1));
            demand.answerNew();
        }
        double expected = new io.github.cloudmap.watcher.internal.RateRule(RULES.config()).raise(1, 2, false);
        assertThat(store.state().rate()).as("the shared RateRule's raise, given the rate before the cut").isEqualTo(expected);
        assertThat(store.state().beforeCut()).isEqualTo(2.0);
    }

    @Test
    void anIdleFleetIsNotRaised() {
        RedisBudget budget = budget(store);
        for (int second = 1; second <= 5; second++) {
            Grants g = new Grants().acquire(budget, time, 1);   // one request a second: never held back
            time.advanceTimeBy(Duration.ofSeconds(1));
            g.permits.forEach(Permit::onAnswered);
        }
        assertThat(store.state().rate()).isEqualTo(2.0);
        assertThat(store.applied).hasValue(0);
    }

    @Test
    void slowStartDoublesTheFleetRateUntilTheFirstCut() {
        FleetRules slow = new FleetRules(1, 0.5, 64, 1, 0.5, Duration.ofSeconds(1), 2, true);
        FakeFleetStore slowStore = new FakeFleetStore(time, slow);
        RedisBudget budget = new RedisBudget(slowStore, slow, local, Duration.ofMillis(250), Duration.ofSeconds(1),
                "slow", RedisBudget.Secrets.NONE, b -> FleetEvents.NONE);
        List<Double> rates = new ArrayList<>();
        Grants demand = new Grants();
        for (int second = 1; second <= 4; second++) {
            demand.acquire(budget, time, 40);
            time.advanceTimeBy(Duration.ofSeconds(1));
            demand.answerNew();
            rates.add(slowStore.state().rate());
        }
        assertThat(rates).containsExactly(2.0, 4.0, 8.0, 16.0);
        demand.acquire(budget, time, 1);
        time.advanceTimeBy(Duration.ofSeconds(1));
        demand.permits.get(demand.permits.size() - 1).onThrottled();
        assertThat(slowStore.state()).extracting(FleetRate::rate, FleetRate::slowStart).containsExactly(8.0, false);
    }

    @Test
    void aHangingRedisFallsBackWithinItsBoundedWaitAndComesBack() {
        RedisBudget budget = budget(store);
        store.mode(Mode.HANGING);

        Grants grants = new Grants().acquire(budget, time, 3);
        time.advanceTimeBy(Duration.ofMillis(249));
        assertThat(grants.permits).isEmpty();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(grants.permits).as("served by the local budget after 250 ms").hasSize(3);
        assertThat(local.granted).hasValue(3);
        assertThat(budget.onRedis()).isFalse();
        assertThat(fallbacks()).isEqualTo(1);

        // While on the fallback, new permits come from it at once, without waiting on Redis.
        new Grants().acquire(budget, time, 1);
        assertThat(local.granted).hasValue(4);

        store.mode(Mode.UP);
        time.advanceTimeBy(Duration.ofSeconds(1));
        new Grants().acquire(budget, time, 1);   // due: probes Redis, which answers
        assertThat(budget.onRedis()).isTrue();
        assertThat(returns()).isEqualTo(1);
        Grants back = new Grants().acquire(budget, time, 1);
        assertThat(back.permits).hasSize(1);
        assertThat(local.granted).hasValue(5);
        assertThat(store.takes.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFailingRedisFallsBackAtOnceCountsItOnceAndProbesAtMostOncePerInterval() {
        RedisBudget budget = budget(store);
        store.mode(Mode.FAILING);
        for (int i = 0; i < 10; i++) {
            Grants g = new Grants().acquire(budget, time, 1);
            assertThat(g.permits).hasSize(1);
            time.advanceTimeBy(Duration.ofMillis(100));
        }
        assertThat(fallbacks()).isEqualTo(1);
        assertThat(returns()).isZero();
        assertThat(budget.onRedis()).isFalse();
        assertThat(budget.toString()).contains("on the local fallback");
    }

    @Test
    void aThrottleOnAFallbackPermitIsTheLocalBudgetsBusiness() {
        RedisBudget budget = budget(store);
        store.mode(Mode.FAILING);
        Grants g = new Grants().acquire(budget, time, 1);
        store.mode(Mode.UP);
        g.permits.get(0).onThrottled();
        assertThat(local.throttled).hasValue(1);
        assertThat(store.applied).hasValue(0);
    }

    @Test
    void anUnansweredRequestNeitherRaisesNorCutsTheFleetRate() {
        RedisBudget budget = budget(store);
        for (int second = 1; second <= 4; second++) {
            Grants g = new Grants().acquire(budget, time, 6);   // more than the rate: held back
            time.advanceTimeBy(Duration.ofSeconds(1));
            for (Permit p : g.permits) {
                ((RedisBudget.FleetPermit) p).onUnanswered();   // 5xx, I/O failure, timeout, cancellation
                p.onAnswered();   // a report after the first is ignored
            }
        }
        assertThat(store.applied).as("no raise and no cut").hasValue(0);
        assertThat(store.state().rate()).isEqualTo(2.0);
    }

    @Test
    void aProcessFallsBackToItsShareOfTheFleetRateWithoutABurst() {
        FleetRules rules = new FleetRules(40, 0.5, 40, 1, 0.5, Duration.ofSeconds(1), 20, false);
        FakeFleetStore fleet = new FakeFleetStore(time, rules);
        fleet.otherProcesses(3);   // four processes live
        RedisBudget budget = new RedisBudget(fleet, rules, null, Duration.ofMillis(250), Duration.ofMinutes(1), "herd",
                RedisBudget.Secrets.NONE, b -> FleetEvents.NONE);
        new Grants().acquire(budget, time, 1);   // learns the four live processes
        fleet.mode(Mode.FAILING);
        new Grants().acquire(budget, time, 1);   // falls back
        assertThat(budget.onRedis()).isFalse();

        Grants local = new Grants().acquire(budget, time, 100);
        time.advanceTimeBy(Duration.ofSeconds(10));
        // 40/s shared by 4: 10/s, a burst of at most a second of it; not 40/s and a burst of 20.
        assertThat(budget.currentRate()).isEqualTo(10.0);
        assertThat(local.permits.size()).as("permits in 10 s on the fallback").isBetween(95, 111);
        assertThat(local.millis.stream().filter(m -> m == local.millis.get(0)).count()).as("the burst")
                .isLessThanOrEqualTo(11);
    }

    @Test
    void aTakeThatAnswersAfterTheBoundedWaitGivesItsPermitsBack() {
        FleetStore late = new FleetStore() {
            final java.util.concurrent.CompletableFuture<Grant> answer = new java.util.concurrent.CompletableFuture<>();

            @Override
            public java.util.concurrent.CompletableFuture<Grant> take(FleetRate known, int wanted) {
                time.schedule(() -> answer.complete(new Grant(known, wanted, 10, 1)), 400,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                return answer;
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> giveBack(FleetRate known, int permits) {
                store.giveBack(known, permits);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Decision> change(Change change, FleetRate known, double proposed,
                    long grantedAt) {
                return store.change(change, known, proposed, grantedAt);
            }

            @Override
            public void close() { }
        };
        RedisBudget budget = new RedisBudget(late, RULES, local, Duration.ofMillis(250), Duration.ofSeconds(1), "late",
                RedisBudget.Secrets.NONE, b -> FleetEvents.NONE);
        Grants grants = new Grants().acquire(budget, time, 1);
        time.advanceTimeBy(Duration.ofMillis(250));
        assertThat(grants.permits).as("served by the fallback after the bounded wait").hasSize(1);
        assertThat(local.granted).hasValue(1);
        time.advanceTimeBy(Duration.ofMillis(200));
        assertThat(store.givenBack).as("the take ran in Redis after all: its permit is the fleet's again").hasValue(1);
    }

    @Test
    void aRedisErrorOnLettucesThreadHandsTheFallbackPermitOverOnTheWaitersScheduler() throws Exception {
        // Lettuce completes its futures on its event loop; a waiter served by the fallback after
        // a failed take must still get its permit on the scheduler it passed in, never on Redis's I/O thread.
        java.util.concurrent.ExecutorService ioThread = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "fake-lettuce-io"));
        Scheduler waiters = reactor.core.scheduler.Schedulers.newSingle("waiters");
        try {
            java.util.concurrent.CompletableFuture<FleetStore.Grant> answer = new java.util.concurrent.CompletableFuture<>();
            FleetStore failingLater = new FleetStore() {
                @Override
                public java.util.concurrent.CompletableFuture<Grant> take(FleetRate known, int wanted) {
                    return answer;
                }

                @Override
                public java.util.concurrent.CompletableFuture<Void> giveBack(FleetRate known, int permits) {
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }

                @Override
                public java.util.concurrent.CompletableFuture<Decision> change(Change change, FleetRate known,
                        double proposed, long grantedAt) {
                    return store.change(change, known, proposed, grantedAt);
                }

                @Override
                public void close() { }
            };
            RedisBudget budget = new RedisBudget(failingLater, RULES, local, Duration.ofSeconds(5),
                    Duration.ofSeconds(1), "io", RedisBudget.Secrets.NONE, b -> FleetEvents.NONE);

            java.util.concurrent.CompletableFuture<String> thread = budget.acquire(waiters)
                    .map(permit -> Thread.currentThread().getName()).toFuture();
            // The take is sent (and its answer awaited) while subscribing; Redis answers later, on its thread.
            ioThread.execute(() -> answer.completeExceptionally(
                    new IllegalStateException("READONLY You can't write against a read only replica.")));

            assertThat(thread.get(5, java.util.concurrent.TimeUnit.SECONDS)).startsWith("waiters");

            assertThat(local.granted).as("served by the fallback").hasValue(1);
        } finally {
            waiters.dispose();
            ioThread.shutdownNow();
        }
    }

    private double fallbacks() {
        return meters.counter("cloudmap.watcher.budget.redis.fallbacks", "account", "123456789012", "region",
                "eu-west-1").count();
    }

    private double returns() {
        return meters.counter("cloudmap.watcher.budget.redis.returns", "account", "123456789012", "region",
                "eu-west-1").count();
    }

    /** A local budget that grants at once and counts. */
    private static final class CountingBudget implements RequestBudget {
        final AtomicInteger granted = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();

        @Override
        public Mono<Permit> acquire(Scheduler scheduler) {
            return Mono.fromSupplier(() -> {
                granted.incrementAndGet();
                return new Permit() {
                    @Override
                    public void onThrottled() {
                        throttled.incrementAndGet();
                    }

                    @Override
                    public void onAnswered() { }
                };
            });
        }

        @Override
        public double currentRate() {
            return 7;
        }

        @Override
        public int waiting() {
            return 0;
        }
    }
}
