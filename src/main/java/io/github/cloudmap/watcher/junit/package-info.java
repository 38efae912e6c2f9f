/**
 * JUnit 5 support: {@link io.github.cloudmap.watcher.junit.CloudMapEmulatorTest} and
 * {@link io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension} start the embedded Cloud Map
 * emulator for a test class and inject it, a Netty {@code ServiceDiscoveryAsyncClient} and an
 * {@code OperationWatcher}. Needs {@code junit-jupiter-api} (an optional dependency of this
 * library) and the emulator's {@code reactor-netty-http} and {@code jackson-databind}.
 */
package io.github.cloudmap.watcher.junit;
