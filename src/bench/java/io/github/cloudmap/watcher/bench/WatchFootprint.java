package io.github.cloudmap.watcher.bench;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
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
        // Unlimited first: every watch has polled and waits between polls. Then with the default
        // budget (20/s at the start, slow start): most of the watches still queue for a permit
        // at the 4 s mark, so this is the heap of a watch waiting in the budget's queue.
        for (boolean budgeted : new boolean[] {false, true}) {
            long before = settledHeap();
            long perWatch = measureWaitingWatches(watches, before, budgeted);
            long after = settledHeap();
            System.out.printf("%s: %,d watches%n", budgeted
                    ? "default rate budget (most watches queued for a permit)"
                    : "no budget (RequestBudget.unlimited(): every watch waiting between polls)", watches);
            System.out.printf("  retained heap per watch: %,d bytes%n", perWatch);
            System.out.printf("  heap still held once all were cancelled and the watcher dropped: %,d bytes%n",
                    Math.max(0, after - before));
        }
    }

    private static long measureWaitingWatches(int watches, long before, boolean budgeted)
            throws InterruptedException {
        CyclingClient client = new CyclingClient(OperationStatus.PENDING);
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        OperationWatcherBuilder builder = OperationWatcher.builder(client).scheduler(clock);
        if (!budgeted) {
            builder.pollBudget(RequestBudget.unlimited());
        }
        OperationWatcher watcher = builder.build();
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
