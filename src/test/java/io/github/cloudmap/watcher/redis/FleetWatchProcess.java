package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * One process of a fleet, for {@link FleetBudgetIT}: registers {@code count} instances with the
 * emulator and watches every operation to its end, on a budget shared through Redis (or a local
 * adaptive budget with {@code local}), then prints one {@code RESULT} line the test reads.
 * Arguments: endpoint, account, service ID, count, Redis URI or {@code local}, name, and the
 * budget's maximum rate (requests/s, or {@code default}).
 */
public final class FleetWatchProcess {

    private FleetWatchProcess() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String account = args[1];
        String serviceId = args[2];
        int count = Integer.parseInt(args[3]);
        String redis = args[4];
        String name = args[5];
        String maxRate = args[6];

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RequestBudget budget;
        RedisBudget fleet = null;
        if (redis.equals("local")) {
            budget = RequestBudget.adaptive();
        } else {
            RedisBudget.Builder builder = RedisBudget.builder(redis).key(account, "us-east-1").meterRegistry(meters);
            if (!maxRate.equals("default")) {
                builder.adaptive(AdaptiveBudgetConfig.builder().maxRate(Double.parseDouble(maxRate)).build());
            }
            fleet = builder.build();
            budget = fleet;
        }
        ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(500))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)))
                .build();
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        OperationWatcher watcher = OperationWatcher.builder(client)
                .pollBudget(budget)
                .timeout(Duration.ofMinutes(3))
                .listener(new WatchListener() {
                    @Override
                    public void onPoll(String operationId) {
                        polls.incrementAndGet();
                    }

                    @Override
                    public void onThrottled(String operationId, Throwable error) {
                        throttled.incrementAndGet();
                    }
                })
                .build();

        List<String> operationIds = Flux.range(0, count)
                .flatMap(i -> Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId)
                        .instanceId(name + "-" + i).attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1")))), 32)
                .map(r -> r.operationId())
                .collectList()
                .block(Duration.ofMinutes(1));
        System.out.println("WATCHING " + name + " " + operationIds.size());
        long start = System.nanoTime();
        List<Operation> ends = Flux.fromIterable(operationIds)
                .flatMap(id -> watcher.watch(id).last()
                        .onErrorResume(e -> {
                            System.out.println("WATCH-ERROR " + id + " " + e);
                            return Mono.empty();
                        }), operationIds.size())
                .collectList()
                .block(Duration.ofMinutes(4));
        double seconds = (System.nanoTime() - start) / 1e9;
        long terminal = ends.stream().filter(o -> o.status() == OperationStatus.SUCCESS || o.status() == OperationStatus.FAIL)
                .count();
        if (fleet != null) {
            // A process whose watches all ended while Redis was down has not asked Redis again:
            // the budget tries Redis only while permits are asked for. Go on asking, as a
            // long-running service would, until it is back on Redis (bounded), so the return shows.
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!fleet.onRedis() && System.nanoTime() < until) {
                fleet.acquire(Schedulers.parallel()).doOnNext(RequestBudget.Permit::onAnswered)
                        .block(Duration.ofSeconds(5));
                Thread.sleep(200);
            }
        }
        System.out.printf("RESULT name=%s ops=%d terminal=%d polls=%d throttled=%d seconds=%.1f fallbacks=%.0f returns=%.0f"
                        + " onRedis=%s rate=%.1f%n", name, operationIds.size(), terminal, polls.get(), throttled.get(),
                seconds, counter(meters, "fallbacks"), counter(meters, "returns"), fleet == null ? "n/a" : fleet.onRedis(),
                budget.currentRate());
        if (fleet != null) {
            fleet.close();
        }
        System.exit(0);
    }

    private static double counter(SimpleMeterRegistry meters, String name) {
        var counter = meters.find("cloudmap.watcher.budget.redis." + name).counter();
        return counter == null ? 0 : counter.count();
    }
}
