package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class OperationPollerTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    private final OperationPoller poller = new OperationPoller(new WatchSettings(client,
            Duration.ofMillis(500), Duration.ofSeconds(10), 2.0, 2.0, 0.0, Random::new,
            Duration.ofMinutes(5), null, () -> scheduler, Duration.ofSeconds(20),
            io.github.resilience4j.retry.Retry.of("t", OperationWatcherBuilder.defaultTransientRetry()),
            io.github.resilience4j.retry.Retry.of("r", OperationWatcherBuilder.defaultResubmission()),
            io.github.cloudmap.watcher.RequestBudget.adaptive(), io.github.cloudmap.watcher.RequestBudget.adaptive(),
            WatchListener.NONE, null));

    @Test
    void theRegistryForgetsLoopsThatFinished() {
        client.script("op-1").pending().success();

        poller.watch(Mono.just("op-1"), null).subscribe();
        assertThat(poller.runningLoops()).isEqualTo(1);
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(poller.runningLoops()).isZero();
    }

    @Test
    void theRegistryForgetsLoopsWhoseWatchesWereCancelled() {
        client.script("op-1").pending();
        client.script("op-2").pending();

        Disposable first = poller.watch(Mono.just("op-1"), null).subscribe();
        Disposable second = poller.watch(Mono.just("op-2"), "123456789012").subscribe();
        assertThat(poller.runningLoops()).isEqualTo(2);
        first.dispose();
        second.dispose();
        assertThat(poller.runningLoops()).isZero();
    }

    @Test
    void theRegistryForgetsLoopsThatTimedOutOrFailed() {
        client.script("op-1").pending();
        client.script("op-2").error(() -> new IllegalStateException("boom"));

        poller.watch(Mono.just("op-1"), null).subscribe(op -> { }, error -> { });
        poller.watch(Mono.just("op-2"), null).subscribe(op -> { }, error -> { });
        scheduler.advanceTimeBy(Duration.ofMinutes(6));
        assertThat(poller.runningLoops()).isZero();
    }

    @Test
    void aWatchThatResubscribesFromAnErrorStartsANewLoopInsteadOfTheReplay() {
        client.script("op-1").pending().error(() -> SdkErrors.invalidInput("transient glitch")).success();
        List<String> seen = new CopyOnWriteArrayList<>();

        poller.watch(Mono.just("op-1"), null)
                .retry(1)
                .subscribe(op -> seen.add(op.status().toString()), error -> seen.add("error"));
        scheduler.advanceTimeBy(Duration.ofSeconds(1));

        // The retry runs a fresh loop: it polls again (a third request) and sees SUCCESS.
        assertThat(seen).containsExactly("PENDING", "SUCCESS");
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
    }

    @Test
    void aWatchJoiningWhileTheLastWatchLeavesNeverSeesATearDown() throws Exception {
        client.script("op-1").pending();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                Disposable leaving = poller.watch(Mono.just("op-1"), null).subscribe(op -> { }, errors::add);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> leave = threads.submit(() -> {
                    await(start);
                    leaving.dispose();
                });
                Future<Disposable> join = threads.submit(() -> {
                    await(start);
                    return poller.watch(Mono.just("op-1"), null).subscribe(op -> { }, errors::add);
                });
                leave.get(10, TimeUnit.SECONDS);
                join.get(10, TimeUnit.SECONDS).dispose();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(errors).isEmpty();
        assertThat(poller.runningLoops()).isZero();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
