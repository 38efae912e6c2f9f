package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One process of {@link FleetSkewIT}: a fleet budget at a fixed rate, a backlog of
 * {@value #BACKLOG} acquisitions kept up for the given seconds once every process of the run is
 * on Redis, then one {@code RESULT permits=N} line. Arguments: Redis URI, key account, processes
 * in the run, seconds, rate. The fallback never grants, so only the fleet's permits count.
 */
public final class FleetSkewProcess {

    private static final int BACKLOG = 50;

    private FleetSkewProcess() {}

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String account = args[1];
        int processes = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        double rate = Double.parseDouble(args[4]);
        RedisBudget budget = RedisBudget.builder(uri).key(account, "eu-west-1")
                .adaptive(AdaptiveBudgetConfig.builder().initialRate(rate).minRate(rate).maxRate(rate).burst(1).build())
                .fallback(NEVER)
                .build();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!budget.onRedis() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().incr(account + ":ready");
            while (Long.parseLong(connection.sync().get(account + ":ready")) < processes && System.nanoTime() < until) {
                Thread.sleep(5);
            }
        }
        client.shutdown();
        System.out.println("WALLCLOCK " + System.currentTimeMillis());
        AtomicInteger granted = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Scheduler scheduler = Schedulers.parallel();
        for (int i = 0; i < BACKLOG; i++) {
            keepAsking(budget, scheduler, granted, end);
        }
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        System.out.println("RESULT permits=" + granted.get() + " onRedis=" + budget.onRedis());
        budget.close();
        Thread.sleep(200);
        System.exit(0);
    }

    private static void keepAsking(RequestBudget budget, Scheduler scheduler, AtomicInteger granted, long end) {
        budget.acquire(scheduler).subscribe(permit -> {
            if (System.nanoTime() < end) {
                granted.incrementAndGet();
                permit.onAnswered();
                keepAsking(budget, scheduler, granted, end);
            }
        });
    }

    /** A fallback that never grants: the run counts the fleet's permits only. */
    static final RequestBudget NEVER = new RequestBudget() {
        @Override
        public Mono<Permit> acquire(Scheduler scheduler) {
            return Mono.never();
        }

        @Override
        public double currentRate() {
            return 0;
        }

        @Override
        public int waiting() {
            return 0;
        }
    };
}
