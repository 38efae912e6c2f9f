package io.github.cloudmap.watcher.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code cloudmap.watcher.poll-budget.redis.url} is set and not blank, so that
 * {@code url=${REDIS_URL:}} turns the fleet budget off where the variable is unset. (Not a
 * {@code @ConditionalOnExpression}: the URL, quotes and all, would become part of an expression.)
 * The outcome never shows the URL.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class OnRedisUrlCondition extends SpringBootCondition {

    static final String URL = CloudMapWatcherProperties.PREFIX + ".poll-budget.redis.url";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty(URL);
        return url == null || url.isBlank() ? ConditionOutcome.noMatch(URL + " is not set")
                : ConditionOutcome.match(URL + " is set");
    }
}
