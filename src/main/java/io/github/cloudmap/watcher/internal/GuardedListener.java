package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.WatchListener;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Calls a user's {@link WatchListener} so that whatever it throws is logged instead of ending
 * the watch: a metrics bug must not turn into a failed deployment. Listeners are called by the
 * poll loop that every watch of an operation shares, so anything that escaped would end all of
 * them.
 *
 * <p>Contained: every {@link Exception} and every {@link Error} (an {@code AssertionError} from
 * a test's listener, a {@code NoSuchElementException}...), except the JVM-fatal ones that
 * Reactor never catches either ({@link Exceptions#throwIfJvmFatal}): {@link VirtualMachineError}
 * (out of memory, stack overflow), {@link ThreadDeath} and {@link LinkageError}; after those the
 * JVM, or the classpath, cannot be trusted to go on.
 *
 * <p>Thread-safe if the listener is. Not part of the public API.
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
        } catch (Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            log.warn("WatchListener {} threw from {}; the watch goes on", delegate, event, e);
        }
    }

    @Override
    public void onPoll(String operationId) {
        call("onPoll", l -> l.onPoll(operationId));
    }

    @Override
    public void onBudgetWait(String operationId, java.time.Duration waited) {
        call("onBudgetWait", l -> l.onBudgetWait(operationId, waited));
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

    @Override
    public void onCoalescingOff(Throwable cause) {
        call("onCoalescingOff", l -> l.onCoalescingOff(cause));
    }
}
