package io.github.cloudmap.watcher.spring;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.MethodMetadata;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * Matches when the watcher knows which {@link ServiceDiscoveryAsyncClient} to poll through: the
 * one bean of that type, the {@code @Primary} one among several, or the one
 * {@code cloudmap.watcher.client-bean} names. With several and neither, it does not match, and
 * says so in the condition report and in one WARN line: the application asked for no watcher in
 * particular, so starting without one beats failing with {@code NoUniqueBeanDefinitionException}.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class OnWatcherClientCondition extends SpringBootCondition implements ConfigurationCondition {

    static final String CLIENT_BEAN = CloudMapWatcherProperties.PREFIX + ".client-bean";

    private static final Logger log = LoggerFactory.getLogger(CloudMapWatcherAutoConfiguration.class);

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String named = context.getEnvironment().getProperty(CLIENT_BEAN);
        if (named != null && !named.isBlank()) {
            return ConditionOutcome.match(CLIENT_BEAN + " names the client: " + named.strip());
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        String[] names = beans.getBeanNamesForType(ServiceDiscoveryAsyncClient.class, true, false);
        if (names.length == 0) {
            return ConditionOutcome.noMatch("no ServiceDiscoveryAsyncClient bean");
        }
        if (names.length == 1) {
            return ConditionOutcome.match("one ServiceDiscoveryAsyncClient bean: " + names[0]);
        }
        List<String> primary = new ArrayList<>();
        for (String name : names) {
            if (beans.containsBeanDefinition(name) && beans.getBeanDefinition(name).isPrimary()) {
                primary.add(name);
            }
        }
        if (primary.size() == 1) {
            return ConditionOutcome.match("the @Primary ServiceDiscoveryAsyncClient bean: " + primary.get(0));
        }
        String message = "No OperationWatcher is configured: found " + names.length + " ServiceDiscoveryAsyncClient beans ('"
                + String.join("', '", names) + "') and " + (primary.isEmpty() ? "none" : "more than one")
                + " is @Primary; mark one @Primary, or set " + CLIENT_BEAN + " to the name of the one the watcher polls"
                + " through";
        if (metadata instanceof MethodMetadata) {
            log.warn(message);   // once, for the watcher's bean method; the fleet budget's class asks too
        }
        return ConditionOutcome.noMatch(message);
    }
}
