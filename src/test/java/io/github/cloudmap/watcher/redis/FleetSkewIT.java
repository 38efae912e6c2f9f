package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * First come, first served across processes whose clocks disagree: two budgets, each with its
 * own Lettuce client and connection as two processes have, one of them on a scheduler whose
 * clock runs a second behind (an injected clock: under Debian's libfaketime a whole JVM hangs on
 * this machine), each with a backlog, get permits within 10 % of each other, because the
 * fleet's bucket runs on Redis's {@code TIME}. Needs {@code redis-server} (skipped, saying so,
 * where it cannot be found).
 */
class FleetSkewIT {

    private static final double RATE = 50;
    private static final long SECONDS = 5;

    /** Schedulers.parallel(), but its clock reads a second behind the wall clock. */
    static final class BehindScheduler implements Scheduler {
        private final Scheduler delegate = Schedulers.parallel();

        @Override
        public long now(TimeUnit unit) {
            return unit.convert(System.currentTimeMillis() - 1000, TimeUnit.MILLISECONDS);
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return delegate.schedule(task, delay, unit);
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }

    @Test
    void twoProcessesASecondApartShareTheFleetRateEvenly() throws InterruptedException {
        try (RedisServer redis = RedisServer.start()) {
            AdaptiveBudgetConfig fixed = AdaptiveBudgetConfig.builder().initialRate(RATE).minRate(RATE).maxRate(RATE)
                    .burst(1).build();
            List<Scheduler> clocks = List.of(Schedulers.parallel(), new BehindScheduler());
            List<RedisBudget> fleet = clocks.stream().map(c -> RedisBudget.builder(redis.uri()).key("skew", "eu-west-1")
                    .adaptive(fixed).fallback(NeverBudget.INSTANCE).build()).toList();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (fleet.stream().anyMatch(b -> !b.onRedis()) && System.nanoTime() < until) {
                Thread.sleep(10);   // real connections opening: bounded
            }
            List<AtomicInteger> permits = List.of(new AtomicInteger(), new AtomicInteger());
            Disposable.Composite all = Disposables.composite();
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < 50; i++) {
                    keepAsking(fleet.get(p), clocks.get(p), permits.get(p), all);
                }
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
            all.dispose();
            int a = permits.get(0).get();
            int b = permits.get(1).get();
            System.out.printf("[skew] permits in %d s at %.0f/s, on time vs a second behind: %d, %d%n", SECONDS, RATE, a, b);
            fleet.forEach(RedisBudget::close);
            assertThat(fleet).allSatisfy(budget -> assertThat(budget.onRedis()).isFalse());   // closed
            assertThat(a + b).as("the fleet's rate is used").isGreaterThanOrEqualTo((int) (0.85 * RATE * SECONDS));
            assertThat(Math.abs(a - b)).as("within 10 %% of each other: %d, %d", a, b)
                    .isLessThanOrEqualTo((int) Math.ceil(0.1 * Math.max(a, b)));
        }
    }

    private static void keepAsking(RequestBudget budget, Scheduler scheduler, AtomicInteger granted,
            Disposable.Composite all) {
        if (all.isDisposed()) {
            return;
        }
        all.add(budget.acquire(scheduler).subscribe(permit -> {
            granted.incrementAndGet();
            permit.onAnswered();
            keepAsking(budget, scheduler, granted, all);
        }));
    }
}
