/**
 * An embedded AWS Cloud Map emulator for demos and tests: {@link
 * io.github.cloudmap.watcher.emulator.CloudMapEmulator} (lifecycle and builder), {@link
 * io.github.cloudmap.watcher.emulator.OperationTimings} (how long operations take), {@link
 * io.github.cloudmap.watcher.emulator.FaultInjector} (throttling, errors, latency, hangs, resets,
 * failing operations) and {@link io.github.cloudmap.watcher.emulator.RequestCounters}. Everything
 * else in this package is package-private implementation.
 */
package io.github.cloudmap.watcher.emulator;
