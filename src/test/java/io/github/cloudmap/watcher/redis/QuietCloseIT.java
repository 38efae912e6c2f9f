package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * Closing a budget that opened its own client closes the connection before the client, so
 * Lettuce has nothing to warn about ({@code WARN ... Connection is already closed}, printed on
 * exit by {@code watch --budget-redis} processes before). Twenty budgets, each used and closed,
 * with the log (slf4j-simple, on standard error) captured. Needs {@code redis-server}.
 */
class QuietCloseIT {

    @Test
    void closingABudgetLeavesNothingForLettuceToWarnAbout() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < 20; i++) {
                    RedisBudget budget = RedisBudget.builder(redis.uri()).key("quiet", "eu-west-1").build();
                    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!budget.onRedis() && System.nanoTime() < until) {
                        Thread.sleep(5);   // a real connection opening: bounded
                    }
                    budget.acquire(Schedulers.parallel()).block(Duration.ofSeconds(5)).onAnswered();
                    budget.close();
                }
                Thread.sleep(2000);   // the asynchronous shutdowns finish
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).as("captured log:\n%s", log).contains("Fleet budget");   // the capture works
            assertThat(log).doesNotContain("already closed").doesNotContain("WARN io.lettuce");
        }
    }
}
