package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import reactor.core.scheduler.Schedulers;

/**
 * The child of {@link PasswordNeverLoggedIT}: exercises a {@link RedisBudget} through every path
 * that writes a log line or a message (a wrong password, an unreachable server, a server killed
 * under a working connection, a bad URI) and prints what a user could print.
 * Arguments: a working URI, a URI with a wrong password, an unreachable URI.
 */
public final class PasswordProbe {

    private PasswordProbe() {}

    public static void main(String[] args) throws Exception {
        for (String uri : args) {
            try (RedisBudget budget = RedisBudget.builder(uri).key("123456789012", "eu-west-1")
                    .retryInterval(Duration.ofMillis(100)).build()) {
                for (int i = 0; i < 6; i++) {
                    RequestBudget.Permit permit = budget.acquire(Schedulers.parallel()).block(Duration.ofSeconds(5));
                    if (permit == null) {
                        throw new AssertionError("no permit");
                    }
                    permit.onThrottled();
                    Thread.sleep(150);
                }
                System.out.println("budget: " + budget + " onRedis=" + budget.onRedis());
            }
        }
        try {
            RedisBudget.builder(args[0].replace("127.0.0.1:", "127.0.0.1:x"));
        } catch (IllegalArgumentException e) {
            System.out.println("refused: " + e.getMessage());
        }
        System.out.println("probe done");
        System.exit(0);
    }
}
