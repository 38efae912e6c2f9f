package io.github.cloudmap.watcher;

import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Hears what a watch does behind its emitted statuses: each poll, each throttled or retried
 * call, each resubmission, each duplicate followed. Use it for metrics and logs; the default methods do nothing.
 *
 * <p>Events are per poll loop: concurrent watches of one operation share a loop and are heard
 * once (a watch that joins a running loop hears no {@code onStatusChange} for the status it is
 * replayed).
 *
 * <p>Implementations must be thread-safe and quick, and should not block: they are called on
 * the threads that run the poll loop (the SDK's response threads and the watcher's scheduler),
 * which every watch of the operation shares; a listener that blocks delays them all. (Watches'
 * subscribers, by contrast, are called on a delivery worker of their own; see
 * {@link OperationWatcherBuilder#deliveryScheduler}.)
 *
 * <p>A listener cannot break a watch: whatever it throws is logged at WARN and the watch goes
 * on, an {@link Error} such as {@code AssertionError} included. Only the JVM-fatal errors that
 * Reactor never catches either (a {@link VirtualMachineError} such as {@code OutOfMemoryError},
 * {@code ThreadDeath}, a {@link LinkageError}) are rethrown. A test that asserts inside a listener
 * therefore sees a failed assertion in the log, not in the watch: record what the listener
 * heard and assert on the test's thread.
 *
 * <pre>{@code
 * LongAdder throttled = new LongAdder();
 * OperationWatcher watcher = OperationWatcher.builder(client)
 *     .listener(new WatchListener() {
 *         public void onThrottled(String operationId, Throwable error) { throttled.increment(); }
 *     })
 *     .build();
 * }</pre>
 */
public interface WatchListener {

    /** A listener that does nothing: the default. */
    WatchListener NONE = new WatchListener() { };

    /**
     * A GetOperation request is about to be sent.
     *
     * @param operationId the operation polled
     */
    default void onPoll(String operationId) { }

    /**
     * A GetOperation request waited for the watcher's {@linkplain RequestBudget rate budget}
     * before it was sent: a local wait, not a throttle by the service (those are
     * {@link #onThrottled}). Not called when the permit came at once.
     *
     * @param operationId the operation polled
     * @param waited how long the request waited for its permit
     */
    default void onBudgetWait(String operationId, java.time.Duration waited) { }

    /**
     * A GetOperation call was throttled by the service; the watch slows down and goes on.
     *
     * @param operationId the operation polled
     * @param error the throttling exception
     */
    default void onThrottled(String operationId, Throwable error) { }

    /**
     * A GetOperation call failed transiently (HTTP 5xx, I/O) and will be retried.
     *
     * @param operationId the operation polled
     * @param error the failure
     */
    default void onTransientError(String operationId, Throwable error) { }

    /**
     * Cloud Map did not know the operation yet; tolerated within the grace window.
     *
     * @param operationId the operation polled
     */
    default void onNotFound(String operationId) { }

    /**
     * The poll loop saw a new status, which its watches emit.
     *
     * @param operation the operation in its new status
     */
    default void onStatusChange(Operation operation) { }

    /**
     * A submission is sent again: after a retryable FAIL ({@code failed} is that operation)
     * or a throttled submission ({@code failed} is null).
     *
     * @param failed the FAIL operation, or null after a throttled submission
     * @param cause why the request is sent again
     * @param attempt the number of the attempt about to start, 2 for the first resubmission
     */
    default void onResubmit(Operation failed, Throwable cause, int attempt) { }

    /**
     * A submission was answered {@code DuplicateRequest}: the same work already runs as
     * another operation (a create or a registration sent twice, a retried request whose answer
     * was lost), and {@code submitAndWatch} follows that operation instead of failing. The
     * statuses that follow are that operation's.
     *
     * @param duplicateOperationId the operation being followed, from {@code DuplicateOperationId}
     * @param duplicate the SDK's exception, as the submission failed with it
     */
    default void onDuplicate(String duplicateOperationId, DuplicateRequestException duplicate) { }

    /**
     * Coalesced polling was turned off for this watcher because ListOperations was refused with
     * a client error that is not a throttle (typically AccessDenied: a policy that grants
     * GetOperation only). The watcher goes on with per-operation polling; no watch fails. Heard
     * at most once per watcher.
     *
     * @param cause the refusal, as the SDK reported it
     */
    default void onCoalescingOff(Throwable cause) { }
}
