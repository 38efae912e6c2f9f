package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ClocksTest {

    @Test
    void reactorsProductionSchedulersAreReadThroughTheMonotonicClock() {
        Scheduler single = Schedulers.newSingle("clocks-test");
        try {
            for (Scheduler scheduler : new Scheduler[] {Schedulers.parallel(), Schedulers.boundedElastic(),
                    Schedulers.single(), Schedulers.immediate(), single,
                    Schedulers.fromExecutorService(java.util.concurrent.Executors.newSingleThreadScheduledExecutor())}) {
                assertThat(Clocks.source(scheduler)).as(scheduler.toString()).isSameAs(Clocks.MONOTONIC);
                long before = System.nanoTime();
                long reading = Clocks.nanos(scheduler);
                assertThat(reading).as(scheduler.toString()).isBetween(before, System.nanoTime());
            }
        } finally {
            single.dispose();
        }
    }

    @Test
    void aVirtualTimeSchedulerIsReadThroughItsOwnClock() {
        VirtualTimeScheduler virtual = VirtualTimeScheduler.create();
        virtual.advanceTimeBy(Duration.ofHours(5));

        assertThat(Clocks.source(virtual)).isSameAs(virtual);
        assertThat(Clocks.nanos(virtual)).isEqualTo(virtual.now(TimeUnit.NANOSECONDS));
    }

    @Test
    void withVirtualTimeReplacesTheDefaultSchedulersClock() {
        long[] seen = new long[2];
        StepVerifier.withVirtualTime(() -> reactor.core.publisher.Mono.fromCallable(() -> Clocks.nanos(Schedulers.parallel()))
                        .doOnNext(t -> seen[0] = t)
                        .delayElement(Duration.ofMinutes(3))
                        .map(t -> Clocks.nanos(Schedulers.parallel())))
                .thenAwait(Duration.ofMinutes(3))
                .assertNext(after -> seen[1] = after)
                .verifyComplete();

        assertThat(seen[1] - seen[0]).isEqualTo(Duration.ofMinutes(3).toNanos());
    }

    @Test
    void aUserSchedulerWithItsOwnClockIsTrusted() {
        Scheduler own = new Scheduler() {
            @Override
            public reactor.core.Disposable schedule(Runnable task) {
                return Schedulers.immediate().schedule(task);
            }

            @Override
            public Worker createWorker() {
                return Schedulers.immediate().createWorker();
            }

            @Override
            public long now(TimeUnit unit) {
                return unit.convert(42, TimeUnit.SECONDS);
            }
        };

        assertThat(Clocks.source(own)).isSameAs(own);
        assertThat(Clocks.nanos(own)).isEqualTo(TimeUnit.SECONDS.toNanos(42));
    }
}
