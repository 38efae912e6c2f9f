package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.spring.CloudMapWatcherAutoConfiguration;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The fleet budget configured with {@code cloudmap.watcher.poll-budget.redis.*} on a real
 * {@code redis-server} (skipped, saying so, where it cannot be found): the watcher's polls draw
 * from the bucket in Redis, and closing the application context closes the budget's connection.
 */
class SpringRedisPollBudgetIT {

    @Test
    void theWatcherPollsThroughTheFleetBudgetAndTheContextClosesIt() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", "Zx9#Qw7 @/?")) {
            RedisClient admin = RedisClient.create(redis.uri(":" + HostilePasswords.encode("Zx9#Qw7 @/?")));
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
                client.script("op-1").pending().success();
                RedisBudget[] seen = new RedisBudget[1];
                new ApplicationContextRunner()
                        .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class))
                        .withBean(ServiceDiscoveryAsyncClient.class, () -> client)
                        .withPropertyValues(
                                "cloudmap.watcher.poll-budget.redis.url=" + redis.uri(":" + HostilePasswords.encode("Zx9#Qw7 @/?")),
                                "cloudmap.watcher.poll-budget.redis.account=123456789012",
                                "cloudmap.watcher.poll-budget.redis.region=eu-west-1",
                                "cloudmap.watcher.poll-budget.redis.key-prefix=spring-it",
                                "cloudmap.watcher.poll-interval.initial=50ms", "cloudmap.watcher.jitter=0")
                        .run(context -> {
                            assertThat(context).hasNotFailed();
                            RedisBudget budget = (RedisBudget) context.getBean(OperationWatcher.class).pollBudget();
                            seen[0] = budget;
                            assertThat(within(Duration.ofSeconds(10), budget::onRedis)).as("connected to Redis").isTrue();
                            context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(10));
                            assertThat(client.getOperationCount("op-1")).isEqualTo(2);
                            assertThat(connection.sync().keys("spring-it*")).as("the fleet's keys in Redis").isNotEmpty();
                            assertThat(clients(connection)).as("the admin's and the budget's connections").isEqualTo(2);
                        });
                assertThat(seen[0].onRedis()).as("closed with the context").isFalse();
                assertThat(within(Duration.ofSeconds(10), () -> clients(connection) == 1))
                        .as("the budget's connection is closed").isTrue();
            } finally {
                admin.shutdown();
            }
        }
    }

    private static long clients(StatefulRedisConnection<String, String> connection) {
        return connection.sync().clientList().lines().filter(l -> !l.isBlank()).count();
    }

    /** Polls {@code condition} until it holds or {@code bound} passes: a real server, in real time. */
    private static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
