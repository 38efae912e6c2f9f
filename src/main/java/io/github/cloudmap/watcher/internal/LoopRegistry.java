package io.github.cloudmap.watcher.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * The running poll loops of one watcher, one per operation (and owner account), shared by the
 * watches of that operation that run at the same time.
 *
 * <p>Joining and leaving a loop are decided atomically under the map's lock for that operation,
 * so a watch never joins a loop that is being torn down: either it joins before the last watch
 * leaves (and the loop goes on), or after (and a new loop starts). A loop that ends is removed
 * before its last signal reaches the watches, so a watch that resubscribes from its error or
 * completion handler starts a new loop instead of receiving the old loop's replay.
 *
 * <p><b>Each watch at its own pace.</b> A loop pushes its statuses into a replay-latest sink
 * and never waits for its watches' demand: a watch that requests one element, or a subscriber
 * that takes minutes per element, neither stalls the loop nor delays any other watch. (A
 * {@code replay(1)} connection, which this replaced, requests the next status only once every
 * watch has taken the last one, so the slowest watch set the pace of all.) The sink keeps, for
 * each watch, the statuses it has not taken yet; a loop emits at most three (the first status,
 * a change, the terminal one), so that backlog is bounded by design and needs no overflow rule.
 *
 * <p>Thread-safe. Not part of the public API.
 */
final class LoopRegistry {

    private final Map<LoopKey, Loop> running = new ConcurrentHashMap<>();
    private final BiFunction<String, String, Flux<Operation>> newLoop;

    /** @param newLoop the poll loop of an operation ID and owner account (null for the caller's own) */
    LoopRegistry(BiFunction<String, String, Flux<Operation>> newLoop) {
        this.newLoop = newLoop;
    }

    /**
     * The statuses of an operation from its shared loop: a watch that joins a running loop first
     * receives the latest status, then each change. Cold: joins on subscription, leaves when the
     * subscription ends. Signals arrive on the loop's thread; the caller moves them elsewhere.
     */
    Flux<Operation> statuses(String operationId, String ownerAccount) {
        LoopKey key = new LoopKey(operationId, ownerAccount);
        return Flux.defer(() -> {
            Loop loop = running.compute(key, (k, current) -> {
                Loop joined = current != null ? current : new Loop(k);
                joined.watchers++;
                return joined;
            });
            // The watch is in the sink before the loop starts, so it sees the loop's first status
            // as it is emitted (a replay would hand it over too; this keeps the order obvious).
            Flux<Operation> joinThenStart = Flux.from(watch -> {
                loop.sink.asFlux().subscribe(watch);
                loop.start();
            });
            return joinThenStart.doFinally(signal -> leave(loop));
        });
    }

    /** How many loops run now. */
    int size() {
        return running.size();
    }

    private void leave(Loop loop) {
        boolean[] last = new boolean[1];
        running.computeIfPresent(loop.key, (k, current) -> {
            if (current != loop) {
                return current; // the loop already ended and was replaced
            }
            last[0] = --loop.watchers == 0;
            return last[0] ? null : loop;
        });
        if (last[0]) {
            loop.stop();
        }
    }

    private record LoopKey(String operationId, String ownerAccount) {
        LoopKey {
            Objects.requireNonNull(operationId, "operationId");
        }
    }

    /**
     * One running loop; {@code watchers} is only read and written under the map's lock. The loop
     * is subscribed once, by the first watch, with unbounded demand; it stops when the registry
     * says its last watch left.
     */
    private final class Loop {
        final LoopKey key;
        /**
         * Replay-latest: a watch that joins late starts from the latest status; emitting never
         * waits for demand, and a watch behind the others is handed what it missed when it asks.
         */
        final Sinks.Many<Operation> sink = Sinks.many().replay().latest();
        private final LoopSubscriber subscriber = new LoopSubscriber();
        int watchers;
        private boolean started;
        private boolean stopped;

        Loop(LoopKey key) {
            this.key = key;
        }

        /** Starts the loop for its first watch; later calls, and calls after stop, do nothing. */
        void start() {
            synchronized (this) {
                if (started || stopped) {
                    return;
                }
                started = true;
            }
            newLoop.apply(key.operationId(), key.ownerAccount())
                    .doOnTerminate(() -> running.remove(key, this))
                    .subscribe(subscriber);
        }

        /** Stops the loop (cancels the request in flight or the pending delay). Idempotent. */
        void stop() {
            synchronized (this) {
                stopped = true;
            }
            subscriber.dispose();
        }

        /**
         * Moves the loop's signals into the sink. The loop is one serial source, so the sink's
         * emissions are never concurrent: FAIL_FAST would only fire on a bug, loudly.
         */
        private final class LoopSubscriber extends BaseSubscriber<Operation> {

            @Override
            protected void hookOnNext(Operation operation) {
                sink.emitNext(operation, Sinks.EmitFailureHandler.FAIL_FAST);
            }

            @Override
            protected void hookOnComplete() {
                sink.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
            }

            @Override
            protected void hookOnError(Throwable error) {
                sink.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST);
            }
        }
    }
}
