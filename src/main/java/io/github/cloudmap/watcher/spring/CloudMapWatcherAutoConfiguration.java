package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.micrometer.BudgetMetrics;
import io.github.cloudmap.watcher.micrometer.MicrometerWatchListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.net.URI;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/**
 * Auto-configures an {@link OperationWatcher} from the {@code cloudmap.watcher.*} properties
 * ({@link CloudMapWatcherProperties}):
 * <ul>
 *   <li>the watcher polls through the application's {@link ServiceDiscoveryAsyncClient} bean, or,
 *       when there is none, through one built here: Netty HTTP, the SDK's default credential and
 *       Region chains, {@code cloudmap.watcher.region} and {@code cloudmap.watcher.endpoint-url}
 *       overrides (the watcher turns the SDK's retries off on each request it sends, so it is
 *       the one layer that retries, whatever client it is given);</li>
 *   <li>every {@link WatchListener} bean hears the watcher, and with a {@link MeterRegistry} bean a
 *       {@link MicrometerWatchListener} publishes its counters and {@link BudgetMetrics} its
 *       budgets' rate, waiting requests and cuts ({@code cloudmap.watcher.metrics.enabled=false}
 *       turns both off);</li>
 *   <li>every {@link OperationWatcherBuilderCustomizer} bean adjusts the builder last;</li>
 *   <li>with Actuator, a health indicator ({@code cloudMapWatcher}) and an info contributor
 *       ({@code cloudmap-watcher}) report the watcher ({@link CloudMapWatcherActuatorAutoConfiguration}).</li>
 * </ul>
 * Every bean backs off when the application defines one of the same type. With several client
 * beans the watcher polls through the {@code @Primary} one, or the one named by
 * {@code cloudmap.watcher.client-bean}; with neither it is not configured (a WARN line and the
 * condition report say why). A bad property value
 * fails startup with the property's name; {@code cloudmap.watcher.enabled=false} turns all of it
 * off.
 *
 * <p>Registered in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}.
 */
@AutoConfiguration(afterName = {
        // So that @ConditionalOnBean(MeterRegistry) sees the registry Spring Boot configures.
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({OperationWatcher.class, ServiceDiscoveryAsyncClient.class})
@ConditionalOnBooleanProperty(name = CloudMapWatcherProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(CloudMapWatcherProperties.class)
public class CloudMapWatcherAutoConfiguration {

    /**
     * The client the watcher polls through when the application defines neither a client nor a
     * watcher of its own. Closed with the application context.
     *
     * @param properties the {@code cloudmap.watcher.*} settings
     * @return the client
     * @throws InvalidConfigurationPropertyValueException when no Region is configured anywhere
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({ServiceDiscoveryAsyncClient.class, OperationWatcher.class})
    @ConditionalOnClass(NettyNioAsyncHttpClient.class)
    public ServiceDiscoveryAsyncClient cloudMapServiceDiscoveryAsyncClient(CloudMapWatcherProperties properties) {
        // The SDK's default retries stay on for the application's other calls: the watcher sends
        // each of its own requests with the SDK's retries off (OperationWatcher.requestOverrides()),
        // so it stays the one layer that retries, backs off and resubmits.
        ServiceDiscoveryAsyncClientBuilder builder = ServiceDiscoveryAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder());
        String region = properties.getRegion();
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region.trim()));
        }
        URI endpoint = properties.getEndpointUrl();
        if (endpoint != null) {
            if (!endpoint.isAbsolute() || endpoint.getHost() == null
                    || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new InvalidConfigurationPropertyValueException(CloudMapWatcherProperties.PREFIX + ".endpoint-url",
                        endpoint, "an endpoint is an http:// or https:// URL with a host, e.g. http://127.0.0.1:4566");
            }
            builder.endpointOverride(endpoint);
        }
        try {
            return builder.build();
        } catch (SdkClientException | IllegalArgumentException e) {
            // Typically no Region in the default chain: say which property sets one.
            throw new InvalidConfigurationPropertyValueException(CloudMapWatcherProperties.PREFIX + ".region", region,
                    "the Cloud Map client could not be built (" + e.getMessage() + "); set "
                            + CloudMapWatcherProperties.PREFIX + ".region, AWS_REGION or a profile's region");
        }
    }

    /**
     * The watcher, built from the properties, the {@link WatchListener} beans and the
     * {@link OperationWatcherBuilderCustomizer} beans.
     *
     * @param clients the application's clients
     * @param beans the bean factory, to find a client by name
     * @param properties the {@code cloudmap.watcher.*} settings
     * @param listeners the application's watch listeners
     * @param customizers the application's builder customizers
     * @return the watcher
     * @throws InvalidConfigurationPropertyValueException naming the property whose value the
     *         builder refused
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnWatcherClientCondition.class)
    public OperationWatcher operationWatcher(ObjectProvider<ServiceDiscoveryAsyncClient> clients,
            ListableBeanFactory beans, CloudMapWatcherProperties properties,
            ObjectProvider<WatchListener> listeners, ObjectProvider<OperationWatcherBuilderCustomizer> customizers) {
        ServiceDiscoveryAsyncClient client = client(clients, beans, properties);
        OperationWatcherBuilder builder = OperationWatcher.builder(client);
        WatcherPropertiesApplier.apply(properties, builder);
        builder.listener(CompositeWatchListener.of(listeners.orderedStream().toList()));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return WatcherPropertiesApplier.build(properties, builder, () -> OperationWatcher.builder(client));
    }

    /**
     * The client the watcher polls through: the one {@code cloudmap.watcher.client-bean} names,
     * else the only or {@code @Primary} one ({@link OnWatcherClientCondition} let the watcher be
     * configured only when one of these exists).
     *
     * @throws InvalidConfigurationPropertyValueException when the property names no client bean
     */
    static ServiceDiscoveryAsyncClient client(ObjectProvider<ServiceDiscoveryAsyncClient> clients,
            ListableBeanFactory beans, CloudMapWatcherProperties properties) {
        String named = properties.getClientBean();
        if (named == null || named.isBlank()) {
            return clients.getObject();
        }
        try {
            return beans.getBean(named.strip(), ServiceDiscoveryAsyncClient.class);
        } catch (BeansException e) {
            throw new InvalidConfigurationPropertyValueException(OnWatcherClientCondition.CLIENT_BEAN, named,
                    "there is no ServiceDiscoveryAsyncClient bean of that name; there are: "
                            + String.join(", ", beans.getBeanNamesForType(ServiceDiscoveryAsyncClient.class)));
        }
    }

    /**
     * The fleet budget of {@code cloudmap.watcher.poll-budget.redis.*}, when its URL is set,
     * Lettuce is on the class path and the watcher is configured here (not when the application
     * has its own, nor when it has several clients and no way to choose); the watcher's
     * GetOperation calls draw from it. Closed with the application context.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.lettuce.core.RedisClient")
    @Conditional({OnRedisUrlCondition.class, OnWatcherClientCondition.class})
    @ConditionalOnMissingBean(OperationWatcher.class)
    static class RedisPollBudgetConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(name = "cloudMapWatcherRedisPollBudget")
        io.github.cloudmap.watcher.redis.RedisBudget cloudMapWatcherRedisPollBudget(CloudMapWatcherProperties properties,
                ObjectProvider<ServiceDiscoveryAsyncClient> clients, ListableBeanFactory beans) {
            return RedisPollBudgetFactory.build(properties, () -> client(clients, beans, properties));
        }

        /** First of the customizers, so the application's own can still give the watcher another budget. */
        @Bean
        @org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
        OperationWatcherBuilderCustomizer cloudMapWatcherRedisPollBudgetCustomizer(ListableBeanFactory beans) {
            // By name: the application may hold other RedisBudget beans of its own.
            return builder -> builder.pollBudget(beans.getBean("cloudMapWatcherRedisPollBudget",
                    io.github.cloudmap.watcher.redis.RedisBudget.class));
        }
    }

    /** Micrometer counters, when the application has a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = CloudMapWatcherProperties.PREFIX + ".metrics.enabled", matchIfMissing = true)
    static class MicrometerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MicrometerWatchListener micrometerWatchListener(MeterRegistry registry) {
            return new MicrometerWatchListener(registry);
        }

        /**
         * The watcher's budgets' rate, waiting and cuts ({@link BudgetMetrics}), bound to the
         * registry here rather than as a {@code MeterBinder} bean, so they are published with a
         * plain {@code MeterRegistry} bean as well as with Spring Boot's metrics.
         */
        @Bean
        @ConditionalOnMissingBean(name = "cloudMapWatcherBudgetMetrics")
        List<BudgetMetrics> cloudMapWatcherBudgetMetrics(ObjectProvider<OperationWatcher> watcher, MeterRegistry registry) {
            // A provider, not @ConditionalOnBean: this nested class is read before the watcher's
            // bean definition, so a condition on it would never match.
            OperationWatcher only = watcher.getIfUnique();
            List<BudgetMetrics> metrics = only == null ? List.of() : BudgetMetrics.of(only, Tags.empty());
            metrics.forEach(m -> m.bindTo(registry));
            return metrics;
        }
    }
}
