package io.github.cloudmap.watcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/** Counts what watches did, for assertions; thread-safe. */
public class CountingListener implements WatchListener {

    public final AtomicInteger polls = new AtomicInteger();
    public final AtomicInteger throttled = new AtomicInteger();
    public final AtomicInteger transientErrors = new AtomicInteger();
    public final AtomicInteger notFound = new AtomicInteger();
    public final AtomicInteger resubmits = new AtomicInteger();
    public final List<Operation> changes = new CopyOnWriteArrayList<>();

    /** Forgets everything counted so far. */
    public void reset() {
        polls.set(0);
        throttled.set(0);
        transientErrors.set(0);
        notFound.set(0);
        resubmits.set(0);
        changes.clear();
    }

    @Override
    public void onPoll(String operationId) {
        polls.incrementAndGet();
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        throttled.incrementAndGet();
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        transientErrors.incrementAndGet();
    }

    @Override
    public void onNotFound(String operationId) {
        notFound.incrementAndGet();
    }

    @Override
    public void onStatusChange(Operation operation) {
        changes.add(operation);
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        resubmits.incrementAndGet();
    }
}
