package io.github.cloudmap.watcher.internal;

import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The one place that reads time for waits, rates and deadlines: a monotonic clock in production,
 * the scheduler's own clock in tests.
 *
 * <p><b>Why not {@code Scheduler.now()}.</b> Reactor's default {@code Scheduler.now(unit)} reads
 * {@code System.nanoTime()} for units finer than a millisecond and {@code System.currentTimeMillis()}
 * for milliseconds and coarser (reactor-core 3.8), and none of Reactor's production schedulers
 * (parallel, bounded elastic, single, immediate, those wrapping an executor) override it. Which clock
 * a reading comes from thus hangs on the unit a caller happens to pass, and a wall clock steps: NTP
 * corrects it, a resumed VM jumps it forward. Measured on it, a step back stalls a budget's refill
 * and a step forward fires a deadline early. Reading through this class says which clock is meant.
 *
 * <p><b>Why not always {@code System.nanoTime()}.</b> {@code StepVerifier.withVirtualTime} and a
 * hand-driven {@code VirtualTimeScheduler} keep time of their own and move it by
 * {@code advanceTimeBy}; a budget or deadline that ignored it would not move with the test.
 *
 * <p>The rule: a scheduler whose class declares its own {@code now(TimeUnit)} keeps time of its
 * own (virtual time, or a user's deliberate clock) and is read; one that inherits the interface's
 * default is read through {@code System.nanoTime()}, whatever the unit. Reactor's cached wrappers
 * ({@code Schedulers.parallel()} and friends) override {@code now} only to delegate, so they are
 * looked through first. Thread-safe; the per-class answer is cached.
 */
final class Clocks {

    /** The time source of every scheduler that inherits the interface default. */
    static final Object MONOTONIC = new Object() {
        @Override
        public String toString() {
            return "System.nanoTime()";
        }
    };

    private static final String CACHED_SCHEDULER = "reactor.core.scheduler.Schedulers$CachedScheduler";

    private static final ClassValue<Boolean> KEEPS_OWN_TIME = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            try {
                return type.getMethod("now", TimeUnit.class).getDeclaringClass() != Scheduler.class;
            } catch (NoSuchMethodException e) {
                return Boolean.FALSE;
            }
        }
    };

    private Clocks() {}

    /**
     * Nanoseconds on the clock that {@code scheduler} stands for: its own when it keeps one,
     * {@code System.nanoTime()} otherwise. Only differences between readings of the same
     * {@linkplain #source source} mean anything.
     */
    static long nanos(Scheduler scheduler) {
        Scheduler target = unwrap(scheduler);
        return keepsOwnTime(target) ? target.now(TimeUnit.NANOSECONDS) : System.nanoTime();
    }

    /**
     * What {@link #nanos} reads for {@code scheduler}: {@link #MONOTONIC} for every production
     * scheduler (their readings compare with each other), or the scheduler itself when it keeps
     * its own time (its readings compare only with its own).
     */
    static Object source(Scheduler scheduler) {
        Scheduler target = unwrap(scheduler);
        return keepsOwnTime(target) ? target : MONOTONIC;
    }

    /** True when {@code scheduler} is read through {@code System.nanoTime()}. */
    static boolean isMonotonic(Scheduler scheduler) {
        return source(scheduler) == MONOTONIC;
    }

    private static boolean keepsOwnTime(Scheduler scheduler) {
        return KEEPS_OWN_TIME.get(scheduler.getClass());
    }

    private static Scheduler unwrap(Scheduler scheduler) {
        Scheduler current = scheduler;
        // Bounded: a cached scheduler never wraps another cached one, but a loop costs nothing to rule out.
        for (int i = 0; i < 4 && CACHED_SCHEDULER.equals(current.getClass().getName())
                && current instanceof java.util.function.Supplier<?> supplier
                && supplier.get() instanceof Scheduler inner; i++) {
            current = inner;
        }
        return current;
    }
}
