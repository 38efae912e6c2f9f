package io.github.cloudmap.watcher.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * What a contender saw of the run's operations: when it first saw each terminal state (the
 * detection lag is that time minus the operation's terminal UpdateDate, both read from this
 * machine's clock), second sightings of a terminal state, errors that reached the caller, and
 * watches that ran into their time bound. Each operation ends once: terminal, error or bound.
 *
 * <p>Thread-safe.
 */
final class Observations {

    private final ConcurrentHashMap<String, Long> lagMillis = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> ended = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicLong lastEnd = new AtomicLong();
    private final CountDownLatch remaining;
    private final List<String> errorSamples = new ArrayList<>();
    /** Set once the run is over: what a contender reports while it is being closed does not count. */
    private volatile boolean frozen;

    Observations(int operations) {
        this.remaining = new CountDownLatch(operations);
    }

    static boolean isTerminal(Operation op) {
        return op.status() == OperationStatus.SUCCESS || op.status() == OperationStatus.FAIL;
    }

    /** A status the contender saw; only terminal ones count. */
    void saw(Operation op) {
        if (isTerminal(op)) {
            sawTerminal(op.id(), op.updateDate().toEpochMilli(), System.currentTimeMillis());
        }
    }

    /**
     * A terminal state seen at {@code seenMillis}, possibly by another process on this machine (the
     * same clock): what {@link #saw} records, for contenders whose watches run in child JVMs.
     */
    void sawTerminal(String operationId, long updateMillis, long seenMillis) {
        if (frozen) {
            return;
        }
        if (lagMillis.putIfAbsent(operationId, seenMillis - updateMillis) != null) {
            duplicates.incrementAndGet();
            return;
        }
        end(operationId, seenMillis);
    }

    /** An error reached the caller for this operation (not its time bound). */
    void error(String operationId, Throwable error) {
        if (frozen || ended.containsKey(operationId)) {
            return;
        }
        errors.incrementAndGet();
        synchronized (errorSamples) {
            if (errorSamples.size() < 3) {
                errorSamples.add(operationId + ": " + error);
            }
        }
        end(operationId, System.currentTimeMillis());
    }

    /** The watch of this operation ran into its time bound. */
    void timedOut(String operationId) {
        if (frozen || ended.containsKey(operationId)) {
            return;
        }
        timedOut.incrementAndGet();
        end(operationId, System.currentTimeMillis());
    }

    boolean hasEnded(String operationId) {
        return ended.containsKey(operationId);
    }

    private void end(String operationId, long now) {
        if (ended.putIfAbsent(operationId, Boolean.TRUE) == null) {
            lastEnd.accumulateAndGet(now, Math::max);
            remaining.countDown();
        }
    }

    /**
     * Ends the run's bookkeeping: from now on nothing is recorded, and every operation that has
     * not ended counts as having run into its bound.
     */
    void freeze(List<String> operationIds) {
        operationIds.forEach(this::timedOut);
        frozen = true;
    }

    boolean await(long millis) throws InterruptedException {
        return remaining.await(millis, TimeUnit.MILLISECONDS);
    }

    long[] sortedLags() {
        return lagMillis.values().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    int terminalObserved() {
        return lagMillis.size();
    }

    int duplicates() {
        return duplicates.get();
    }

    int errors() {
        return errors.get();
    }

    int timedOut() {
        return timedOut.get();
    }

    long lastEndMillis() {
        return lastEnd.get();
    }

    List<String> errorSamples() {
        synchronized (errorSamples) {
            return List.copyOf(errorSamples);
        }
    }
}
