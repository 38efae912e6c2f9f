package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

class OperationPollerTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    private final OperationPoller poller = new OperationPoller(new WatchSettings(client,
            Duration.ofMillis(500), Duration.ofSeconds(10), 2.0, 2.0, 0.0, Random::new,
            Duration.ofMinutes(5), () -> scheduler, Duration.ofSeconds(20),
            OperationWatcher.Builder.defaultTransientRetry(), OperationWatcher.Builder.defaultResubmission(),
            null, WatchListener.NONE));

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
}
