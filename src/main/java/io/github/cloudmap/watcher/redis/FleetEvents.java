package io.github.cloudmap.watcher.redis;

/**
 * What a {@link RedisBudget} reports about its link to Redis. A separate type so that Micrometer,
 * an optional dependency, is loaded only when a registry is given. Implementations are
 * thread-safe and return at once.
 */
interface FleetEvents {

    FleetEvents NONE = new FleetEvents() { };

    /** The budget stopped using Redis and serves permits from its local budget. */
    default void fellBack() { }

    /** Redis answered again: the budget serves permits from the fleet's bucket again. */
    default void returned() { }

    /** The fleet's rate was cut by this process (the cut won in Redis). */
    default void cut() { }

    /** The fleet's rate was raised by this process. */
    default void raised() { }

    /**
     * A round trip to Redis took more than half the bounded wait: Redis answers, but a little
     * slower and the budget falls back.
     */
    default void slow() { }
}
