package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The simulation the budget's defaults were chosen from (not a CI test: run it with
 * {@code mvn -o test -Dtest=BudgetSimulationTest -Dbudget.sim=true}). In virtual time:
 * 100 operations per request/s of the limit (at least 50) lasting 2 to 20 s (seeded), all
 * watched at once by one watcher with its default poll schedule (jitter on, seeded), against a
 * server token bucket of 0.5, 1, 5, 25, 100 and 200 requests/s with a burst of twice that (at
 * least 1), answering at once. Prints calls per operation, the throttled share (in all, and of
 * the calls after the first 30 s) and the detection lag for the adaptive budget and for a fixed
 * budget tuned by hand to 90 % of each limit ({@code -Dbudget.sim.adaptiveOnly=true} skips it
 * and the unlimited one).
 */
@EnabledIfSystemProperty(named = "budget.sim", matches = "true")
class BudgetSimulationTest {

    private static final double[] LIMITS = {0.5, 1, 5, 25, 100, 200};
    private static final long STEADY_FROM_MILLIS = 30_000;

    @Test
    void simulate() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-34s %5s %6s %9s %9s %9s %8s %8s %8s %6s", "budget", "limit", "ops", "calls/op",
                "throttled", "after 30s", "p50 ms", "p99 ms", "max ms", "cuts"));
        String variants = System.getProperty("budget.sim.variants", "default");
        for (double limit : LIMITS) {
            lines.add(run("tuned (fixed 90%)", limit, () -> RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                    .initialRate(0.9 * limit).minRate(0.9 * limit).maxRate(0.9 * limit).burst(10).build())));
            if (Boolean.getBoolean("budget.sim.adaptiveOnly")) {
                lines.remove(lines.size() - 1);
            }
            for (String variant : variants.split(",")) {
                lines.add(run("adaptive " + variant, limit, () -> RequestBudget.adaptive(variant(variant))));
            }
            if (!Boolean.getBoolean("budget.sim.adaptiveOnly")) {
                lines.add(run("unlimited", limit, RequestBudget::unlimited));
            }
        }
        lines.forEach(System.out::println);
        assertThat(lines).hasSizeGreaterThan(1);
    }

    private static AdaptiveBudgetConfig variant(String spec) {
        AdaptiveBudgetConfig.Builder b = AdaptiveBudgetConfig.defaults().toBuilder();
        if (spec.equals("default")) {
            return b.build();
        }
        for (String kv : spec.split(";")) {
            if (kv.equals("default")) {
                continue;
            }
            String[] p = kv.split("=");
            double v = Double.parseDouble(p[1]);
            switch (p[0]) {
                case "init" -> b.initialRate(v);
                case "step" -> b.increaseStep(v);
                case "factor" -> b.decreaseFactor(v);
                case "window" -> b.cutWindow(Duration.ofMillis((long) v));
                case "burst" -> b.burst((int) v);
                case "slow" -> b.slowStart(v > 0);
                case "max" -> b.maxRate(v);
                case "min" -> b.minRate(v);
                default -> throw new IllegalArgumentException(kv);
            }
        }
        return b.build();
    }

    private static String run(String name, double limit, java.util.function.Supplier<RequestBudget> budgets) {
        int operations = operations(limit);
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        Random random = new Random(42);
        long[] doneAt = new long[operations];
        for (int i = 0; i < operations; i++) {
            doneAt[i] = 2_000 + random.nextInt(18_001);
        }
        SimulatedQuota server = new SimulatedQuota(clock, limit, Math.max(1, 2 * limit), doneAt, STEADY_FROM_MILLIS);
        RequestBudget budget = budgets.get();
        OperationWatcher watcher = OperationWatcher.builder(server).scheduler(clock).random(new Random(7))
                .pollBudget(budget).timeout(Duration.ofHours(1)).build();
        long[] lag = new long[operations];
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        for (int i = 0; i < operations; i++) {
            int op = i;
            watcher.awaitTerminal("op-" + i).subscribe(o -> {
                lag[op] = clock.now(TimeUnit.MILLISECONDS) - doneAt[op];
                finished.incrementAndGet();
            }, e -> errors.incrementAndGet());
        }
        for (int ms = 0; ms < 3_600_000 && finished.get() + errors.get() < operations; ms += 10) {
            clock.advanceTimeBy(Duration.ofMillis(10));
        }
        long[] sorted = Arrays.copyOf(lag, operations);
        Arrays.sort(sorted);
        return String.format("%-34s %5.1f %6d %9.2f %8.1f%% %8.1f%% %8d %8d %8d %6d%s", name, limit, operations,
                server.calls / (double) operations, 100.0 * server.throttled / Math.max(1, server.calls),
                server.steadyThrottledPercent(), sorted[operations / 2], sorted[(int) (operations * 0.99) - 1],
                sorted[operations - 1], budget.cuts(),
                errors.get() > 0 || finished.get() < operations
                        ? "  (" + errors.get() + " errors, " + finished.get() + " finished)" : "");
    }

    /** 100 operations per request/s of the limit, at least 50: each run lasts a few virtual minutes. */
    private static int operations(double limit) {
        return (int) Math.max(50, 100 * limit);
    }
}
