package io.github.cloudmap.watcher.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Where the poll loop, the watches and the resubmission report what they do for tracing: a
 * watch from subscription to its end, each GetOperation request, each {@code submitAndWatch}.
 *
 * <p>It names no Micrometer type on purpose: the core loads and runs without Micrometer on the
 * class path, and the one implementation that uses it ({@code observation.ObservationWatchObserver})
 * is loaded only when the builder was given an {@code ObservationRegistry}. {@link #NONE}, the
 * default, returns shared no-op handles and leaves every Flux as it was, so a watcher without a
 * registry pays one interface call per hook and allocates nothing.
 *
 * <p>Implementations are thread-safe. Not part of the public API.
 */
public interface WatchObserver {

    /** Observes nothing: the default. */
    WatchObserver NONE = new WatchObserver() { };

    /**
     * A watch was subscribed to.
     *
     * @param ownerAccount the account that owns a shared namespace, or null
     * @param subscriber the subscriber's context, where the caller's current observation is
     * @param scheduler the clock the watch's duration is measured with
     * @return the watch's record
     */
    default Watch watch(String ownerAccount, ContextView subscriber, Scheduler scheduler) {
        return Watch.NONE;
    }

    /**
     * A GetOperation request of the loop of {@code operationId} starts waiting for its permit.
     *
     * @param operationId the operation polled
     * @param ownerAccount the account that owns a shared namespace, or null
     * @param scheduler the clock the budget wait and the wire time are measured with
     * @return the poll's record
     */
    default Poll poll(String operationId, String ownerAccount, Scheduler scheduler) {
        return Poll.NONE;
    }

    /**
     * Observes a whole {@code submitAndWatch}, subscribed once per subscription.
     *
     * @param attempts the submissions and their watches
     * @param ownerAccount the account that owns a shared namespace, or null
     * @param submissions how many submissions were sent so far
     * @return {@code attempts}, observed
     */
    default Flux<Operation> submission(Flux<Operation> attempts, String ownerAccount, IntSupplier submissions) {
        return attempts;
    }

    /** One watch, from subscription to its terminal state, error or cancel. */
    interface Watch {

        /** Observes nothing. */
        Watch NONE = new Watch() { };

        /** The watch learned its operation ID and is about to join the operation's poll loop. */
        default void operationId(String operationId) { }

        /** Observes the watch's statuses and end; called once per subscription. */
        default Flux<Operation> observe(Flux<Operation> statuses) {
            return statuses;
        }
    }

    /** One GetOperation request: its wait for a permit, then its time on the wire. */
    interface Poll {

        /** Observes nothing. */
        Poll NONE = new Poll() { };

        /** The permit was granted: the wait is over, the request is about to be sent. */
        default void permitted() { }

        /**
         * Sends the request with this poll current on the calling thread, so an instrumented
         * SDK client's own spans nest under it.
         */
        default CompletableFuture<GetOperationResponse> send(Supplier<CompletableFuture<GetOperationResponse>> call) {
            return call.get();
        }

        /** Observes the request's outcome, or its cancellation; called once per request. */
        default Mono<GetOperationResponse> observe(Mono<GetOperationResponse> request) {
            return request;
        }
    }
}
