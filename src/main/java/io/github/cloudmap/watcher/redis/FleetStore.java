package io.github.cloudmap.watcher.redis;

import java.util.concurrent.CompletableFuture;

/**
 * Where the fleet's bucket and rate live: Redis in production ({@link LettuceFleetStore}), a map
 * in unit tests. Every method returns at once; the future completes on whatever thread the
 * store's I/O runs on, so callers must not run user code in its callbacks. Thread-safe.
 */
interface FleetStore extends AutoCloseable {

    /**
     * Takes one permit from the fleet's bucket, refilled at {@code rate}.
     *
     * @return 0 when the permit was taken, otherwise how many nanoseconds until one may be
     */
    CompletableFuture<Long> tryTake(FleetRate rate);

    /** Puts back a permit taken for a waiter who was gone by the time it arrived. */
    CompletableFuture<Void> giveBack(FleetRate rate);

    /**
     * Proposes a change of the fleet's rate, or only reads it ({@link Change#READ}). The store
     * applies the change only if it is the first of its kind in its window and {@code known} is
     * still current, in one atomic step.
     *
     * @param known the rate this process knows; restores the state if the store lost it
     * @param proposed the rate after the change (ignored by {@link Change#READ})
     */
    CompletableFuture<Decision> change(Change change, FleetRate known, double proposed);

    /** Starts connecting, without waiting, so the first acquisition does not pay for it. */
    default void connect() { }

    @Override
    void close();

    /** The kinds of {@link #change}. */
    enum Change {
        /** Only read (and restore if lost). */
        READ,
        /** A throttle: applied unless another cut happened within the cut window. */
        CUT,
        /** A quiet interval: applied unless a cut or a raise happened within their windows. */
        RAISE
    }

    /** What the store decided. */
    enum Outcome {
        /** The change was made: {@code current} is the new rate. */
        APPLIED,
        /** Another process made the same kind of change within its window: nothing to do. */
        MARKED,
        /** The rate changed since {@code known} was read: recompute from {@code current} if still needed. */
        STALE,
        /** A read. */
        READ
    }

    /** The answer to {@link #change}: what happened and the rate now. */
    record Decision(Outcome outcome, FleetRate current) { }
}
