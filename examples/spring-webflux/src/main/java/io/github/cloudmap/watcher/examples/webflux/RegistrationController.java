package io.github.cloudmap.watcher.examples.webflux;

import io.github.cloudmap.watcher.OperationWatcher;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * Registers instances and streams operations as Server-Sent Events ({@link StatusEvents}):
 * <ul>
 *   <li>{@code POST /services/{serviceId}/instances} with {@code {"instanceId": ..., "attributes": {...}}}
 *       sends RegisterInstance through {@link OperationWatcher#submitAndWatch}, which resubmits it
 *       when the operation FAILs with THROTTLED_REQUEST; the stream shows every attempt;</li>
 *   <li>{@code GET /operations/{operationId}} streams an operation started elsewhere.</li>
 * </ul>
 * Both beans come from the auto-configuration. Thread-safe.
 */
@RestController
public class RegistrationController {

    private final ServiceDiscoveryAsyncClient client;
    private final OperationWatcher watcher;

    public RegistrationController(ServiceDiscoveryAsyncClient client, OperationWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    @PostMapping(path = "/services/{serviceId}/instances", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Object>> register(@PathVariable String serviceId, @RequestBody InstanceRequest instance) {
        if (instance.instanceId() == null || instance.instanceId().isBlank()) {
            throw new IllegalArgumentException("instanceId is required");
        }
        Map<String, String> attributes = instance.attributes() == null ? Map.of() : instance.attributes();
        // One idempotency token per registration, kept across resubmissions, so a resubmitted
        // request can never register twice.
        String creatorRequestId = UUID.randomUUID().toString();
        // fromFuture(supplier): the watcher sends a new request on each resubmission.
        Mono<String> submission = Mono.fromFuture(() -> client.registerInstance(r -> r
                        .serviceId(serviceId)
                        .instanceId(instance.instanceId())
                        .creatorRequestId(creatorRequestId)
                        .attributes(attributes)
                        // The watcher is the one retry layer for the submission too.
                        .overrideConfiguration(OperationWatcher.requestOverrides())))
                .map(RegisterInstanceResponse::operationId);
        return StatusEvents.of(watcher.submitAndWatch(submission));
    }

    @GetMapping(path = "/operations/{operationId}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Object>> operation(@PathVariable String operationId) {
        return StatusEvents.of(watcher.watch(operationId));
    }

    /** A bad operation ID or body is the caller's mistake: 400 with the reason, before any request. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
    }
}
