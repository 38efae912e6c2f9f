package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * The simulation the budget's defaults were chosen from (not a CI test: run it with
 * {@code mvn -o test -Dtest=BudgetSimulationTest -Dbudget.sim=true}). In virtual time:
 * 1,000 operations lasting 2 to 20 s (seeded), all watched at once by one watcher with its
 * default poll schedule (jitter on, seeded), against a server token bucket of 25, 50, 100 and
 * 200 requests/s with a burst of twice that, answering at once. Prints calls per operation,
 * the throttled share and the detection lag for the adaptive budget and for a fixed budget
 * tuned by hand to 90 % of each limit.
 */
@EnabledIfSystemProperty(named = "budget.sim", matches = "true")
class BudgetSimulationTest {

    private static final int OPERATIONS = 1_000;
    private static final double[] LIMITS = {25, 50, 100, 200};

    @Test
    void simulate() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-34s %5s %9s %9s %8s %8s %8s %8s", "budget", "limit", "calls/op", "throttled",
                "p50 ms", "p99 ms", "max ms", "cuts"));
        String variants = System.getProperty("budget.sim.variants", "default");
        for (double limit : LIMITS) {
            lines.add(run("tuned (fixed 90%)", limit, () -> RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                    .initialRate(0.9 * limit).minRate(0.9 * limit).maxRate(0.9 * limit).burst(10).build())));
            for (String variant : variants.split(",")) {
                lines.add(run("adaptive " + variant, limit, () -> RequestBudget.adaptive(variant(variant))));
            }
            lines.add(run("unlimited", limit, RequestBudget::unlimited));
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
                default -> throw new IllegalArgumentException(kv);
            }
        }
        return b.build();
    }

    private static String run(String name, double limit, java.util.function.Supplier<RequestBudget> budgets) {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        Random random = new Random(42);
        long[] doneAt = new long[OPERATIONS];
        for (int i = 0; i < OPERATIONS; i++) {
            doneAt[i] = 2_000 + random.nextInt(18_001);
        }
        SimulatedCloudMap server = new SimulatedCloudMap(clock, limit, doneAt);
        RequestBudget budget = budgets.get();
        OperationWatcher watcher = OperationWatcher.builder(server).scheduler(clock).random(new Random(7))
                .pollBudget(budget).timeout(Duration.ofMinutes(5)).build();
        long[] lag = new long[OPERATIONS];
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        for (int i = 0; i < OPERATIONS; i++) {
            int op = i;
            watcher.awaitTerminal("op-" + i).subscribe(o -> {
                lag[op] = clock.now(TimeUnit.MILLISECONDS) - doneAt[op];
                finished.incrementAndGet();
            }, e -> errors.incrementAndGet());
        }
        for (int ms = 0; ms < 400_000 && finished.get() + errors.get() < OPERATIONS; ms += 10) {
            clock.advanceTimeBy(Duration.ofMillis(10));
        }
        long[] sorted = Arrays.copyOf(lag, OPERATIONS);
        Arrays.sort(sorted);
        return String.format("%-34s %5.0f %9.2f %8.1f%% %8d %8d %8d %8d%s", name, limit,
                server.calls / (double) OPERATIONS, 100.0 * server.throttled / Math.max(1, server.calls),
                sorted[OPERATIONS / 2], sorted[(int) (OPERATIONS * 0.99) - 1], sorted[OPERATIONS - 1], budget.cuts(),
                errors.get() > 0 || finished.get() < OPERATIONS
                        ? "  (" + errors.get() + " errors, " + finished.get() + " finished)" : "");
    }

    /** GetOperation against a token bucket (burst twice the rate) on the virtual clock. */
    private static final class SimulatedCloudMap implements ServiceDiscoveryAsyncClient {
        final VirtualTimeScheduler clock;
        final double rate;
        final double burst;
        final long[] doneAt;
        double tokens;
        long last;
        long calls;
        long throttled;

        SimulatedCloudMap(VirtualTimeScheduler clock, double rate, long[] doneAt) {
            this.clock = clock;
            this.rate = rate;
            this.burst = 2 * rate;
            this.tokens = burst;
            this.doneAt = doneAt;
        }

        @Override
        public synchronized CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
            calls++;
            long now = clock.now(TimeUnit.NANOSECONDS);
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens < 1) {
                throttled++;
                return CompletableFuture.failedFuture(SdkErrors.throttling("GetOperation"));
            }
            tokens -= 1;
            int op = Integer.parseInt(request.operationId().substring(3));
            OperationStatus status = now / 1_000_000 >= doneAt[op] ? OperationStatus.SUCCESS : OperationStatus.PENDING;
            return CompletableFuture.completedFuture(GetOperationResponse.builder()
                    .operation(Operation.builder().id(request.operationId()).status(status).build()).build());
        }

        @Override
        public String serviceName() {
            return "servicediscovery";
        }

        @Override
        public void close() { }
    }
}
