package io.github.cloudmap.watcher.spring;

import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Published during shutdown once the application's DeregisterInstance operation has reached
 * SUCCESS, before the web server stops accepting requests. Not published when the
 * deregistration failed or timed out (that is logged).
 *
 * <p>Immutable and thread-safe.
 */
public class InstanceDeregisteredEvent extends CloudMapInstanceEvent {

    InstanceDeregisteredEvent(CloudMapInstanceRegistration source, String serviceId, String instanceId,
            Operation operation) {
        super(source, serviceId, instanceId, operation);
    }
}
