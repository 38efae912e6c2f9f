package io.github.cloudmap.watcher.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
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
     * subscription ends.
     */
    Flux<Operation> statuses(String operationId, String ownerAccount) {
        LoopKey key = new LoopKey(operationId, ownerAccount);
        return Flux.defer(() -> {
            Loop loop = running.compute(key, (k, current) -> {
                Loop joined = current != null ? current : new Loop(k);
                joined.watchers++;
                return joined;
            });
            return loop.statuses.doFinally(signal -> leave(loop));
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

    /** One running loop; {@code watchers} is only read and written under the map's lock. */
    private final class Loop {
        final LoopKey key;
        final Flux<Operation> statuses;
        int watchers;
        private volatile Disposable connection;
        private volatile boolean stopped;

        Loop(LoopKey key) {
            this.key = key;
            // replay(1): a late watch starts from the latest status. autoConnect(1): the loop
            // starts with its first watch; it stops when the registry says its last one left
            // (refCount would race a joining watch against the disconnect).
            this.statuses = newLoop.apply(key.operationId(), key.ownerAccount())
                    .doOnTerminate(() -> running.remove(key, this))
                    .replay(1)
                    .autoConnect(1, this::connected);
        }

        private void connected(Disposable connection) {
            this.connection = connection;
            if (stopped) {
                connection.dispose();
            }
        }

        void stop() {
            stopped = true;
            Disposable current = connection;
            if (current != null) {
                current.dispose();
            }
        }
    }
}
