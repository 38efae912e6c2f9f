package io.github.cloudmap.watcher.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cloudmap.watcher.registration.*} settings: the application registers itself as an
 * instance of a Cloud Map service once its web server is up, and deregisters before the web
 * server stops accepting requests ({@link CloudMapInstanceRegistration}).
 *
 * <pre>{@code
 * cloudmap.watcher.registration.enabled=true
 * cloudmap.watcher.registration.service-id=srv-e4anhexample0004
 * cloudmap.watcher.registration.attributes.stage=blue
 * }</pre>
 *
 * <p>Checked at startup ({@link RegistrationPropertiesCheck}): a bad value stops the application
 * with the property's name in the message. Mutable, as Spring's binding needs; not thread-safe,
 * and read once at startup.
 */
@ConfigurationProperties(prefix = CloudMapRegistrationProperties.PREFIX)
public class CloudMapRegistrationProperties {

    /** The prefix of every property here. */
    public static final String PREFIX = CloudMapWatcherProperties.PREFIX + ".registration";

    static final Duration DEFAULT_REGISTER_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_DEREGISTER_TIMEOUT = Duration.ofSeconds(20);
    static final Duration DEFAULT_CUSTOM_HEALTH_INTERVAL = Duration.ofSeconds(10);

    /** Whether the application registers itself in Cloud Map. */
    private boolean enabled = false;

    /** The ID of the Cloud Map service to register into (srv-...). Required when enabled. */
    private String serviceId;

    /**
     * The instance's ID in the service. Default: the host name and the server's port
     * (host-8080), the same across restarts on the same host and port.
     */
    private String instanceId;

    /**
     * Attributes of the instance. AWS_INSTANCE_IPV4 defaults to the host's address and
     * AWS_INSTANCE_PORT to the web server's port once it has started; set either to override.
     */
    private final Map<String, String> attributes = new LinkedHashMap<>();

    /**
     * How long startup waits for RegisterInstance to succeed, resubmissions included.
     */
    private Duration registerTimeout = DEFAULT_REGISTER_TIMEOUT;

    /**
     * How long shutdown waits for DeregisterInstance to succeed; at most
     * spring.lifecycle.timeout-per-shutdown-phase (30s by default).
     */
    private Duration deregisterTimeout = DEFAULT_DEREGISTER_TIMEOUT;

    /**
     * Whether a FAIL or a timeout of the registration stops startup. With false, the application
     * starts unregistered and the registration's health reports DOWN.
     */
    private boolean failStartup = true;

    /** Sending the application's own health to Cloud Map's custom health check. */
    private final CustomHealthStatus customHealthStatus = new CustomHealthStatus();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getServiceId() {
        return serviceId;
    }

    public void setServiceId(String serviceId) {
        this.serviceId = serviceId;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Map<String, String> getAttributes() {
        return attributes;
    }

    public Duration getRegisterTimeout() {
        return registerTimeout;
    }

    public void setRegisterTimeout(Duration registerTimeout) {
        this.registerTimeout = registerTimeout;
    }

    public Duration getDeregisterTimeout() {
        return deregisterTimeout;
    }

    public void setDeregisterTimeout(Duration deregisterTimeout) {
        this.deregisterTimeout = deregisterTimeout;
    }

    public boolean isFailStartup() {
        return failStartup;
    }

    public void setFailStartup(boolean failStartup) {
        this.failStartup = failStartup;
    }

    public CustomHealthStatus getCustomHealthStatus() {
        return customHealthStatus;
    }

    /**
     * UpdateInstanceCustomHealthStatus following the application's own health (UP: HEALTHY,
     * anything else: UNHEALTHY), for a service created with a custom health check.
     */
    public static class CustomHealthStatus {

        /** Whether to send the application's health to Cloud Map. Needs Actuator's health endpoint. */
        private boolean enabled = false;

        /**
         * How often the application's health is read; an update is sent only when it changed, so
         * at most one per interval (at least 1s).
         */
        private Duration interval = DEFAULT_CUSTOM_HEALTH_INTERVAL;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }
}
