package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Boot Actuator, reports the application's {@link OperationWatcher} (the
 * auto-configured one or the application's own, when it has exactly one): an
 * {@link OperationWatcherHealthIndicator} with Actuator's health module, an
 * {@link OperationWatcherInfoContributor} with its info endpoint. Each backs off when Actuator's
 * part is absent, when the application defines its own bean of that type, or when
 * {@code management.health.cloudmap-watcher.enabled} / {@code management.info.cloudmap-watcher.enabled}
 * is false.
 */
@AutoConfiguration(after = CloudMapWatcherAutoConfiguration.class)
@ConditionalOnClass(OperationWatcher.class)
@ConditionalOnSingleCandidate(OperationWatcher.class)
public class CloudMapWatcherActuatorAutoConfiguration {

    // Conditions on one class are loaded together, so the "enabled" conditions, whose classes
    // live in Actuator, sit one class below the check that Actuator is there.

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {
            "org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
    static class HealthConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("cloudmap-watcher")
        static class EnabledHealthConfiguration {

            @Bean
            @ConditionalOnMissingBean
            OperationWatcherHealthIndicator cloudMapWatcherHealthIndicator(OperationWatcher watcher) {
                return new OperationWatcherHealthIndicator(watcher);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {
            "org.springframework.boot.actuate.info.InfoContributor",
            "org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor"})
    static class InfoConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledInfoContributor("cloudmap-watcher")
        static class EnabledInfoConfiguration {

            @Bean
            @ConditionalOnMissingBean
            OperationWatcherInfoContributor cloudMapWatcherInfoContributor(OperationWatcher watcher) {
                return new OperationWatcherInfoContributor(watcher);
            }
        }
    }
}
