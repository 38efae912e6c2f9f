package io.github.cloudmap.watcher.examples.webflux;

import java.util.Map;

/**
 * The body of {@code POST /services/{serviceId}/instances}.
 *
 * @param instanceId the instance's ID in the service
 * @param attributes Cloud Map attributes, for example {@code {"AWS_INSTANCE_IPV4": "10.0.0.1"}}
 */
public record InstanceRequest(String instanceId, Map<String, String> attributes) {
}
