package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.WatchListener;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Calls a user's {@link WatchListener} so that an exception it throws is logged instead of
 * ending the watch: a metrics bug must not turn into a failed deployment. Thread-safe if the
 * listener is. Not part of the public API.
 */
final class GuardedListener implements WatchListener {

    private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

    private final WatchListener delegate;

    private GuardedListener(WatchListener delegate) {
        this.delegate = delegate;
    }

    /** Guards {@code listener}, unless it is the no-op one. */
    static WatchListener guard(WatchListener listener) {
        return listener == NONE || listener instanceof GuardedListener ? listener : new GuardedListener(listener);
    }

    private void call(String event, Consumer<WatchListener> call) {
        try {
            call.accept(delegate);
        } catch (RuntimeException e) {
            log.warn("WatchListener {} threw from {}; the watch goes on", delegate, event, e);
        }
    }

    @Override
    public void onPoll(String operationId) {
        call("onPoll", l -> l.onPoll(operationId));
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        call("onThrottled", l -> l.onThrottled(operationId, error));
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        call("onTransientError", l -> l.onTransientError(operationId, error));
    }

    @Override
    public void onNotFound(String operationId) {
        call("onNotFound", l -> l.onNotFound(operationId));
    }

    @Override
    public void onStatusChange(Operation operation) {
        call("onStatusChange", l -> l.onStatusChange(operation));
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        call("onResubmit", l -> l.onResubmit(failed, cause, attempt));
    }

    @Override
    public void onDuplicate(String duplicateOperationId, DuplicateRequestException duplicate) {
        call("onDuplicate", l -> l.onDuplicate(duplicateOperationId, duplicate));
    }
}
