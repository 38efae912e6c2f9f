package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Schedulers;

/**
 * What the fleet costs Redis per permit: {@code budgets} budgets (each with its own client, as
 * processes have) share one fleet rate, each with a backlog, for {@code seconds}; then Redis's
 * own counts ({@code INFO commandstats}): script calls (round trips) and every command the
 * scripts ran, per permit. A measurement written down in docs/fleet.md, not a test.
 *
 * <pre>{@code
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.github.cloudmap.watcher.redis.FleetCommandCount 3 100 10
 * }</pre>
 */
public final class FleetCommandCount {

    private FleetCommandCount() {}

    public static void main(String[] args) throws Exception {
        int budgets = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 100;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (RedisServer redis = RedisServer.start()) {
            AdaptiveBudgetConfig fixed = AdaptiveBudgetConfig.builder().initialRate(rate).minRate(rate).maxRate(rate)
                    .build();
            List<RedisBudget> fleet = new ArrayList<>();
            for (int i = 0; i < budgets; i++) {
                fleet.add(RedisBudget.builder(redis.uri()).key("count", "eu-west-1").adaptive(fixed)
                        .fallback(NeverBudget.INSTANCE).build());
            }
            while (fleet.stream().anyMatch(b -> !b.onRedis())) {
                Thread.sleep(10);
            }
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().configResetstat();
                AtomicInteger permits = new AtomicInteger();
                Disposable.Composite all = Disposables.composite();
                for (RedisBudget b : fleet) {
                    for (int i = 0; i < 50; i++) {
                        keepAsking(b, permits, all);
                    }
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                all.dispose();
                String stats = c.sync().info("commandstats");
                long scripts = 0;
                long all2 = 0;
                for (String line : stats.split("\r?\n")) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(line);
                    if (m.find()) {
                        long calls = Long.parseLong(m.group(2));
                        if (line.startsWith("cmdstat_eval")) {
                            scripts += calls;
                        } else if (!line.startsWith("cmdstat_config")) {
                            all2 += calls;
                        }
                    }
                }
                System.out.printf("%d budgets, %.0f/s, %d s: %d permits (%.1f/s); %d script calls (%.3f per permit),"
                        + " %d commands inside them (%.2f per permit)%n", budgets, rate, seconds, permits.get(),
                        permits.get() / (double) seconds, scripts, scripts / (double) permits.get(), all2,
                        all2 / (double) permits.get());
            }
            client.shutdown();
            fleet.forEach(RedisBudget::close);
        }
        System.exit(0);
    }

    private static void keepAsking(RequestBudget budget, AtomicInteger permits, Disposable.Composite all) {
        if (all.isDisposed()) {
            return;
        }
        all.add(budget.acquire(Schedulers.parallel()).subscribe(p -> {
            permits.incrementAndGet();
            p.onAnswered();
            keepAsking(budget, permits, all);
        }));
    }
}
