package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcherBuilder;

/**
 * Adjusts the auto-configured watcher's builder after the {@code cloudmap.watcher.*} properties
 * have been applied, for settings that are not properties (a scheduler, a random source, a
 * {@code Retry} from the application's {@code RetryRegistry}). Every bean of this type is applied,
 * in {@link org.springframework.core.annotation.Order} order; the builder then checks the result
 * as usual.
 *
 * <pre>{@code
 * @Bean
 * OperationWatcherBuilderCustomizer sharedRetries(RetryRegistry registry) {
 *     return builder -> builder.resubmission(registry.retry("cloudmap-resubmission"));
 * }
 * }</pre>
 *
 * <p>Implementations are called once, at startup, on one thread.
 */
@FunctionalInterface
public interface OperationWatcherBuilderCustomizer {

    /**
     * Adjusts {@code builder}; do not keep it.
     *
     * @param builder the watcher's builder
     */
    void customize(OperationWatcherBuilder builder);
}
