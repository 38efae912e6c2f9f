package io.github.cloudmap.watcher.bench.scale;

import java.util.List;

/**
 * One way of waiting for many Cloud Map operations at once, as a user would write it. Each
 * contender builds its own clients from {@link RunSettings} and closes them in {@link #close()}.
 */
interface Contender extends AutoCloseable {

    /**
     * Starts waiting for every operation at once and returns without blocking; reports what it
     * sees to {@code observations}, and gives up on each operation at {@code deadlineMillis}.
     */
    void start(List<PendingOperation> operations, Observations observations, long deadlineMillis);

    /**
     * Adds what the run's JSON should say about this contender beyond the emulator's counts (how
     * many processes, which budget), once it is closed. Nothing by default.
     */
    default void describe(com.fasterxml.jackson.databind.node.ObjectNode run) {
    }

    /** Stops polling and frees the clients, threads and timers of this contender. */
    @Override
    void close();
}
