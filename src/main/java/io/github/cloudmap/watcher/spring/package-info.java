/**
 * Spring Boot auto-configuration of the {@link io.github.cloudmap.watcher.OperationWatcher}:
 * {@link io.github.cloudmap.watcher.spring.CloudMapWatcherAutoConfiguration} (the client, the
 * watcher and its Micrometer counters), {@link io.github.cloudmap.watcher.spring.CloudMapWatcherProperties}
 * (the {@code cloudmap.watcher.*} properties), {@link
 * io.github.cloudmap.watcher.spring.OperationWatcherBuilderCustomizer} (settings that are not
 * properties) and, with Actuator, {@link io.github.cloudmap.watcher.spring.OperationWatcherHealthIndicator}
 * and {@link io.github.cloudmap.watcher.spring.OperationWatcherInfoContributor}. With
 * {@code cloudmap.watcher.registration.enabled=true}, {@link
 * io.github.cloudmap.watcher.spring.CloudMapInstanceRegistration} registers the application itself
 * ({@link io.github.cloudmap.watcher.spring.CloudMapRegistrationAutoConfiguration}).
 *
 * <p>Spring Boot is an optional dependency of this library: this package is used only when the
 * application has Spring Boot 4.0 on its class path. See {@code docs/spring.md}.
 */
package io.github.cloudmap.watcher.spring;
