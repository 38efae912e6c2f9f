package io.github.cloudmap.watcher.junit;

/**
 * How long one emulator (with its client and watcher) lives under the JUnit 5 extension. Whatever
 * the choice, its state, counters, faults and journal are reset before each test.
 */
public enum EmulatorLifecycle {
    /**
     * One per test class, shared by its {@code @Nested} classes; closed after the class. The
     * default. Classes running in parallel each have their own.
     */
    PER_CLASS,
    /** One per test method, closed after it: the one to pick when methods run in parallel. */
    PER_METHOD,
    /**
     * One per JVM for each configuration (the same annotation attributes, or the same extension
     * instance), closed when the test run ends. Tests sharing it must not run at the same time,
     * since each one resets it first.
     */
    PER_JVM
}
