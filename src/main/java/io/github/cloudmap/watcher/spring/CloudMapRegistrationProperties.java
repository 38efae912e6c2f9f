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

    /** {@return whether the application registers itself in Cloud Map} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@link #isEnabled()}.
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return the ID of the Cloud Map service to register into (srv-...). Required when enabled} */
    public String getServiceId() {
        return serviceId;
    }

    /**
     * Sets {@link #getServiceId()}.
     *
     * @param serviceId the new value
     */
    public void setServiceId(String serviceId) {
        this.serviceId = serviceId;
    }

    /**
     * {@return the instance's ID in the service. Default: the host name and the server's port (host-8080),
     * the same across restarts on the same host and port}
     */
    public String getInstanceId() {
        return instanceId;
    }

    /**
     * Sets {@link #getInstanceId()}.
     *
     * @param instanceId the new value
     */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /**
     * {@return the attributes of the instance. AWS_INSTANCE_IPV4 defaults to the host's address and
     * AWS_INSTANCE_PORT to the web server's port once it has started; set either to override}
     */
    public Map<String, String> getAttributes() {
        return attributes;
    }

    /** {@return how long startup waits for RegisterInstance to succeed, resubmissions included} */
    public Duration getRegisterTimeout() {
        return registerTimeout;
    }

    /**
     * Sets {@link #getRegisterTimeout()}.
     *
     * @param registerTimeout the new value
     */
    public void setRegisterTimeout(Duration registerTimeout) {
        this.registerTimeout = registerTimeout;
    }

    /**
     * {@return how long shutdown waits for DeregisterInstance to succeed; at most
     * spring.lifecycle.timeout-per-shutdown-phase (30s by default)}
     */
    public Duration getDeregisterTimeout() {
        return deregisterTimeout;
    }

    /**
     * Sets {@link #getDeregisterTimeout()}.
     *
     * @param deregisterTimeout the new value
     */
    public void setDeregisterTimeout(Duration deregisterTimeout) {
        this.deregisterTimeout = deregisterTimeout;
    }

    /**
     * {@return whether a FAIL or a timeout of the registration stops startup. With false, the application
     * starts unregistered and the registration's health reports DOWN}
     */
    public boolean isFailStartup() {
        return failStartup;
    }

    /**
     * Sets {@link #isFailStartup()}.
     *
     * @param failStartup the new value
     */
    public void setFailStartup(boolean failStartup) {
        this.failStartup = failStartup;
    }

    /** {@return the settings of sending the application's own health to Cloud Map's custom health check} */
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

        /**
         * {@return whether to send the application's health to Cloud Map. Needs Actuator's health endpoint}
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@link #isEnabled()}.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return how often the application's health is read; an update is sent only when it changed, so at
         * most one per interval (at least 1s)}
         */
        public Duration getInterval() {
            return interval;
        }

        /**
         * Sets {@link #getInterval()}.
         *
         * @param interval the new value
         */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }
}
