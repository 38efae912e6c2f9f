package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationFailedException;
import io.github.cloudmap.watcher.OperationWatcher;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * The two requests of a self-registration as bounded {@code Mono}s: RegisterInstance and
 * DeregisterInstance, each sent through {@link OperationWatcher#submitAndWatch} (so resubmission
 * after THROTTLED_REQUEST, DuplicateRequest and the submission budget all apply) and each
 * bounded by its own timeout, which covers every attempt and wait.
 *
 * <p>Each {@code Mono} is cold: nothing is sent before subscription, and a new subscription sends
 * anew. The timeout runs on {@link Schedulers#parallel()} looked up at subscription, so it works
 * under {@code StepVerifier.withVirtualTime}. Cancelling stops watching only: Cloud Map has no
 * way to cancel an operation. Immutable and thread-safe. Not part of the public API.
 */
final class InstanceRegistrar {

    private final ServiceDiscoveryAsyncClient client;
    private final OperationWatcher watcher;
    private final String serviceId;

    InstanceRegistrar(ServiceDiscoveryAsyncClient client, OperationWatcher watcher, String serviceId) {
        this.client = Objects.requireNonNull(client, "client");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
    }

    String serviceId() {
        return serviceId;
    }

    /**
     * Registers the instance: the SUCCESS operation, or an {@link OperationFailedException} for a
     * FAIL that was not (or no longer) resubmitted, or a {@link RegistrationTimeoutException}.
     * One CreatorRequestId per subscription, kept across its resubmissions, so a request sent
     * again after a lost answer cannot register twice.
     *
     * @param statuses hears every status change (for the health indicator); must not block
     */
    Mono<Operation> register(String instanceId, Map<String, String> attributes, Duration timeout,
            Consumer<Operation> statuses) {
        Map<String, String> copy = Map.copyOf(attributes);
        return Mono.defer(() -> {
            String creatorRequestId = UUID.randomUUID().toString();
            Mono<String> submission = Mono.fromFuture(() -> client.registerInstance(r -> r
                            .serviceId(serviceId).instanceId(instanceId).creatorRequestId(creatorRequestId)
                            .attributes(copy).overrideConfiguration(OperationWatcher.requestOverrides())))
                    .map(RegisterInstanceResponse::operationId);
            return bounded(watcher.submitAndWatch(submission).doOnNext(statuses).last(), timeout,
                    "RegisterInstance of " + instanceId + " in " + serviceId);
        });
    }

    /** Deregisters the instance; the same outcomes as {@link #register}. */
    Mono<Operation> deregister(String instanceId, Duration timeout, Consumer<Operation> statuses) {
        return Mono.defer(() -> {
            Mono<String> submission = Mono.fromFuture(() -> client.deregisterInstance(r -> r
                            .serviceId(serviceId).instanceId(instanceId)
                            .overrideConfiguration(OperationWatcher.requestOverrides())))
                    .map(DeregisterInstanceResponse::operationId);
            return bounded(watcher.submitAndWatch(submission).doOnNext(statuses).last(), timeout,
                    "DeregisterInstance of " + instanceId + " in " + serviceId);
        });
    }

    private static Mono<Operation> bounded(Mono<Operation> last, Duration timeout, String what) {
        return last
                .flatMap(operation -> operation.status() == OperationStatus.SUCCESS
                        ? Mono.just(operation)
                        : Mono.error(new OperationFailedException(operation)))
                .timeout(timeout, Schedulers.parallel())
                .onErrorMap(TimeoutException.class, e -> new RegistrationTimeoutException(what, timeout));
    }

    /** A registration or deregistration that did not end within its timeout. */
    static final class RegistrationTimeoutException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RegistrationTimeoutException(String what, Duration timeout) {
            super(what + " did not succeed within " + timeout + " (the operation may still finish in Cloud Map;"
                    + " Cloud Map cannot cancel it)");
        }
    }
}
