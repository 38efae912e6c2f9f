/**
 * The Spring Boot test slice: {@link io.github.cloudmap.watcher.spring.test.AutoConfigureCloudMapEmulator}
 * starts the embedded Cloud Map emulator for a test's application context and points the
 * auto-configured client at it. Needs {@code spring-boot-test} (an optional dependency of this
 * library, brought by {@code spring-boot-starter-test}).
 */
package io.github.cloudmap.watcher.spring.test;
