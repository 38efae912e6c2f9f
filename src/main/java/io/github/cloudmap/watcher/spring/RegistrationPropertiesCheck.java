package io.github.cloudmap.watcher.spring;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks {@link CloudMapRegistrationProperties} at startup, before any request is sent, against
 * Cloud Map's own limits for RegisterInstance (ID lengths and characters, at most 30 attributes,
 * key and value lengths, the forms of AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT), so a mistake
 * stops the application with the property's name instead of an InvalidInput from AWS later.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class RegistrationPropertiesCheck {

    private static final String P = CloudMapRegistrationProperties.PREFIX + ".";

    /** RegisterInstance's InstanceId: at most 64 characters of these. */
    static final Pattern INSTANCE_ID = Pattern.compile("[0-9a-zA-Z_/:.@-]{1,64}");
    /** Attribute keys: printable ASCII without spaces, at most 255 characters. */
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[!-~]{1,255}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    static final int MAX_ATTRIBUTES = 30;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private RegistrationPropertiesCheck() {}

    /**
     * @param shutdownPhaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}: Spring stops
     *        waiting for a phase after it, so a longer deregister timeout could never be honoured
     * @throws InvalidConfigurationPropertyValueException naming the first property refused
     */
    static void check(CloudMapRegistrationProperties p, Duration shutdownPhaseTimeout) {
        String serviceId = p.getServiceId();
        if (serviceId == null || serviceId.isBlank()) {
            throw refused("service-id", serviceId,
                    "the ID of the Cloud Map service to register into (srv-...) is required when " + P + "enabled=true");
        }
        if (serviceId.length() > 64) {
            throw refused("service-id", serviceId, "a service ID is at most 64 characters");
        }
        String instanceId = p.getInstanceId();
        if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
            throw refused("instance-id", instanceId,
                    "an instance ID is 1 to 64 characters of letters, digits and _/:.@-");
        }
        if (p.getAttributes().size() > MAX_ATTRIBUTES) {
            throw refused("attributes", p.getAttributes().keySet(), "Cloud Map takes at most 30 attributes per instance");
        }
        for (Map.Entry<String, String> attribute : p.getAttributes().entrySet()) {
            String name = "attributes." + attribute.getKey();
            String value = attribute.getValue();
            if (!ATTRIBUTE_KEY.matcher(attribute.getKey()).matches()) {
                throw refused(name, value, "an attribute key is 1 to 255 printable characters without spaces");
            }
            if (value == null || value.length() > 1024) {
                throw refused(name, value, "an attribute value is 0 to 1,024 characters");
            }
            if (attribute.getKey().equals("AWS_INSTANCE_IPV4") && !IPV4.matcher(value).matches()) {
                throw refused(name, value, "AWS_INSTANCE_IPV4 is an IPv4 address such as 10.0.0.7");
            }
            if (attribute.getKey().equals("AWS_INSTANCE_PORT") && !isPort(value)) {
                throw refused(name, value, "AWS_INSTANCE_PORT is a port number from 1 to 65535");
            }
        }
        timeout("register-timeout", p.getRegisterTimeout());
        timeout("deregister-timeout", p.getDeregisterTimeout());
        if (shutdownPhaseTimeout != null && p.getDeregisterTimeout().compareTo(shutdownPhaseTimeout) > 0) {
            throw refused("deregister-timeout", p.getDeregisterTimeout(),
                    "Spring stops waiting for a shutdown phase after spring.lifecycle.timeout-per-shutdown-phase ("
                            + shutdownPhaseTimeout + "); shorten this or lengthen that");
        }
        Duration interval = p.getCustomHealthStatus().getInterval();
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw refused("custom-health-status.interval", interval,
                    "the custom health status is read at most once a second (at least 1s)");
        }
    }

    private static void timeout(String name, Duration value) {
        if (value == null || value.compareTo(MIN_TIMEOUT) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw refused(name, value, "a timeout is from 10ms to 1d");
        }
    }

    private static boolean isPort(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static InvalidConfigurationPropertyValueException refused(String name, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(P + name, value, reason);
    }
}
