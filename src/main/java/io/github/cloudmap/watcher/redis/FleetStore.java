package io.github.cloudmap.watcher.redis;

import java.util.concurrent.CompletableFuture;

/**
 * Where the fleet's bucket and rate live: Redis in production ({@link LettuceFleetStore}), a map
 * in unit tests. The bucket refills on the store's own clock (Redis's {@code TIME}), never a
 * process's. Every method returns at once; the future completes on whatever thread the store's
 * I/O runs on, so callers must not run user code in its callbacks. Thread-safe.
 */
interface FleetStore extends AutoCloseable {

    /**
     * Reserves up to {@code wanted} permits from the fleet's bucket, in the order calls reach the
     * store: permits the bucket holds are due at once, the others at the time the bucket will
     * have refilled them (so one call covers a round trip's worth of permits). Also reads the
     * rate, restoring it from {@code known} if the store lost it, and counts this process live.
     */
    CompletableFuture<Grant> take(FleetRate known, int wanted);

    /** Puts back permits reserved for waiters who were gone by the time they were due. */
    CompletableFuture<Void> giveBack(FleetRate known, int permits);

    /**
     * Proposes a change of the fleet's rate, or only reads it ({@link Change#READ}). The store
     * applies the change only if it is the first of its kind in its window and {@code known} is
     * still current, in one atomic step; a cut also only if no cut was made since the throttled
     * permit was granted (the fleet already answered that excess).
     *
     * @param known the rate this process knows; restores the state if the store lost it
     * @param proposed the rate after the change (ignored by {@link Change#READ})
     * @param grantedAt for a cut, the version of the fleet's rate under which the throttled
     *     permit was granted ({@link Long#MAX_VALUE}: unknown, granted now)
     */
    CompletableFuture<Decision> change(Change change, FleetRate known, double proposed, long grantedAt);

    /** {@link #change(Change, FleetRate, double, long)} for a permit granted now. */
    default CompletableFuture<Decision> change(Change change, FleetRate known, double proposed) {
        return change(change, known, proposed, Long.MAX_VALUE);
    }

    /** Starts connecting, without waiting, so the first acquisition does not pay for it. */
    default void connect() { }

    @Override
    void close();

    /** The kinds of {@link #change}. */
    enum Change {
        /** Only read (and restore if lost). */
        READ,
        /** A throttle: applied unless another cut happened within the cut window or since the permit's grant. */
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

    /** The answer to {@link #change}: what happened, the rate now and how many processes are live. */
    record Decision(Outcome outcome, FleetRate current, int live) { }

    /**
     * The answer to {@link #take}: the rate, how many permits were reserved, the bucket's tokens
     * just before (negative when permits are already reserved ahead), and the live processes.
     */
    record Grant(FleetRate current, int granted, double tokensBefore, int live) {

        /** Nanoseconds after the store answered when reserved permit {@code i} (from 0) is due. */
        long dueNanos(int i) {
            double seconds = (i + 1 - tokensBefore) / current.rate();
            return seconds <= 0 ? 0 : (long) Math.ceil(seconds * 1e9);
        }

        /** The bucket's tokens after the reservation. */
        double tokensAfter() {
            return tokensBefore - granted;
        }
    }
}
