package io.github.cloudmap.watcher.spring;

import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Published once the application's RegisterInstance operation has reached SUCCESS, during
 * startup, after the web server started and before the application reports ready.
 *
 * <pre>{@code
 * @EventListener
 * void registered(InstanceRegisteredEvent event) {
 *     log.info("in Cloud Map as {} ({})", event.instanceId(), event.operation().id());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public class InstanceRegisteredEvent extends CloudMapInstanceEvent {

    InstanceRegisteredEvent(CloudMapInstanceRegistration source, String serviceId, String instanceId,
            Operation operation) {
        super(source, serviceId, instanceId, operation);
    }
}
