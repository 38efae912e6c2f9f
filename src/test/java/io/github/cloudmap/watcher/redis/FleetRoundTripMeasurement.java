package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Schedulers;

/**
 * What the fleet budget costs per poll: the time from {@code acquire} to the permit, against a
 * local redis-server, with a bucket that never runs dry (so only the Redis round trip is
 * measured), one acquisition at a time and then 64 at once. A timed measurement, written down
 * in docs/fleet.md, not a test.
 *
 * <pre>{@code
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.github.cloudmap.watcher.redis.FleetRoundTripMeasurement
 * }</pre>
 */
public final class FleetRoundTripMeasurement {

    private FleetRoundTripMeasurement() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (RedisServer redis = RedisServer.start();
             RedisBudget budget = RedisBudget.builder(redis.uri()).key("123456789012", "eu-west-1")
                     .rules(new FleetRules(1e6, 1, 1e6, 1, 0.5, Duration.ofSeconds(1), 1_000_000, false))
                     .build()) {
            while (!budget.onRedis()) {
                Thread.sleep(10);
            }
            sequential(budget, n / 4);   // warm-up
            long[] nanos = sequential(budget, n);
            Arrays.sort(nanos);
            System.out.printf("sequential: %d acquisitions, p50 %.0f us, p99 %.0f us, max %.0f us%n", n,
                    nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3, nanos[n - 1] / 1e3);
            concurrent(budget, n / 4, 64);
            long start = System.nanoTime();
            concurrent(budget, n, 64);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("64 concurrent: %d acquisitions in %.2f s = %.0f permits/s from one process%n", n, seconds,
                    n / seconds);
            System.out.println("still on Redis: " + budget.onRedis());
        }
    }

    private static long[] sequential(RedisBudget budget, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            RequestBudget.Permit permit = budget.acquire(Schedulers.parallel()).block(Duration.ofSeconds(5));
            nanos[i] = System.nanoTime() - t;
            permit.onAnswered();
        }
        return nanos;
    }

    private static void concurrent(RedisBudget budget, int n, int inFlight) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
        for (int i = 0; i < n; i++) {
            slots.acquire();
            budget.acquire(Schedulers.parallel()).subscribe(p -> {
                p.onAnswered();
                slots.release();
                done.countDown();
            });
        }
        done.await(60, TimeUnit.SECONDS);
    }
}
