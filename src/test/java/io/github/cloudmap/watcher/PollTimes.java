package io.github.cloudmap.watcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Records the virtual time of every poll and counts what a watch absorbed. */
final class PollTimes implements WatchListener {

    final List<Long> millis = new CopyOnWriteArrayList<>();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger transientErrors = new AtomicInteger();
    final AtomicInteger notFound = new AtomicInteger();
    final AtomicInteger resubmits = new AtomicInteger();

    @Override
    public void onPoll(String operationId) {
        millis.add(VirtualTimeScheduler.get().now(TimeUnit.MILLISECONDS));
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
    public void onResubmit(software.amazon.awssdk.services.servicediscovery.model.Operation failed,
                           Throwable cause, int attempt) {
        resubmits.incrementAndGet();
    }
}
