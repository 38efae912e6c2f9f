package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * With {@code cloudmap.watcher.registration.enabled=true}, registers the application in Cloud Map
 * while it runs ({@link CloudMapInstanceRegistration}, set by {@link CloudMapRegistrationProperties}),
 * through the application's {@link OperationWatcher} and {@link ServiceDiscoveryAsyncClient} (the
 * auto-configured ones or its own). With Actuator, a {@link CloudMapRegistrationHealthIndicator}
 * ({@code cloudMapRegistration}) reports it, and {@code custom-health-status.enabled=true} sends the
 * application's health to Cloud Map's custom health check.
 *
 * <p>The properties are checked when the registration bean is built, at startup, before any
 * request: a bad value stops the application with the property's name. Off by default: without
 * {@code enabled=true} nothing of this is configured and no request is sent.
 */
@AutoConfiguration(after = CloudMapWatcherAutoConfiguration.class, afterName =
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration")
@ConditionalOnClass({OperationWatcher.class, ServiceDiscoveryAsyncClient.class})
@ConditionalOnBooleanProperty(name = CloudMapRegistrationProperties.PREFIX + ".enabled")
@EnableConfigurationProperties(CloudMapRegistrationProperties.class)
public class CloudMapRegistrationAutoConfiguration {

    private static final String SHUTDOWN_PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /**
     * The registration.
     *
     * @param properties the {@code cloudmap.watcher.registration.*} settings
     * @param client the application's client, used when it is the only one
     * @param watcher the application's watcher, used when it is the only one
     * @param applicationHealth the application's health, for the custom health check, if any
     * @param events where the instance's events are published
     * @param environment read for {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @return the registration, started with the application
     * @throws InvalidConfigurationPropertyValueException naming the property refused, or
     *         {@code enabled} when there is no single watcher or client to register through
     */
    @Bean
    @ConditionalOnMissingBean
    public CloudMapInstanceRegistration cloudMapInstanceRegistration(CloudMapRegistrationProperties properties,
            ObjectProvider<ServiceDiscoveryAsyncClient> client, ObjectProvider<OperationWatcher> watcher,
            ObjectProvider<ApplicationHealth> applicationHealth, ApplicationEventPublisher events, Environment environment) {
        Duration phaseTimeout = Binder.get(environment).bind(SHUTDOWN_PHASE_TIMEOUT, Duration.class)
                .orElse(Duration.ofSeconds(30));
        RegistrationPropertiesCheck.check(properties, phaseTimeout);
        ServiceDiscoveryAsyncClient theClient = client.getIfUnique();
        OperationWatcher theWatcher = watcher.getIfUnique();
        if (theClient == null || theWatcher == null) {
            throw new InvalidConfigurationPropertyValueException(CloudMapRegistrationProperties.PREFIX + ".enabled", true,
                    "registering needs one ServiceDiscoveryAsyncClient and one OperationWatcher bean (found "
                            + (theClient == null ? "no single client" : "a client") + " and "
                            + (theWatcher == null ? "no single watcher" : "a watcher")
                            + "); is cloudmap.watcher.enabled=false?");
        }
        Function<String, CustomHealthStatusUpdater> customHealth = null;
        CloudMapRegistrationProperties.CustomHealthStatus custom = properties.getCustomHealthStatus();
        if (custom.isEnabled()) {
            ApplicationHealth health = applicationHealth.getIfAvailable();
            if (health == null) {
                throw new InvalidConfigurationPropertyValueException(
                        CloudMapRegistrationProperties.PREFIX + ".custom-health-status.enabled", true,
                        "following the application's health needs Actuator's health endpoint (spring-boot-starter-actuator)");
            }
            customHealth = instanceId -> new CustomHealthStatusUpdater(theClient, properties.getServiceId(), instanceId,
                    health, custom.getInterval());
        }
        return new CloudMapInstanceRegistration(new InstanceRegistrar(theClient, theWatcher, properties.getServiceId()),
                properties, events, customHealth);
    }

    /** The application's health status code ("UP", "DOWN", ...), for the custom health status. */
    @FunctionalInterface
    interface ApplicationHealth extends Supplier<String> {
    }

    /** Tells the registration the web server's port once it listens. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerInitializedEvent")
    static class WebServerPortConfiguration {

        @Bean
        static ApplicationListener<WebServerInitializedEvent> cloudMapRegistrationPortListener(
                ObjectProvider<CloudMapInstanceRegistration> registration) {
            return new WebServerPortListener(registration);
        }
    }

    /** The application's health from Actuator's health endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    static class ApplicationHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ApplicationHealth cloudMapApplicationHealth(ObjectProvider<HealthEndpoint> endpoint) {
            HealthEndpoint health = endpoint.getIfAvailable();
            return health == null ? null : () -> health.health().getStatus().getCode();
        }
    }

    // Conditions on one class are loaded together, so the "enabled" condition, whose class lives
    // in Actuator, sits one class below the check that Actuator is there.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {
            "org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
    static class HealthConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("cloudmap-registration")
        static class EnabledHealthConfiguration {

            @Bean
            @ConditionalOnMissingBean
            CloudMapRegistrationHealthIndicator cloudMapRegistrationHealthIndicator(
                    CloudMapInstanceRegistration registration) {
                return new CloudMapRegistrationHealthIndicator(registration);
            }
        }
    }
}
