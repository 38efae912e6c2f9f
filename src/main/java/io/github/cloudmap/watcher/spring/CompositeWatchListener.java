package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Hands every event to each of the application's {@link WatchListener} beans in turn, each
 * guarded on its own so that one that throws does not keep the event from the others. Thread-safe
 * if the listeners are. Not part of the public API.
 */
final class CompositeWatchListener implements WatchListener {

    private static final Logger log = LoggerFactory.getLogger(CompositeWatchListener.class);

    private final List<WatchListener> listeners;

    private CompositeWatchListener(List<WatchListener> listeners) {
        this.listeners = listeners;
    }

    /** One listener for all of {@code listeners}: none, the one, or a composite. */
    static WatchListener of(List<WatchListener> listeners) {
        return switch (listeners.size()) {
            case 0 -> WatchListener.NONE;
            case 1 -> listeners.get(0);
            default -> new CompositeWatchListener(List.copyOf(listeners));
        };
    }

    /**
     * Calls each listener; one that throws is logged and the others still hear the event. What is
     * contained is what the watcher's own guard contains: everything but the JVM-fatal errors
     * Reactor never catches either.
     */
    private void each(String event, Consumer<WatchListener> call) {
        for (WatchListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (Throwable e) {
                Exceptions.throwIfJvmFatal(e);
                log.warn("WatchListener {} threw from {}; the other listeners and the watch go on", listener, event, e);
            }
        }
    }

    @Override
    public void onPoll(String operationId) {
        each("onPoll", l -> l.onPoll(operationId));
    }

    @Override
    public void onBudgetWait(String operationId, Duration waited) {
        each("onBudgetWait", l -> l.onBudgetWait(operationId, waited));
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        each("onThrottled", l -> l.onThrottled(operationId, error));
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        each("onTransientError", l -> l.onTransientError(operationId, error));
    }

    @Override
    public void onNotFound(String operationId) {
        each("onNotFound", l -> l.onNotFound(operationId));
    }

    @Override
    public void onStatusChange(Operation operation) {
        each("onStatusChange", l -> l.onStatusChange(operation));
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        each("onResubmit", l -> l.onResubmit(failed, cause, attempt));
    }

    @Override
    public void onDuplicate(String duplicateOperationId, DuplicateRequestException duplicate) {
        each("onDuplicate", l -> l.onDuplicate(duplicateOperationId, duplicate));
    }

    @Override
    public void onCoalescingOff(Throwable cause) {
        each("onCoalescingOff", l -> l.onCoalescingOff(cause));
    }

    @Override
    public String toString() {
        return "CompositeWatchListener" + listeners;
    }
}
