package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.WatchListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjIntConsumer;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Counts what the demo's watches do behind the statuses they emit: polls, throttled polls
 * absorbed, transient retries, resubmissions, and the distinct operations seen.
 *
 * <p>Thread-safe: every watch of the demo calls it from its own thread.
 */
final class DemoStats implements WatchListener {

    private final LongAdder polls = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    private final LongAdder transientErrors = new LongAdder();
    private final LongAdder notFound = new LongAdder();
    private final LongAdder statusChanges = new LongAdder();
    private final LongAdder resubmissions = new LongAdder();
    private final Set<String> operations = ConcurrentHashMap.newKeySet();
    private final ObjIntConsumer<Operation> onResubmit;

    /** @param onResubmit also told of each resubmission (the failed operation, or null, and the attempt) */
    DemoStats(ObjIntConsumer<Operation> onResubmit) {
        this.onResubmit = onResubmit;
    }

    @Override
    public void onPoll(String operationId) {
        polls.increment();
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        throttled.increment();
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        transientErrors.increment();
    }

    @Override
    public void onNotFound(String operationId) {
        notFound.increment();
    }

    @Override
    public void onStatusChange(Operation operation) {
        statusChanges.increment();
        operations.add(operation.id());
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        resubmissions.increment();
        onResubmit.accept(failed, attempt);
    }

    long polls() {
        return polls.sum();
    }

    long throttled() {
        return throttled.sum();
    }

    long transientErrors() {
        return transientErrors.sum();
    }

    long notFound() {
        return notFound.sum();
    }

    long statusChanges() {
        return statusChanges.sum();
    }

    long resubmissions() {
        return resubmissions.sum();
    }

    int operations() {
        return operations.size();
    }
}
