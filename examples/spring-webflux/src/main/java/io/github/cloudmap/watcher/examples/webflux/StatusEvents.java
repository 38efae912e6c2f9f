package io.github.cloudmap.watcher.examples.webflux;

import io.github.cloudmap.watcher.OperationTimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Turns a watcher's {@code Flux<Operation>} into the Server-Sent Events a client reads:
 * <pre>
 * event: status     one per status change, a resubmitted THROTTLED_REQUEST FAIL included
 * event: succeeded  last, after SUCCESS
 * event: failed     last, after a FAIL that was not (or no longer) resubmitted
 * event: error      last, when watching itself failed: a timeout (with the last status seen),
 *                   an operation that does not exist, a request Cloud Map refused
 * </pre>
 * Every stream ends with exactly one of the last three, so a client never has to guess whether it
 * missed the end. The stream is as cold as the watch: a client that disconnects cancels its
 * subscription, and the watch stops polling.
 *
 * <p>Stateless and thread-safe.
 */
final class StatusEvents {

    private StatusEvents() {}

    static Flux<ServerSentEvent<Object>> of(Flux<Operation> statuses) {
        return Flux.defer(() -> {
            AtomicReference<Operation> last = new AtomicReference<>();
            return statuses
                    .doOnNext(last::set)
                    .map(operation -> event("status", OperationEvent.of(operation)))
                    .concatWith(Mono.fromSupplier(() -> terminal(last.get())))
                    .onErrorResume(error -> Mono.just(event("error", error(error, last.get()))));
        });
    }

    private static ServerSentEvent<Object> terminal(Operation operation) {
        boolean success = operation != null && operation.status() == OperationStatus.SUCCESS;
        return event(success ? "succeeded" : "failed", OperationEvent.of(operation));
    }

    private static ErrorEvent error(Throwable error, Operation last) {
        if (error instanceof OperationTimeoutException timeout) {
            // The watcher's own last observation, so the event says where the operation stood.
            Operation seen = timeout.lastObserved() != null ? timeout.lastObserved() : last;
            return new ErrorEvent("timeout", timeout.getMessage(), OperationEvent.of(seen));
        }
        if (error instanceof OperationNotFoundException) {
            return new ErrorEvent("not-found", error.getMessage(), OperationEvent.of(last));
        }
        return new ErrorEvent("request-failed", error.getMessage(), OperationEvent.of(last));
    }

    private static ServerSentEvent<Object> event(String name, Object data) {
        return ServerSentEvent.builder(data).event(name).build();
    }
}
