package io.github.cloudmap.watcher.spring;

import java.util.Objects;
import org.springframework.context.ApplicationEvent;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * A change of the application's own Cloud Map instance, published by
 * {@link CloudMapInstanceRegistration}: {@link InstanceRegisteredEvent} or
 * {@link InstanceDeregisteredEvent}. The source is the registration bean.
 *
 * <p>Immutable and thread-safe.
 */
public abstract class CloudMapInstanceEvent extends ApplicationEvent {

    /** The service the instance is (or was) registered in. */
    private final String serviceId;
    /** The instance's ID. */
    private final String instanceId;
    private final transient Operation operation;

    CloudMapInstanceEvent(CloudMapInstanceRegistration source, String serviceId, String instanceId,
            Operation operation) {
        super(source);
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    /** {@return the service the instance is (or was) registered in} */
    public String serviceId() {
        return serviceId;
    }

    /** {@return the instance's ID} */
    public String instanceId() {
        return instanceId;
    }

    /** {@return the operation that ended in SUCCESS, as GetOperation returned it} */
    public Operation operation() {
        return operation;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[service=" + serviceId + ", instance=" + instanceId
                + ", operation=" + operation.id() + "]";
    }
}
