package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.BatchOutcome;
import io.github.cloudmap.watcher.BatchUpdate;
import io.github.cloudmap.watcher.OperationOutcome;
import io.github.cloudmap.watcher.OperationTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Many operations waited for as one batch: one watch per distinct operation, all subscribed at
 * once, so every poll draws from the watcher's one budget, which serves waiting polls in the
 * order they fell due (fair between the operations, however many). Each watch keeps its own
 * deadline; an optional overall deadline and fail-fast end the rest together. Each operation
 * yields exactly one final {@link BatchUpdate}; a watch's error becomes that operation's outcome
 * and never ends the batch.
 *
 * <p>Thread-safe; per-subscription state lives inside {@code Flux.defer}. Not part of the public API:
 * {@link WatchEngine} is its door.
 */
final class BatchWatch {

    private final WatchSettings settings;
    private final BiFunction<String, String, Flux<Operation>> watch;

    /**
     * @param settings the watcher's settings (its scheduler runs the overall deadline)
     * @param watch watches one validated operation ID of an owner account (or null)
     */
    BatchWatch(WatchSettings settings, BiFunction<String, String, Flux<Operation>> watch) {
        this.settings = settings;
        this.watch = watch;
    }

    /**
     * The updates of every operation of {@code operationIds} (validated, distinct).
     *
     * @param ownerAccount the account that owns the namespaces, or null for the caller's own
     * @param overallTimeout the batch's deadline, or null for none
     */
    Flux<BatchUpdate> watchAll(List<String> operationIds, String ownerAccount, boolean failFast,
                                      Duration overallTimeout) {
        if (operationIds.isEmpty()) {
            return Flux.empty();
        }
        return Flux.defer(() -> {
            Map<String, Operation> lastSeen = new ConcurrentHashMap<>();
            Map<String, Boolean> finished = new ConcurrentHashMap<>();
            AtomicBoolean overallPassed = new AtomicBoolean();
            // Every watch at once: a concurrency bound here would make the last operations wait
            // outside the budget's queue, where fairness cannot reach them.
            Flux<BatchUpdate> updates = Flux.fromIterable(operationIds)
                    .flatMap(id -> one(id, ownerAccount), operationIds.size(), 4)
                    .doOnNext(update -> {
                        if (update.status() != null) {
                            lastSeen.put(update.operationId(), update.status());
                        }
                        if (update.isFinal()) {
                            finished.put(update.operationId(), Boolean.TRUE);
                        }
                    });
            if (failFast) {
                updates = updates.takeUntil(update -> update.isFinal() && !update.outcome().isSuccess());
            }
            if (overallTimeout != null) {
                Scheduler scheduler = settings.scheduler().get();
                updates = updates.takeUntilOther(Mono.delay(overallTimeout, scheduler)
                        .doOnNext(tick -> overallPassed.set(true)));
            }
            // Whatever ended early (fail-fast, the overall deadline) leaves operations without an
            // outcome: each gets one here, after the watches were cancelled.
            return updates.concatWith(Flux.defer(() -> {
                List<BatchUpdate> rest = new ArrayList<>();
                for (String id : operationIds) {
                    if (!finished.containsKey(id)) {
                        Operation last = lastSeen.get(id);
                        OperationOutcome outcome = overallPassed.get()
                                ? OperationOutcome.timedOut(id, new OperationTimeoutException(id, last, overallTimeout, 1))
                                : OperationOutcome.stopped(id, last);
                        rest.add(new BatchUpdate(id, null, outcome));
                    }
                }
                return Flux.fromIterable(rest);
            }));
        });
    }

    /** {@link #watchAll} reduced to its outcome. */
    Mono<BatchOutcome> awaitAll(List<String> operationIds, String ownerAccount, boolean failFast,
                                       Duration overallTimeout) {
        if (operationIds.isEmpty()) {
            return Mono.just(BatchOutcome.empty());
        }
        return watchAll(operationIds, ownerAccount, failFast, overallTimeout)
                .filter(BatchUpdate::isFinal)
                .map(BatchUpdate::outcome)
                .collectList()
                .map(outcomes -> BatchOutcome.of(operationIds, outcomes));
    }

    /** One operation's updates; its error is its final update, never the batch's error. */
    private Flux<BatchUpdate> one(String id, String ownerAccount) {
        return Flux.defer(() -> {
            AtomicReference<Operation> last = new AtomicReference<>();
            AtomicBoolean ended = new AtomicBoolean();
            return watch.apply(id, ownerAccount)
                    .map(operation -> {
                        last.set(operation);
                        if (operation.status() == OperationStatus.SUCCESS || operation.status() == OperationStatus.FAIL) {
                            ended.set(true);
                            return new BatchUpdate(id, operation, OperationOutcome.terminal(operation));
                        }
                        return new BatchUpdate(id, operation, null);
                    })
                    .onErrorResume(error -> {
                        ended.set(true);
                        Throwable cause = FailureClassifier.unwrap(error);
                        return Mono.just(new BatchUpdate(id, null, cause instanceof OperationTimeoutException timeout
                                ? OperationOutcome.timedOut(id, timeout)
                                : OperationOutcome.error(id, last.get(), cause)));
                    })
                    // A watch always ends with SUCCESS, FAIL or an error; should one ever complete
                    // without, the batch still learns of it instead of waiting for good.
                    .concatWith(Mono.defer(() -> ended.get() ? Mono.empty()
                            : Mono.just(new BatchUpdate(id, null, OperationOutcome.error(id, last.get(),
                                    new IllegalStateException("the watch of " + id + " ended without a final status"))))));
        });
    }
}
