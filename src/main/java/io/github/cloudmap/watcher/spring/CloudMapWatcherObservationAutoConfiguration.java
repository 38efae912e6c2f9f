package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.micrometer.WatchTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Passes the application's {@link ObservationRegistry} to the auto-configured watcher, so every
 * watch, poll and {@code submitAndWatch} joins the application's traces (a watch started while an
 * HTTP request is handled is a child of that request's span), through an
 * {@link OperationWatcherBuilderCustomizer} bean; with a {@link MeterRegistry} as well, a
 * {@link WatchTimings} handler records time-to-terminal and polls per watch (Spring Boot adds
 * {@code ObservationHandler} beans to its registry). Exclude this
 * auto-configuration to turn both off. Apart from {@link CloudMapWatcherAutoConfiguration} so that a registry-less
 * application never loads a Micrometer Observation type.
 *
 * <p>Registered in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({OperationWatcher.class, ObservationRegistry.class})
@ConditionalOnBooleanProperty(name = CloudMapWatcherProperties.PREFIX + ".enabled", matchIfMissing = true)
public class CloudMapWatcherObservationAutoConfiguration {

    /**
     * Hands the application's registry to the watcher's builder.
     *
     * @param registry the application's observation registry, if any
     * @return the customizer
     */
    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnMissingBean(name = "cloudMapWatcherObservations")
    public OperationWatcherBuilderCustomizer cloudMapWatcherObservations(ObjectProvider<ObservationRegistry> registry) {
        // A provider: the customizer runs when the watcher is built, after the registry is.
        return builder -> registry.ifUnique(builder::observationRegistry);
    }

    /** Time-to-terminal and polls per watch, when there is a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean({MeterRegistry.class, ObservationRegistry.class})
    static class TimingsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WatchTimings cloudMapWatchTimings(MeterRegistry registry) {
            return new WatchTimings(registry, Tags.empty());
        }
    }
}
