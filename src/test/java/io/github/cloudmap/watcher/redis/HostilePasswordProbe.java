package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.cli.CliEnvironment;
import io.github.cloudmap.watcher.cli.Main;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import reactor.core.scheduler.Schedulers;

/**
 * The child of {@link HostilePasswordsIT}: for each password of {@link HostilePasswords}, a
 * budget through the API on a working connection (user {@code u<i>}, the password
 * percent-encoded), one with a wrong password for some, and {@code watch --budget-redis}; prints
 * what a user could print. In mode {@code env} it runs only {@code watch} with the URI in
 * {@code CLOUDMAP_WATCHER_REDIS_URL}. Arguments: {@code api PORT} or {@code env}.
 */
public final class HostilePasswordProbe {

    private HostilePasswordProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("env")) {
            System.out.println("watch exit " + watch(List.of()));
        } else {
            int port = Integer.parseInt(args[1]);
            List<String> passwords = HostilePasswords.PASSWORDS;
            for (int i = 0; i < passwords.size(); i++) {
                String good = uri("u" + i, passwords.get(i), port);
                budget(good);
                if (i % 4 == 0) {
                    budget(uri("u" + i, passwords.get(i) + "-wrong", port));
                }
                System.out.println("watch exit " + watch(List.of("--budget-redis", good)));
            }
            budget(uri(HostilePasswords.USER_WITH_AT, passwords.get(0), port));
        }
        System.out.println("probe done");
        System.exit(0);
    }

    static String uri(String user, String password, int port) {
        return "redis://" + HostilePasswords.encode(user) + ":" + HostilePasswords.encode(password) + "@127.0.0.1:" + port;
    }

    private static int budgets;

    private static void budget(String uri) throws InterruptedException {
        // A fleet of its own per budget: each reports throttles, and on one shared key the cuts
        // would sink the fleet's rate towards its 0.1/s floor, slower than the bounded wait below.
        String account = String.format("%012d", ++budgets);
        try (RedisBudget budget = RedisBudget.builder(uri).key(account, "eu-west-1")
                .retryInterval(Duration.ofMillis(100)).build()) {
            // A real process: wait (bounded) for the connection or the fallback, then take permits
            // and report a throttle, the paths that write log lines.
            for (int i = 0; i < 100 && !budget.onRedis(); i++) {
                Thread.sleep(10);
            }
            for (int i = 0; i < 2; i++) {
                RequestBudget.Permit permit = budget.acquire(Schedulers.parallel()).block(Duration.ofSeconds(5));
                if (permit == null) {
                    throw new AssertionError("no permit");
                }
                permit.onThrottled();
            }
            System.out.println("budget: " + budget + " onRedis=" + budget.onRedis());
        }
    }

    private static int watch(List<String> extra) {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").pending().success();
        CliEnvironment env = new CliEnvironment((region, endpoint) -> client, Clock.systemUTC(),
                b -> b.pollInterval(Duration.ofMillis(50), Duration.ofMillis(50)), false);
        CommandLine cli = Main.commandLine(env).setOut(new PrintWriter(System.out, true))
                .setErr(new PrintWriter(System.err, true));
        List<String> args = new java.util.ArrayList<>(List.of("watch", "op-1", "--region", "eu-west-1"));
        args.addAll(extra);
        return cli.execute(args.toArray(String[]::new));
    }
}
