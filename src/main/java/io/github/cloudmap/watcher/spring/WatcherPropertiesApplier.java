package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Applies {@link CloudMapWatcherProperties} to an {@link OperationWatcherBuilder} through the
 * builder's own setters, so a value is checked by exactly the rules a hand-written builder call
 * meets. When a setter refuses a value, the {@link IllegalArgumentException} (or the
 * {@link NullPointerException} of an empty value) is rethrown as Spring Boot's
 * {@link InvalidConfigurationPropertyValueException}, which names the property, and the
 * application fails to start: nothing is left half-configured.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class WatcherPropertiesApplier {

    private static final String P = CloudMapWatcherProperties.PREFIX + ".";

    private WatcherPropertiesApplier() {}

    static void apply(CloudMapWatcherProperties properties, OperationWatcherBuilder builder) {
        Duration initial = properties.getPollInterval().getInitial();
        Duration max = properties.getPollInterval().getMax();
        // The builder checks the pair at once; checking max against itself first lets the
        // message name the property that is wrong.
        check(P + "poll-interval.max", max, () -> builder.pollInterval(max, max));
        check(P + "poll-interval.initial", initial, () -> builder.pollInterval(initial, max));
        check(P + "backoff-multiplier", properties.getBackoffMultiplier(),
                () -> builder.backoffMultiplier(properties.getBackoffMultiplier()));
        check(P + "throttle-backoff-multiplier", properties.getThrottleBackoffMultiplier(),
                () -> builder.throttleBackoffMultiplier(properties.getThrottleBackoffMultiplier()));
        check(P + "jitter", properties.getJitter(), () -> builder.jitter(properties.getJitter()));
        check(P + "timeout", properties.getTimeout(), () -> builder.timeout(properties.getTimeout()));
        check(P + "not-found-grace", properties.getNotFoundGrace(),
                () -> builder.notFoundGrace(properties.getNotFoundGrace()));
        builder.transientRetry(retryConfig(P + "transient-retry", properties.getTransientRetry()));
        builder.resubmission(retryConfig(P + "resubmission", properties.getResubmission()));
    }

    /** Resilience4j's own checks, property by property. */
    private static RetryConfig retryConfig(String prefix, CloudMapWatcherProperties.Retry retry) {
        Duration wait = retry.getWait();
        check(prefix + ".wait", wait, () -> IntervalFunction.ofExponentialBackoff(wait, 1.0));
        double multiplier = retry.getMultiplier();
        IntervalFunction interval = check(prefix + ".multiplier", multiplier, () -> {
            // Resilience4j accepts a shrinking backoff; the watcher's own multipliers are >= 1 too.
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be >= 1, but was " + multiplier);
            }
            return IntervalFunction.ofExponentialBackoff(wait, multiplier);
        });
        return check(prefix + ".max-attempts", retry.getMaxAttempts(),
                () -> RetryConfig.custom().maxAttempts(retry.getMaxAttempts()).intervalFunction(interval).build());
    }

    private static <T> T check(String property, Object value, Supplier<T> setting) {
        try {
            return setting.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            String reason = value == null ? "a value is required" : e.getMessage();
            throw new InvalidConfigurationPropertyValueException(property, value, reason);
        }
    }
}
