package io.github.cloudmap.watcher.bench;

import io.github.cloudmap.watcher.OperationWatcher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * The heap that watches hold while they wait: starts N watches of operations that stay PENDING,
 * lets each make a few polls (in virtual time), and reports the retained heap per watch; then
 * cancels them all, drops the watcher, and reports what is still held (static state that would
 * leak across watchers).
 *
 * <p>Run: {@code mvn -q -Pbench test-compile exec:exec@footprint} (N defaults to 10,000).
 */
public final class WatchFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private WatchFootprint() {}

    public static void main(String[] args) throws InterruptedException {
        int watches = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long before = settledHeap();
        long perWatch = measureWaitingWatches(watches, before);
        long after = settledHeap();

        System.out.printf("watches: %,d waiting between polls%n", watches);
        System.out.printf("retained heap per waiting watch: %,d bytes%n", perWatch);
        System.out.printf("heap still held once all were cancelled and the watcher dropped: %,d bytes%n",
                Math.max(0, after - before));
    }

    private static long measureWaitingWatches(int watches, long before) throws InterruptedException {
        CyclingClient client = new CyclingClient(OperationStatus.PENDING);
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock).build();
        List<Disposable> running = new ArrayList<>(watches);
        for (int i = 0; i < watches; i++) {
            running.add(watcher.watch("op-" + i).subscribe());
        }
        clock.advanceTimeBy(Duration.ofSeconds(4)); // each watch has polled 4 times and is waiting
        client.restart(); // the benchmark client's own per-operation counters are not the watcher's
        long during = settledHeap();
        running.forEach(Disposable::dispose);
        clock.advanceTimeBy(Duration.ofMinutes(1));
        clock.dispose();
        return (during - before) / watches;
    }

    private static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100); // a benchmark harness, not a test: let the collector finish
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
