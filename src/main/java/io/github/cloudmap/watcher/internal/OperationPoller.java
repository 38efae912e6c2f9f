package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Watches operations: obtains an operation ID, joins the one poll loop of that operation, and
 * puts the watch's own deadline over it.
 *
 * <p>Watches of the same operation (and owner account) that run at the same time share one
 * {@link PollLoop} ({@link LoopRegistry}): Cloud Map sees one stream of GetOperation requests
 * however many parts of an application wait for the operation. A watch that joins a running
 * loop first receives the latest status, then each change. The loop stops when its last watch
 * ends or is cancelled; a watch that starts after that starts a new loop.
 *
 * <p><b>Where user code runs.</b> The loop runs on the SDK's response threads and the watcher's
 * timer; neither ever runs a subscriber. Each watch hands its signals over to a worker of its
 * own from the delivery scheduler (see {@code deliveryScheduler} below), after its deadline, so a
 * subscriber that blocks or is slow holds up only its own worker: not the loop, not the SDK's
 * threads, not the other watches of the operation.
 *
 * <p>Thread-safe. Not part of the public API.
 */
final class OperationPoller {

    /**
     * Statuses a watch's hand-over fetches ahead: a loop emits at most three (first, change,
     * terminal), and the loop never waits on this demand anyway (see {@link LoopRegistry}).
     */
    private static final int DELIVERY_PREFETCH = 4;

    private final WatchSettings settings;
    private final LoopRegistry loops;
    /** Hears each watch for tracing; {@link WatchObserver#NONE} without an ObservationRegistry. */
    private final WatchObserver observer;

    OperationPoller(WatchSettings settings) {
        this(settings, WatchObserver.NONE);
    }

    OperationPoller(WatchSettings settings, WatchObserver observer) {
        this.settings = settings;
        PollLoop pollLoop = new PollLoop(settings, observer);
        this.loops = new LoopRegistry(pollLoop::statuses);
        this.observer = observer;
    }

    /**
     * Obtains an operation ID from {@code operationId} (subscribed once per subscription), then
     * watches it until SUCCESS or FAIL. One deadline covers both.
     *
     * @param operationId yields the ID to watch: {@code Mono.just(id)} or a submission
     * @param ownerAccount the account that owns a shared namespace, or null
     */
    Flux<Operation> watch(Mono<String> operationId, String ownerAccount) {
        return Flux.deferContextual(subscriber -> {
            Scheduler scheduler = settings.scheduler().get();
            WatchState state = new WatchState(Clocks.nanos(scheduler));
            WatchObserver.Watch observed = observer.watch(ownerAccount, subscriber, scheduler);
            Flux<Operation> statuses = operationId
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException(
                            "The submission completed without an OperationId")))
                    .flatMapMany(id -> {
                        state.operationId = id;
                        observed.operationId(id);
                        return loops.statuses(id, ownerAccount);
                    })
                    .doOnNext(operation -> state.lastObserved = operation);
            // The deadline sits before the hand-over: it bounds how long the operation takes to
            // report, not how long the subscriber takes to consume what it was given.
            return observed.observe(withDeadline(statuses, state, scheduler))
                    .publishOn(deliveryScheduler(scheduler), DELIVERY_PREFETCH);
        });
    }

    /**
     * Where a watch's signals are delivered, looked up per subscription: the configured one;
     * else {@link Schedulers#boundedElastic()} when the timers run on the default
     * {@link Schedulers#parallel()}: a worker per watch, on threads meant for code that may
     * block, so a slow subscriber never holds a thread the timers of other watches need.
     * Else the watcher's own scheduler: a scheduler given explicitly is most often a test's
     * virtual clock, which must drive everything. Under {@code StepVerifier.withVirtualTime}
     * both defaults are the virtual-time scheduler, so virtual time keeps working.
     */
    Scheduler deliveryScheduler(Scheduler timers) {
        Supplier<? extends Scheduler> configured = settings.deliveryScheduler();
        if (configured != null) {
            return configured.get();
        }
        return timers == Schedulers.parallel() ? Schedulers.boundedElastic() : timers;
    }

    /** How many poll loops run now; for tests and metrics. */
    int runningLoops() {
        return loops.size();
    }

    /**
     * One deadline for the whole watch that fires even while a request hangs: the timeout
     * publisher for each next emission is a delay of only the time that is left.
     */
    private Flux<Operation> withDeadline(Flux<Operation> statuses, WatchState state, Scheduler scheduler) {
        Duration timeout = settings.timeout();
        long deadline = state.startNanos + timeout.toNanos();
        Flux<Operation> expired = Flux.defer(() ->
                Flux.error(new OperationTimeoutException(state.operationId, state.lastObserved, timeout,
                        state.budgetNote)));
        return statuses.timeout(
                Mono.delay(timeout, scheduler).doOnNext(fired -> state.noteBudget(settings)),
                emitted -> Mono.delay(Duration.ofNanos(
                        Math.max(0L, deadline - Clocks.nanos(scheduler))), scheduler)
                        .doOnNext(fired -> state.noteBudget(settings)),
                expired);
    }

    /** What one watch knows, for its timeout message. */
    private static final class WatchState {
        final long startNanos;
        volatile String operationId;
        volatile Operation lastObserved;
        volatile String budgetNote;

        WatchState(long startNanos) {
            this.startNanos = startNanos;
        }

        /**
         * Taken when the deadline fires, before the watch's own wait for a permit is cancelled:
         * a watch that timed out behind the rate budget says so instead of timing out silently.
         */
        void noteBudget(WatchSettings settings) {
            int waiting = settings.pollBudget().waiting();
            if (waiting > 0) {
                budgetNote = String.format("%d GetOperation request(s) of this watcher were waiting for its rate budget"
                        + " (%s, %.2f requests/s now)", waiting, settings.pollBudget(),
                        settings.pollBudget().currentRate());
            }
        }
    }

}
