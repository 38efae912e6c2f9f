package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import io.github.cloudmap.watcher.testing.TaskCountingScheduler;
import io.github.resilience4j.retry.Retry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * After 10,000 watches through one watcher have completed, failed, timed out or been cancelled
 * (at every moment: before the first answer, between polls, while a request hangs), nothing of
 * them remains: no poll loop in the registry, no timer or delivery worker on the watcher's
 * scheduler, no hanging request, no reference to any of their subscribers, no new thread, and
 * the heap is back near where it started. Checked on the watcher's own bookkeeping and by
 * forcing GC; nothing here is timed.
 */
class WatchLeakTest {

    private static final int WATCHES = 10_000;
    private static final int BATCH = 500;
    /**
     * Eight times the noise seen between two forced GCs here (about 0.5 MB); 10,000 retained
     * watches hold about 25 MB, and even the bare loops alone about 5.5 MB (tried by keeping them).
     */
    private static final long HEAP_BOUND_BYTES = 4L * 1024 * 1024;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final TaskCountingScheduler scheduler = new TaskCountingScheduler(clock);
    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final Random random = new Random(20261127L);
    private final OperationPoller poller = new OperationPoller(new WatchSettings(client,
            Duration.ofMillis(500), Duration.ofSeconds(10), 2.0, 2.0, 0.2, () -> random,
            Duration.ofSeconds(20), null, () -> scheduler, Duration.ofSeconds(5),
            Retry.of("t", OperationWatcherBuilder.defaultTransientRetry()),
            Retry.of("r", OperationWatcherBuilder.defaultResubmission()),
            RequestBudget.adaptive(), RequestBudget.adaptive(), WatchListener.NONE, null));
    private final Map<String, Integer> outcomes = new TreeMap<>();
    /** Every status delivered: a loop, sink or buffer that outlived its watches would keep one. */
    private final List<WeakReference<Object>> delivered = new ArrayList<>();

    /** How each watch goes; the operation IDs repeat, so concurrent watches share loops. */
    private enum Path { COMPLETES, FAILS, ERRORS, NOT_FOUND, TIMES_OUT, HANGS, CANCELLED_AT_ONCE,
        CANCELLED_WHILE_WAITING, CANCELLED_WHILE_HANGING, STINGY_THEN_CANCELLED }

    @Test
    void tenThousandWatchesLeaveNothingBehind() {
        for (int k = 0; k < 20; k++) {
            client.script("ok-" + k).submitted().pending().pending().success();
            client.script("fail-" + k).submitted().fail("INTERNAL_FAILURE", "scripted");
            client.script("bad-" + k).pending().error(() -> SdkErrors.invalidInput("scripted"));
            client.script("slow-" + k).pending().throttle().pending();
            client.script("hang-" + k).hang();
        }
        Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
        run(1_000, new ArrayList<>()); // warm-up: classes loaded, JIT and pools settled
        client.forgetHistory();
        long baseline = usedHeapAfterGc();
        outcomes.clear();
        delivered.clear();

        List<WeakReference<Object>> subscribers = new ArrayList<>();
        run(WATCHES, subscribers);

        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(WATCHES);
        assertThat(poller.runningLoops()).as("poll loops").isZero();
        assertThat(scheduler.outstandingTasks()).as("timers").isZero();
        assertThat(scheduler.openWorkers()).as("delivery workers").isZero();
        assertThat(client.hangingRequests()).as("hanging requests").isZero();
        client.forgetHistory();
        clock.advanceTimeBy(Duration.ofHours(1));
        assertThat(client.getOperationRequests()).as("requests after every watch ended").isEmpty();

        assertThat(collected(subscribers)).as("subscribers no longer referenced").isEqualTo(subscribers.size());
        assertThat(delivered).hasSizeGreaterThan(WATCHES / 10);
        assertThat(collected(delivered)).as("statuses no longer referenced").isEqualTo(delivered.size());
        long after = usedHeapAfterGc();
        System.out.printf("WatchLeakTest: %,d watches %s; heap after GC %,d KB before, %,d KB after%n",
                WATCHES, outcomes, baseline / 1024, after / 1024);
        assertThat(after).as("heap after GC, bytes (baseline %,d)", baseline).isLessThan(baseline + HEAP_BOUND_BYTES);
        Set<Thread> newThreads = new HashSet<>(Thread.getAllStackTraces().keySet());
        newThreads.removeAll(threadsBefore);
        newThreads.removeIf(t -> !t.isAlive());
        assertThat(newThreads).as("threads started during the watches").isEmpty();
    }

    /** Runs {@code count} watches in batches, each batch to its end in virtual time. */
    private void run(int count, List<WeakReference<Object>> subscribers) {
        Path[] paths = Path.values();
        for (int started = 0; started < count; started += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                Path path = paths[random.nextInt(paths.length)];
                Watch watch = new Watch(path);
                subscribers.add(new WeakReference<>(watch));
                String id = operationId(path, random.nextInt(20));
                poller.watch(Mono.just(id), null).subscribe(watch);
                watch.cancelLater();
            }
            clock.advanceTimeBy(Duration.ofMinutes(1));
        }
    }

    private static String operationId(Path path, int k) {
        return switch (path) {
            case COMPLETES -> "ok-" + k;
            case FAILS -> "fail-" + k;
            case ERRORS -> "bad-" + k;
            case NOT_FOUND -> "missing-" + k;
            case TIMES_OUT, CANCELLED_AT_ONCE, CANCELLED_WHILE_WAITING, STINGY_THEN_CANCELLED -> "slow-" + k;
            case HANGS, CANCELLED_WHILE_HANGING -> "hang-" + k;
        };
    }

    /** One watch's subscriber; counts how it ended. */
    private final class Watch extends BaseSubscriber<Operation> {
        private final Path path;

        Watch(Path path) {
            this.path = path;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(path == Path.STINGY_THEN_CANCELLED ? 1 : Long.MAX_VALUE);
        }

        void cancelLater() {
            switch (path) {
                case CANCELLED_AT_ONCE -> dispose();
                case CANCELLED_WHILE_WAITING, CANCELLED_WHILE_HANGING, STINGY_THEN_CANCELLED -> {
                    long delay = 1 + random.nextInt(15_000);
                    // On the bare clock: a test timer, not one of the watcher's.
                    clock.schedule(this::dispose, delay, TimeUnit.MILLISECONDS);
                }
                default -> { }
            }
        }

        @Override
        protected void hookOnNext(Operation operation) {
            delivered.add(new WeakReference<>(operation));
        }

        @Override
        protected void hookOnComplete() {
            outcomes.merge(path + " completed", 1, Integer::sum);
        }

        @Override
        protected void hookOnError(Throwable error) {
            outcomes.merge(path + " " + error.getClass().getSimpleName(), 1, Integer::sum);
        }

        @Override
        protected void hookOnCancel() {
            outcomes.merge(path + " cancelled", 1, Integer::sum);
        }
    }

    private static int collected(List<WeakReference<Object>> references) {
        for (int attempt = 0; attempt < 10; attempt++) {
            System.gc();
            if (references.stream().allMatch(r -> r.get() == null)) {
                break;
            }
        }
        return (int) references.stream().filter(r -> r.get() == null).count();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
