package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.redis.RedisBudget;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * Builds the fleet budget of {@code cloudmap.watcher.poll-budget.redis.*} through
 * {@link RedisBudget.Builder}'s own setters, so each value meets the builder's checks; a value
 * it refuses stops startup with the property named, and the URL itself is never shown (it may
 * hold a password: the builder's message carries it masked).
 *
 * <p>Stateless and thread-safe. Loaded only when Lettuce is on the class path. Not part of the
 * public API.
 */
final class RedisPollBudgetFactory {

    static final String PREFIX = CloudMapWatcherProperties.PREFIX + ".poll-budget.redis.";
    /** What a refused URL is shown as: the value may hold a password. */
    static final String HIDDEN = "(not shown: it may hold a password)";

    private RedisPollBudgetFactory() {}

    /**
     * The budget, connecting in the background (the application starts while Redis is down,
     * on the local fallback).
     *
     * @throws InvalidConfigurationPropertyValueException naming the property refused
     */
    static RedisBudget build(CloudMapWatcherProperties properties, Supplier<ServiceDiscoveryAsyncClient> client) {
        CloudMapWatcherProperties.Redis redis = properties.getPollBudget().getRedis();
        if (Boolean.FALSE.equals(properties.getPollBudget().getEnabled())) {
            throw new InvalidConfigurationPropertyValueException(CloudMapWatcherProperties.PREFIX + ".poll-budget.enabled",
                    false, "poll-budget.enabled=false sends GetOperation unthrottled, and " + PREFIX
                            + "url shares a budget through Redis: set one of them, not both");
        }
        RedisBudget.Builder builder = check("url", HIDDEN, () -> RedisBudget.builder(redis.getUrl()));
        String account = redis.getAccount();
        if (account == null || account.isBlank()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "account", account,
                    "the fleet budget is per AWS account and Region: set the account ID whose GetOperation quota it guards");
        }
        if (redis.getKeyPrefix() != null) {
            check("key-prefix", redis.getKeyPrefix(), () -> builder.keyPrefix(redis.getKeyPrefix()));
        }
        check("account", account, () -> builder.key(account.strip(), "region"));
        String region = region(properties, client);
        check("region", region, () -> builder.key(account.strip(), region));
        Duration timeout = redis.getTimeout();
        if (timeout != null) {
            check("timeout", timeout, () -> builder.redisTimeout(timeout));
        }
        Duration retry = redis.getRetryInterval();
        if (retry != null) {
            check("retry-interval", retry, () -> builder.retryInterval(retry));
        }
        builder.adaptive(WatcherPropertiesApplier.pollBudgetConfig(properties));
        return builder.build();
    }

    /** The key's Region: its own property, else {@code cloudmap.watcher.region}, else the client's. */
    private static String region(CloudMapWatcherProperties properties, Supplier<ServiceDiscoveryAsyncClient> client) {
        String own = properties.getPollBudget().getRedis().getRegion();
        if (own != null && !own.isBlank()) {
            return own.strip();
        }
        if (properties.getRegion() != null && !properties.getRegion().isBlank()) {
            return properties.getRegion().strip();
        }
        try {
            return client.get().serviceClientConfiguration().region().id();
        } catch (RuntimeException none) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "region", null,
                    "the fleet budget is per AWS account and Region, and the watcher's client names no Region: set it");
        }
    }

    private static <T> T check(String property, Object value, Supplier<T> setting) {
        try {
            return setting.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, value, e.getMessage());
        }
    }
}
