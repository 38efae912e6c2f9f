package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.redis.RedisBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.Disposable;
import reactor.core.Disposables;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * One process of {@code watcher-fleet} or {@code watcher-split} ({@link ChildJvmContender}): the
 * {@code watcher} contender's setup (SDK default client, every watcher default, the run's bound as
 * timeout) in a JVM of its own, with either a {@link RedisBudget} shared by the fleet or the
 * default local budget. Speaks a line protocol: it prints {@code FLEETBENCH ready} once built and
 * warmed, reads {@code op ID} lines and then {@code go}, prints {@code FLEETBENCH saw ID
 * UPDATE_MILLIS SEEN_MILLIS} for every terminal element ({@code timeout ID} and {@code error ID
 * MESSAGE} for the others), and on {@code quit} prints {@code FLEETBENCH end CPU_MS FALLBACKS}.
 *
 * <p>Arguments: endpoint, bound in seconds, {@code local} or a Redis URI, the fleet budget's
 * {@code maxRate} (requests/s, or {@code default}).
 */
public final class FleetChild {

    static final String PREFIX = "FLEETBENCH ";

    private FleetChild() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        Duration bound = Duration.ofSeconds(Long.parseLong(args[1]));
        String redis = args[2];
        String maxRate = args[3];

        ServiceDiscoveryAsyncClient client = Clients.sdkDefaults(endpoint);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisBudget fleet = null;
        OperationWatcherBuilder builder = OperationWatcher.builder(client).timeout(bound);
        if (!redis.equals("local")) {
            RedisBudget.Builder budget = RedisBudget.builder(redis).key("bench", "us-east-1").meterRegistry(meters);
            if (!maxRate.equals("default")) {
                // A ceiling a little under the quota (fleet.md's advice); a start above a ceiling under the default
                // initial rate is not a valid setting, so the start is the ceiling there.
                double ceiling = Double.parseDouble(maxRate);
                AdaptiveBudgetConfig.Builder config = AdaptiveBudgetConfig.builder().maxRate(ceiling);
                if (ceiling < AdaptiveBudgetConfig.DEFAULT_INITIAL_RATE) {
                    config.initialRate(ceiling);
                }
                budget.adaptive(config.build());
            }
            fleet = budget.build();
            builder.pollBudget(fleet);
        }
        OperationWatcher watcher = builder.build();
        warmUp(client);
        System.out.println(PREFIX + "ready");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        Disposable.Composite watches = Disposables.composite();
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            if (line.startsWith("op ")) {
                ids.add(line.substring(3));
            } else if (line.equals("go")) {
                for (String id : ids) {
                    watches.add(watcher.watch(id).subscribe(op -> {
                        if (Observations.isTerminal(op)) {
                            long seen = System.currentTimeMillis(); // the same machine clock as the harness's
                            System.out.println(PREFIX + "saw " + op.id() + " " + op.updateDate().toEpochMilli() + " " + seen);
                        }
                    }, error -> System.out.println(PREFIX + (error instanceof OperationTimeoutException
                            ? "timeout " + id : "error " + id + " " + String.valueOf(error).replace('\n', ' ')))));
                }
            }
        }
        watches.dispose();
        // -1 where the meter is missing (a local budget, or a renamed meter): never a silent 0.
        double fallbacks = meters.find("cloudmap.watcher.budget.redis.fallbacks").counters().stream()
                .mapToDouble(c -> c.count()).reduce(Double::sum).orElse(-1);
        if (fleet != null) {
            fleet.close();
        }
        client.close();
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        System.out.println(PREFIX + "end " + cpuMs + " " + (long) fallbacks);
        System.exit(0);
    }

    /**
     * JIT-warms the SDK client as the harness warms its own before in-process contenders run: raw
     * GetOperation calls for an unknown ID, not through the watcher, so no budget learns from them.
     * The harness sets the limits anew (buckets full) and resets the counts after this.
     */
    private static void warmUp(ServiceDiscoveryAsyncClient client) {
        for (int batch = 0; batch < Integer.getInteger("bench.childWarmUpBatches", 10); batch++) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(client.getOperation(r -> r.operationId("warm-up")).handle((r, e) -> null));
            }
            CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).join();
        }
    }
}
