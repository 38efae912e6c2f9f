package io.github.cloudmap.watcher.emulator;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** One service in {@link EmulatorState}; mutable fields change only under the state lock. */
final class ServiceEntry {
    final long seq;
    final String id;
    final String arn;
    final String name;
    final String namespaceId;
    final String type;
    final Instant createDate;
    final String creatorRequestId;
    String description;
    /** Validated settings, each {@code null} when the service has none. */
    ServiceConfig.Dns dnsConfig;
    ServiceConfig.HealthCheck healthCheckConfig;
    ServiceConfig.CustomHealthCheck healthCheckCustomConfig;
    /** Registered instances by ID, in registration order. */
    final Map<String, InstanceEntry> instances = new LinkedHashMap<>();
    /**
     * Bumped when an instance is registered or deregistered (not on health changes, as the model
     * says); DiscoverInstances and DiscoverInstancesRevision report it as InstancesRevision.
     */
    long revision = 1;
    /** Custom health status (HEALTHY or UNHEALTHY) by instance ID, for a service with HealthCheckCustomConfig. */
    final Map<String, String> customHealth = new HashMap<>();
    /** Tags by key, in the order they were first set. */
    final Map<String, String> tags = new LinkedHashMap<>();
    /** Service attributes (UpdateServiceAttributes) by key, in the order they were first set. */
    final Map<String, String> attributes = new LinkedHashMap<>();

    ServiceEntry(long seq, String id, String arn, String name, String namespaceId, String type,
                 Instant createDate, String creatorRequestId) {
        this.seq = seq;
        this.id = id;
        this.arn = arn;
        this.name = name;
        this.namespaceId = namespaceId;
        this.type = type;
        this.createDate = createDate;
        this.creatorRequestId = creatorRequestId;
    }

    boolean hasHealthCheck() {
        return healthCheckConfig != null || healthCheckCustomConfig != null;
    }
}
