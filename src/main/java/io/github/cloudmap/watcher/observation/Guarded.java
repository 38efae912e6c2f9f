package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into the application's observation handlers (start, stop, events, errors, scopes) so
 * that a handler that throws harms only its own records: the watch, its polls and its statuses go
 * on. The first failure is logged at WARN, later ones at DEBUG. Stateless apart from that flag.
 */
final class Guarded {

    private static final Logger log = LoggerFactory.getLogger(ObservationWatchObserver.class);
    private static final AtomicBoolean warned = new AtomicBoolean();

    private Guarded() {}

    /** Runs {@code call}; a handler's exception is logged, never thrown. */
    static void run(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** {@code body} in {@code observation}'s scope; a scope the handlers cannot open or close is skipped. */
    static <T> T inScope(Observation observation, Supplier<T> body) {
        Observation.Scope scope = null;
        try {
            scope = observation.openScope();
        } catch (RuntimeException e) {
            failed(e);
        }
        try {
            return body.get();
        } finally {
            if (scope != null) {
                try {
                    scope.close();
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
        }
    }

    private static void failed(RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            log.warn("An ObservationHandler failed; the watches go on without that record (later failures at DEBUG)", e);
        } else {
            log.debug("An ObservationHandler failed", e);
        }
    }
}
