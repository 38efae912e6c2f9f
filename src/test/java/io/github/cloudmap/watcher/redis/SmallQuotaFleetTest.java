package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.SimulatedQuota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Three processes on one fleet budget at Cloud Map's smallest quotas, in virtual time, against a
 * budget tuned by hand to the quota. Found by the limits sweep (docs/scale.md): at 0.5/s the
 * fleet made 62 calls in 400 s where the quota allowed about 200, and one operation ran into its
 * deadline. The fleet's bucket started with a burst of 10 against an account bucket of 1; the
 * volley of throttles arrived over several cut windows and cut the rate three times, to a
 * quarter of the quota, from where the climb (scaled to the rate of the last cut) takes many
 * minutes.
 */
class SmallQuotaFleetTest {

    private static final int OPERATIONS = 50;
    private static final int PROCESSES = 3;

    /** Who shares the quota. */
    enum Mode {
        /** One process, a static budget at 0.9 x the quota (the scale harness's {@code watcher-tuned}). */
        TUNED,
        /** Three processes on one fleet budget whose ceiling and start are the quota. */
        FLEET,
        /** Three processes, each on its own default local budget (the harness's {@code watcher-split}). */
        SPLIT
    }

    @ParameterizedTest(name = "quota {0}/s")
    @ValueSource(doubles = {1.0, 0.5})
    void theFleetUsesTheQuotaItWasToldAndFinishesNearlyAsSoonAsATunedBudget(double quota) {
        long tunedMillis = run(quota, Mode.TUNED, OPERATIONS, AdaptiveBudgetConfig.DEFAULT_MIN_RATE).endMillis;
        Run fleet = run(quota, Mode.FLEET, OPERATIONS, AdaptiveBudgetConfig.DEFAULT_MIN_RATE);
        System.out.printf("SmallQuotaFleetTest %.1f/s: fleet %d calls (%d throttled, %d after 30 s of %d), last operation"
                + " done at %.0f s; tuned budget %.0f s; fleet rate at the end %.3f/s%n", quota, fleet.calls, fleet.throttled,
                fleet.steadyThrottled, fleet.steadyCalls, fleet.endMillis / 1e3, tunedMillis / 1e3, fleet.endRate);
        assertThat(fleet.ended).as("every watch ended").isEqualTo(OPERATIONS);
        assertThat((double) fleet.endMillis)
                .as("when the fleet saw its last operation end, against a budget tuned to 0.9 x the quota (%d ms)", tunedMillis)
                .isLessThanOrEqualTo(1.25 * tunedMillis);
        assertThat(100.0 * fleet.steadyThrottled / Math.max(1, fleet.steadyCalls))
                .as("throttled share after the first 30 s (%d of %d)", fleet.steadyThrottled, fleet.steadyCalls)
                .isLessThanOrEqualTo(5.0);
    }

    @ParameterizedTest(name = "quota {0}/s")
    @ValueSource(doubles = {5.0, 1.0, 0.5})
    void theFleetThrottlesAtMostHalfAsMuchAsThreeLocalBudgets(double quota) {
        int operations = (int) Math.max(OPERATIONS, 20 * quota);
        Run split = run(quota, Mode.SPLIT, operations, AdaptiveBudgetConfig.DEFAULT_MIN_RATE);
        Run fleet = run(quota, Mode.FLEET, operations, AdaptiveBudgetConfig.DEFAULT_MIN_RATE);
        System.out.printf("SmallQuotaFleetTest %.1f/s, %d operations: split %s; fleet %s%n", quota, operations, split, fleet);
        assertThat(split.ended).isEqualTo(operations);
        assertThat(fleet.ended).isEqualTo(operations);
        assertThat(split.throttled).as("three local budgets overshoot a small quota").isPositive();
        assertThat((double) fleet.throttled).as("throttles on one fleet budget against %d on three local ones", split.throttled)
                .isLessThanOrEqualTo(0.5 * split.throttled);
    }

    record Run(int ended, long endMillis, long calls, long throttled, long steadyCalls, long steadyThrottled,
            double endRate) {

        @Override
        public String toString() {
            return String.format("%d ended, the last at %.0f s, %d calls, %d throttled, after 30 s %d of %d (%.1f %%)",
                    ended, endMillis / 1e3, calls, throttled, steadyThrottled, steadyCalls,
                    100.0 * steadyThrottled / Math.max(1, steadyCalls));
        }
    }

    /**
     * The operations (2 to 20 s each, seed 42) over the processes of {@code mode}, against a
     * quota with a burst of twice its rate (at least 1), until all ended or 20 virtual minutes.
     *
     * @param minRate the local budgets' floor ({@link Mode#SPLIT} only)
     */
    static Run run(double quota, Mode mode, int operations, double minRate) {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        Random random = new Random(42);
        long[] doneAt = new long[operations];
        for (int i = 0; i < operations; i++) {
            doneAt[i] = 2_000 + random.nextInt(18_001);
        }
        SimulatedQuota server = new SimulatedQuota(clock, quota, Math.max(1, 2 * quota), doneAt, 30_000);
        List<OperationWatcher> watchers = new ArrayList<>();
        List<RequestBudget> budgets = new ArrayList<>();
        if (mode == Mode.FLEET) {
            // As docs/fleet.md advises and the scale harness does: the quota is the ceiling, and
            // the start, since it is below the default initial rate.
            AdaptiveBudgetConfig config = AdaptiveBudgetConfig.builder().maxRate(quota).initialRate(quota).build();
            FleetRules rules = FleetRules.from(config);
            FakeFleetStore store = new FakeFleetStore(clock, rules);
            store.otherProcesses(PROCESSES - 1);   // every call comes from this one thread
            for (int p = 0; p < PROCESSES; p++) {
                RedisBudget budget = new RedisBudget(store, rules, null, Duration.ofMillis(250), Duration.ofSeconds(1),
                        "fleet " + p, RedisBudget.Secrets.NONE, b -> FleetEvents.NONE);
                budgets.add(budget);
                watchers.add(OperationWatcher.builder(server).scheduler(clock).random(new Random(7 + p))
                        .pollBudget(budget).timeout(Duration.ofHours(1)).build());
            }
        } else if (mode == Mode.SPLIT) {
            for (int p = 0; p < PROCESSES; p++) {
                RequestBudget budget = RequestBudget.adaptive(AdaptiveBudgetConfig.builder().minRate(minRate).build());
                budgets.add(budget);
                watchers.add(OperationWatcher.builder(server).scheduler(clock).random(new Random(7 + p))
                        .pollBudget(budget).timeout(Duration.ofHours(1)).build());
            }
        } else {
            double tuned = 0.9 * quota;
            RequestBudget budget = RequestBudget.adaptive(AdaptiveBudgetConfig.builder().initialRate(tuned).minRate(tuned)
                    .maxRate(tuned).burst(1).slowStart(false).build());
            budgets.add(budget);
            watchers.add(OperationWatcher.builder(server).scheduler(clock).random(new Random(7)).pollBudget(budget)
                    .timeout(Duration.ofHours(1)).build());
        }
        AtomicInteger ended = new AtomicInteger();
        AtomicLong lastEnd = new AtomicLong();
        for (int i = 0; i < operations; i++) {
            watchers.get(i % watchers.size()).awaitTerminal("op-" + i).subscribe(o -> {
                ended.incrementAndGet();
                lastEnd.set(clock.now(TimeUnit.MILLISECONDS));
            }, e -> ended.incrementAndGet());
        }
        for (int s = 0; s < 1_200 && ended.get() < operations; s++) {
            clock.advanceTimeBy(Duration.ofSeconds(1));
        }
        long[] counts = server.counts();
        return new Run(ended.get(), lastEnd.get(), counts[0], counts[1], counts[2], counts[3], budgets.get(0).currentRate());
    }
}
