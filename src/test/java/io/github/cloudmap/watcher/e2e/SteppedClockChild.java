package io.github.cloudmap.watcher.e2e;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The child JVM of {@link WallClockStepIT}: runs under libfaketime, whose offset it steps itself
 * by rewriting the timestamp file ({@code FAKETIME_TIMESTAMP_FILE}, re-read at most once a second with
 * {@code FAKETIME_CACHE_DURATION=1}; {@code FAKETIME_DONT_FAKE_MONOTONIC=1} keeps
 * {@code System.nanoTime()} real). Watches operations of the parent's emulator through the real
 * SDK client and prints {@code key=value} lines for the parent to check. Every wait is real and
 * short: the whole run takes a few seconds.
 *
 * <p>Arguments: the emulator's endpoint, a service ID, the timestamp file.
 */
public final class SteppedClockChild {

    private SteppedClockChild() {}

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String serviceId = args[1];
        Path offsetFile = Path.of(args[2]);
        try (ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)))
                .build()) {
            stepBack(client, serviceId, offsetFile);
            stepForward(client, serviceId, offsetFile);
        }
        System.out.println("done=true");
        System.exit(0);
    }

    /**
     * (a) a 20/s budget and (c) 20 watches with coalesced polling (ListOperations sweeps every
     * 0.5 s, whose UPDATE_DATE window is the service's wall-clock time), all running when the wall clock steps back 10 minutes.
     */
    private static void stepBack(ServiceDiscoveryAsyncClient client, String serviceId, Path offsetFile)
            throws Exception {
        List<String> operations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            operations.add(register(client, serviceId, "back-" + i));
        }
        RequestBudget fixed = RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(20).minRate(20).maxRate(20).burst(1).build());
        AtomicInteger granted = new AtomicInteger();
        Disposable drawing = Flux.defer(() -> fixed.acquire(Schedulers.parallel()))
                .doOnNext(permit -> {
                    permit.onAnswered();
                    granted.incrementAndGet();
                })
                .repeat()
                .subscribe();
        AtomicInteger polls = new AtomicInteger();
        AtomicReference<Throwable> coalescingOff = new AtomicReference<>();
        OperationWatcher watcher = OperationWatcher.builder(client).coalescedPolling(Duration.ofMillis(500))
                .listener(new WatchListener() {
                    @Override
                    public void onPoll(String operationId) {
                        polls.incrementAndGet();
                    }

                    @Override
                    public void onCoalescingOff(Throwable cause) {
                        coalescingOff.set(cause);
                    }
                }).build();
        List<Disposable> watches = new ArrayList<>();
        operations.forEach(id -> watches.add(watcher.watch(id).subscribe(o -> { }, e -> { })));

        Thread.sleep(1_500);
        int grantedBefore = granted.get();
        int pollsBefore = polls.get();
        step(offsetFile, "-600s", -600);
        int grantedAtStep = granted.get();
        int pollsAtStep = polls.get();
        Thread.sleep(4_000);
        System.out.println("budget.before=" + grantedBefore);
        System.out.println("budget.after=" + (granted.get() - grantedAtStep));
        System.out.println("polls.before=" + pollsBefore);
        System.out.println("polls.after=" + (polls.get() - pollsAtStep));
        Throwable off = coalescingOff.get();
        System.out.println("coalescing.off=" + (off == null ? "no" : off.toString().replace('\n', ' ')));
        drawing.dispose();
        watches.forEach(Disposable::dispose);
    }

    /** (b) a watch with a 5-minute timeout whose operation changes status after a step forward. */
    private static void stepForward(ServiceDiscoveryAsyncClient client, String serviceId, Path offsetFile)
            throws Exception {
        // SUBMITTED for 3 s (the parent's emulator), then PENDING for longer than this run.
        String operationId = register(client, serviceId, "forward");
        OperationWatcher watcher = OperationWatcher.builder(client).timeout(Duration.ofMinutes(5)).build();
        List<String> statuses = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Disposable watch = watcher.watch(operationId)
                .subscribe(o -> statuses.add(o.statusAsString()), error::set);
        Thread.sleep(1_000);
        step(offsetFile, "+0", +600);
        Thread.sleep(4_000);
        System.out.println("forward.statuses=" + String.join(",", statuses));
        System.out.println("forward.error=" + (error.get() == null ? "none" : error.get().getClass().getSimpleName()));
        watch.dispose();
    }

    private static String register(ServiceDiscoveryAsyncClient client, String serviceId, String instanceId) {
        return Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId).instanceId(instanceId)
                        .attributes(java.util.Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
                .map(r -> r.operationId()).block(Duration.ofSeconds(30));
    }

    /** Writes the new offset and waits (bounded) until the wall clock shows it. */
    private static void step(Path offsetFile, String offset, long expectedJumpSeconds) throws IOException,
            InterruptedException {
        long before = System.currentTimeMillis();
        Files.writeString(offsetFile, offset + "\n");
        for (int i = 0; i < 300; i++) {
            long jump = (System.currentTimeMillis() - before) / 1000;
            if (Math.abs(jump - expectedJumpSeconds) < 30) {
                System.out.println("stepped=" + offset);
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the wall clock did not step to " + offset + ": is libfaketime preloaded?");
    }

}
