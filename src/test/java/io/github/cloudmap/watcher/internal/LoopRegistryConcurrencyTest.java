package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Review probe: watches join and leave a shared loop from several threads while the loop emits
 * from several threads (one after another, as the SDK's response threads and the timer do).
 * The sink must never see a concurrent emission (FAIL_FAST would surface it as an error), every
 * watch that stays must receive SUCCESS and complete, and no loop may remain. Real threads,
 * no sleep: every wait is a bounded latch or future.
 */
class LoopRegistryConcurrencyTest {

    private static final int THREADS = 4;
    private static final int WATCHES_PER_THREAD = 500;

    @Test
    void joinsAndLeavesRacingWithEmissionsFromSeveralThreadsLoseNothingAndLeaveNoLoop() throws Exception {
        Scheduler responders = Schedulers.newParallel("probe-responder", 3);
        ExecutorService watchers = Executors.newFixedThreadPool(THREADS);
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        AtomicInteger loopsStarted = new AtomicInteger();
        // Each status is emitted from whichever responder thread picks it up: serial, multi-threaded.
        LoopRegistry registry = new LoopRegistry((id, owner) -> Flux.defer(() -> {
            loopsStarted.incrementAndGet();
            return Flux.just(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS)
                    .concatMap(status -> Mono.just(Operation.builder().id(id).status(status).build())
                            .publishOn(responders));
        }));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<String> wrongEnds = new CopyOnWriteArrayList<>();
        CountDownLatch kept = new CountDownLatch(THREADS * WATCHES_PER_THREAD);
        try {
            List<Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                runs.add(watchers.submit(() -> {
                    for (int i = 0; i < WATCHES_PER_THREAD; i++) {
                        AtomicReference<Operation> last = new AtomicReference<>();
                        CountDownLatch ended = new CountDownLatch(1);
                        // Each watch is counted once, however it ends: a watch that completes
                        // before it is cancelled (it joined a loop about to end) would otherwise
                        // count twice, and the latch would open while other watches still run.
                        AtomicBoolean counted = new AtomicBoolean();
                        Runnable countOnce = () -> {
                            if (counted.compareAndSet(false, true)) {
                                kept.countDown();
                            }
                        };
                        Disposable watch = registry.statuses("op-1", null).subscribe(last::set, e -> {
                            errors.add(e);
                            ended.countDown();
                            countOnce.run();
                        }, () -> {
                            if (last.get() == null || last.get().status() != OperationStatus.SUCCESS) {
                                wrongEnds.add(String.valueOf(last.get()));
                            }
                            ended.countDown();
                            countOnce.run();
                        });
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            watch.dispose();
                            countOnce.run(); // a cancelled watch hears nothing more
                        } else if (i % 20 == 0) {
                            // Now and then wait for the end, so loops end and new ones start.
                            awaitQuietly(ended);
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
            // Only once every watch has ended may the responders go: a loop still running on them
            // would lose its next status and never end.
            assertThat(kept.await(30, TimeUnit.SECONDS)).as("every watch ended").isTrue();
        } finally {
            watchers.shutdownNow();
            responders.dispose();
            Hooks.resetOnErrorDropped();
        }
        assertThat(errors).as("errors, an EmissionException included").isEmpty();
        assertThat(dropped).as("dropped errors").isEmpty();
        assertThat(wrongEnds).as("watches that completed without SUCCESS").isEmpty();
        // A watch's completion reaches its subscriber before the watch leaves its loop (doFinally
        // runs after onComplete), so the last leave may still be running on a responder thread:
        // wait for the registry to settle, bounded, then check.
        long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.size() != 0 && System.nanoTime() < settleBy) {
            Thread.onSpinWait();
        }
        assertThat(registry.size()).as("loops left").isZero();
        System.out.println("LoopRegistryConcurrencyTest: " + loopsStarted.get() + " loops for "
                + THREADS * WATCHES_PER_THREAD + " watches");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
