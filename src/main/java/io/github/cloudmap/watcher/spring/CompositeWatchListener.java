package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.internal.GuardedListener;
import java.util.List;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Hands every event to each of the application's {@link WatchListener} beans in turn, each
 * guarded on its own so that one that throws does not keep the event from the others. Thread-safe
 * if the listeners are. Not part of the public API.
 */
final class CompositeWatchListener implements WatchListener {

    private final List<WatchListener> listeners;

    private CompositeWatchListener(List<WatchListener> listeners) {
        this.listeners = listeners;
    }

    /** One listener for all of {@code listeners}: none, the one, or a composite. */
    static WatchListener of(List<WatchListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> WatchListener.NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeWatchListener(listeners.stream().map(GuardedListener::guard).toList());
        };
    }

    @Override
    public void onPoll(String operationId) {
        listeners.forEach(l -> l.onPoll(operationId));
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        listeners.forEach(l -> l.onThrottled(operationId, error));
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        listeners.forEach(l -> l.onTransientError(operationId, error));
    }

    @Override
    public void onNotFound(String operationId) {
        listeners.forEach(l -> l.onNotFound(operationId));
    }

    @Override
    public void onStatusChange(Operation operation) {
        listeners.forEach(l -> l.onStatusChange(operation));
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        listeners.forEach(l -> l.onResubmit(failed, cause, attempt));
    }

    @Override
    public String toString() {
        return "CompositeWatchListener" + listeners;
    }
}
