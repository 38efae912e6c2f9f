package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * A fleet of three JVMs, each watching {@value #OPERATIONS} operations against one emulator
 * limited to Cloud Map's GetOperation quota (100/s, burst 200): first sharing one budget through
 * a real Redis (with local adaptive budgets only, for comparison, on demand); and a run in
 * which redis-server is killed and started again on the same port. Needs {@code redis-server}
 * (skipped, saying so, only where it cannot be found).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetBudgetIT {

    private static final int PROCESSES = 3;
    private static final int OPERATIONS = 300;
    private static final Pattern RESULT = Pattern.compile("RESULT (.*)");

    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private RedisServer redis;

    @BeforeAll
    void start() {
        RedisServer.assumeInstalled();
        redis = RedisServer.start();
        emulator = CloudMapEmulator.builder()
                // Short operations keep the run short; 4 s is still a few polls each.
                .operationTimings(OperationTimings.instant()
                        .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(1), Duration.ofSeconds(3)))
                .start();
        client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .build();
    }

    /** A namespace and service of their own per run: a namespace holds at most 2,000 instances. */
    private String newService(String name) {
        String operationId = client.createHttpNamespace(b -> b.name(name)).join().operationId();
        String namespaceId = emulator.operation(operationId).orElseThrow().targets().get(OperationTargetType.NAMESPACE);
        return client.createService(b -> b.name("web").namespaceId(namespaceId)).join().service().id();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void quota() {
        // A fresh, full bucket for each run: Cloud Map's GetOperation quota.
        emulator.faults().reset().rateLimit("GetOperation", 100, 200);
        emulator.counters().reset();
    }

    /** What one run of the fleet did. */
    private record Run(String label, List<Map<String, String>> results, int calls) {
        long sum(String key) {
            return results.stream().mapToLong(r -> Math.round(Double.parseDouble(r.get(key)))).sum();
        }

        double throttledShare() {
            return calls == 0 ? 0 : (double) sum("throttled") / calls;
        }

        String summary() {
            return String.format("%-22s %d processes x %d operations: %d terminal, %d GetOperation calls (%.2f/op),"
                    + " %d throttled (%.2f %%), slowest process %.1f s", label, results.size(), OPERATIONS,
                    sum("terminal"), calls, (double) calls / sum("ops"), sum("throttled"), 100 * throttledShare(),
                    results.stream().mapToDouble(r -> Double.parseDouble(r.get("seconds"))).max().orElse(0));
        }
    }

    private List<ChildJvm> launch(String label, String budget, String maxRate) {
        String serviceId = newService(label);
        List<ChildJvm> children = new ArrayList<>();
        for (int p = 1; p <= PROCESSES; p++) {
            String name = label + "-p" + p;
            children.add(ChildJvm.start(name, FleetWatchProcess.class, List.of(),
                    emulator.endpoint().toString(), emulator.accountId(), serviceId, Integer.toString(OPERATIONS), budget,
                    name, maxRate));
        }
        return children;
    }

    private Run collect(String label, List<ChildJvm> children) {
        List<Map<String, String>> results = new ArrayList<>();
        for (ChildJvm child : children) {
            String output = child.await(240);
            Matcher m = RESULT.matcher(output);
            assertThat(m.find()).as("a RESULT line from the process; it wrote:\n%s", output).isTrue();
            Map<String, String> fields = new HashMap<>();
            for (String pair : m.group(1).trim().split(" ")) {
                String[] kv = pair.split("=", 2);
                fields.put(kv[0], kv[1]);
            }
            assertThat(output).as("no watch failed").doesNotContain("WATCH-ERROR");
            results.add(fields);
        }
        Run run = new Run(label, results, emulator.counters().count("GetOperation"));
        System.out.println("[fleet] " + run.summary());
        return run;
    }

    @Test
    void aSharedRedisBudgetKeepsThreeProcessesUnderTheAccountsQuota() {
        // The fleet's bucket is the whole account's: its ceiling can be the account's quota.
        Run shared = collect("one Redis budget", launch("shared", redis.uri(), "100"));

        assertThat(shared.sum("terminal")).as("every operation observed to its end").isEqualTo(PROCESSES * OPERATIONS);
        assertThat(shared.throttledShare()).as("throttled share of all GetOperation calls").isLessThanOrEqualTo(0.02);
    }

    /**
     * The same fleet on local budgets only, for comparison (figures in docs/fleet.md). On demand,
     * to keep {@code mvn verify} short: {@code mvn -B verify -Dit.test=FleetBudgetIT -Dfleet.compare=true}.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "fleet.compare", matches = "true")
    void localBudgetsForComparison() {
        Run shared = collect("one Redis budget", launch("shared", redis.uri(), "100"));
        quota();
        Run local = collect("local budgets only", launch("local", "local", "default"));

        System.out.println("[fleet] comparison at 100 GetOperation/s (burst 200):");
        System.out.println("[fleet]   " + shared.summary());
        System.out.println("[fleet]   " + local.summary());
        assertThat(local.sum("terminal")).isEqualTo(PROCESSES * OPERATIONS);
        assertThat(shared.throttledShare()).as("Redis throttles no more than local budgets")
                .isLessThanOrEqualTo(local.throttledShare());
    }

    @Test
    void redisKilledAndRestartedMidRunStallsNoWatch() throws InterruptedException {
        List<ChildJvm> children = launch("fault", redis.uri(), "100");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (children.stream().anyMatch(c -> !c.output().contains("WATCHING")) && System.nanoTime() < deadline) {
            Thread.sleep(100);   // real processes starting: bounded
        }
        Thread.sleep(300);
        redis.kill();
        System.out.println("[fleet] redis-server killed");
        Thread.sleep(2000);
        redis.restart();
        System.out.println("[fleet] redis-server started again on port " + redis.port());
        Run run = collect("Redis killed mid-run", children);

        assertThat(run.sum("terminal")).as("every watch ended in its terminal state").isEqualTo(PROCESSES * OPERATIONS);
        assertThat(run.results).allSatisfy(r -> {
            assertThat(r.get("onRedis")).as("back on Redis at the end").isEqualTo("true");
            assertThat(r.get("returns")).as("a return for each fallback").isEqualTo(r.get("fallbacks"));
        });
        // A process whose watches all ended before the kill (they are fast now: 1.00 calls/op)
        // never asked Redis during the outage, so it had nothing to fall back from.
        assertThat(run.results).as("the outage was seen and counted in the meters")
                .anySatisfy(r -> assertThat(Double.parseDouble(r.get("fallbacks"))).isGreaterThanOrEqualTo(1));
    }
}
