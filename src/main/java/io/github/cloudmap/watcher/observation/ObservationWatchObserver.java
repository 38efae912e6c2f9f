package io.github.cloudmap.watcher.observation;

import io.github.cloudmap.watcher.CloudMapErrors;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.internal.WatchEngine;
import io.github.cloudmap.watcher.internal.WatchObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Records the watcher's Micrometer observations: {@code cloudmap.watcher.watch},
 * {@code cloudmap.watcher.poll} and {@code cloudmap.watcher.submission}
 * ({@link WatcherObservationDocumentation}).
 *
 * <p><b>Parents.</b> A watch's parent is the observation in the subscriber's Reactor context
 * (under {@code ObservationThreadLocalAccessor.KEY}, where Spring WebFlux and {@code contextCapture()}
 * put it), else the registry's current one; a {@code submitAndWatch} puts its own there, so the
 * watches of its attempts are its children. A poll's parent is the oldest watch its shared loop
 * serves: one request is one span, in the trace of the watch that started the loop; every other
 * watch of the loop hears a {@code cloudmap.watcher.poll} event and counts the poll, and the
 * {@link PollContext} names them for a handler that links spans. The request is sent with the
 * poll's scope open, so an instrumented SDK client's spans nest under it.
 *
 * <p>Loaded only when {@code OperationWatcherBuilder.observationRegistry(...)} was called. Not
 * part of the public API: public because the builder, in another package, creates it.
 * Thread-safe.
 */
public final class ObservationWatchObserver implements WatchObserver {

    /** Where Reactor's context propagation keeps the current observation (ObservationThreadLocalAccessor.KEY). */
    static final String CONTEXT_KEY = "micrometer.observation";

    private final ObservationRegistry registry;
    private final WatchObservationConvention watchConvention;
    private final PollObservationConvention pollConvention;
    private final SubmissionObservationConvention submissionConvention;
    /** The observed watches of each running loop, oldest first; copy-on-write under the map's lock. */
    private final Map<LoopKey, List<WatchHandle>> loops = new ConcurrentHashMap<>();

    private ObservationWatchObserver(ObservationRegistry registry, WatchObservationConvention watchConvention,
            PollObservationConvention pollConvention, SubmissionObservationConvention submissionConvention) {
        this.registry = registry;
        this.watchConvention = watchConvention;
        this.pollConvention = pollConvention;
        this.submissionConvention = submissionConvention;
    }

    /**
     * The observer of a watcher; a null convention keeps the default.
     *
     * @param registry where the observations are recorded
     * @param watchConvention the watch observation's names and keys, or null for the default
     * @param pollConvention the poll observation's names and keys, or null for the default
     * @param submissionConvention the submission observation's names and keys, or null for the default
     * @return a new observer
     * @throws NullPointerException if {@code registry} is null
     */
    public static WatchObserver create(ObservationRegistry registry, WatchObservationConvention watchConvention,
            PollObservationConvention pollConvention, SubmissionObservationConvention submissionConvention) {
        return new ObservationWatchObserver(Objects.requireNonNull(registry, "registry must not be null"),
                watchConvention, pollConvention, submissionConvention);
    }

    private Observation parent(ContextView subscriber) {
        Object inContext = subscriber.getOrDefault(CONTEXT_KEY, null);
        return inContext instanceof Observation observation ? observation : registry.getCurrentObservation();
    }

    @Override
    public Watch watch(String ownerAccount, ContextView subscriber, Scheduler scheduler) {
        // A registry without handlers (or ObservationRegistry.NOOP) records nothing: skip the
        // contexts and operators too, so a no-op registry costs what no registry costs.
        if (registry.isNoop()) {
            return Watch.NONE;
        }
        WatchContext context = new WatchContext(ownerAccount);
        Observation observation = WatcherObservationDocumentation.WATCH
                .observation(watchConvention, DefaultWatchObservationConvention.INSTANCE, () -> context, registry)
                .parentObservation(parent(subscriber));
        Guarded.run(observation::start);
        return new WatchHandle(observation, context, ownerAccount, scheduler);
    }

    @Override
    public Poll poll(String operationId, String ownerAccount, Scheduler scheduler) {
        if (registry.isNoop()) {
            return Poll.NONE;
        }
        List<WatchHandle> watches = loops.getOrDefault(new LoopKey(operationId, ownerAccount), List.of());
        WatchHandle first = watches.isEmpty() ? null : watches.get(0);
        List<WatchContext> others = new ArrayList<>(Math.max(0, watches.size() - 1));
        for (int i = 1; i < watches.size(); i++) {
            others.add(watches.get(i).context);
        }
        watches.forEach(watch -> watch.context.countPoll());
        PollContext context = new PollContext(operationId, ownerAccount, first == null ? null : first.context, others);
        Observation observation = WatcherObservationDocumentation.POLL
                .observation(pollConvention, DefaultPollObservationConvention.INSTANCE, () -> context, registry)
                .parentObservation(first == null ? null : first.observation);
        if (first == null) {
            Guarded.run(observation::start);
        } else {
            // Started in the watch's scope: Micrometer Tracing prefers a span current on the thread
            // to the parent observation's (the first poll runs on the subscribing thread, where
            // automatic context propagation has made the caller's span current).
            Guarded.inScope(first.observation, () -> {
                Guarded.run(observation::start);
                return null;
            });
        }
        return new PollHandle(observation, context, scheduler, watches.size() > 1 ? watches.subList(1, watches.size()) : List.of());
    }

    @Override
    public Flux<Operation> submission(Flux<Operation> attempts, String ownerAccount, IntSupplier submissions) {
        if (registry.isNoop()) {
            return attempts;
        }
        return Flux.deferContextual(subscriber -> {
            SubmissionContext context = new SubmissionContext(ownerAccount);
            Observation observation = WatcherObservationDocumentation.SUBMISSION
                    .observation(submissionConvention, DefaultSubmissionObservationConvention.INSTANCE, () -> context,
                            registry)
                    .parentObservation(parent(subscriber));
            Guarded.run(observation::start);
            AtomicBoolean stopped = new AtomicBoolean();
            return attempts
                    .doOnNext(operation -> {
                        context.setOperationId(operation.id());
                        context.setOperationType(operation.typeAsString());
                        context.setErrorCode(operation.status() == OperationStatus.FAIL ? operation.errorCode() : null);
                        context.setOutcome(outcomeOf(operation));
                    })
                    .doOnError(error -> {
                        context.setOutcome(error instanceof OperationTimeoutException ? WatchOutcome.TIMEOUT
                                : WatchOutcome.ERROR);
                        Guarded.run(() -> observation.error(error));
                    })
                    .doFinally(signal -> {
                        if (!stopped.compareAndSet(false, true)) {
                            return;
                        }
                        if (signal == SignalType.CANCEL && context.getOutcome() != WatchOutcome.SUCCESS) {
                            // cancelled after a retryable FAIL, while waiting to resubmit: not a FAIL
                            context.setOutcome(WatchOutcome.CANCELLED);
                            context.setErrorCode(null);
                        } else if (context.getOutcome() == null) {
                            context.setOutcome(WatchOutcome.ERROR);
                        }
                        context.setAttempts(Math.max(1, submissions.getAsInt()));
                        Guarded.run(observation::stop);
                    })
                    // The watches of the attempts find their parent here.
                    .contextWrite(reactor.util.context.Context.of(CONTEXT_KEY, observation));
        });
    }

    /** SUCCESS or FAIL for a terminal status, else null (the watch goes on). */
    private static WatchOutcome outcomeOf(Operation operation) {
        if (operation.status() == OperationStatus.SUCCESS) {
            return WatchOutcome.SUCCESS;
        }
        return operation.status() == OperationStatus.FAIL ? WatchOutcome.FAIL : null;
    }

    /** How a request ended, from its failure. */
    static PollOutcome classify(Throwable failure) {
        Throwable error = CloudMapErrors.unwrap(failure);
        if (error instanceof OperationNotFoundException) {
            return PollOutcome.NOT_FOUND;
        }
        if (CloudMapErrors.isThrottling(error)) {
            return PollOutcome.THROTTLED;
        }
        if (CloudMapErrors.isTransient(error)) {
            return error instanceof AwsServiceException ? PollOutcome.SERVER_ERROR : PollOutcome.IO_ERROR;
        }
        return PollOutcome.CLIENT_ERROR;
    }

    private record LoopKey(String operationId, String ownerAccount) { }

    /** One observed watch: in its loop's list from the moment it knows its operation to its end. */
    private final class WatchHandle implements Watch {
        final Observation observation;
        final WatchContext context;
        private final String ownerAccount;
        private final Scheduler scheduler;
        private final long startNanos;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile LoopKey joined;

        WatchHandle(Observation observation, WatchContext context, String ownerAccount, Scheduler scheduler) {
            this.observation = observation;
            this.context = context;
            this.ownerAccount = ownerAccount;
            this.scheduler = scheduler;
            this.startNanos = WatchEngine.nanoTime(scheduler);
        }

        @Override
        public void operationId(String operationId) {
            context.setOperationId(operationId);
            LoopKey key = new LoopKey(operationId, ownerAccount);
            joined = key;
            loops.compute(key, (k, current) -> {
                List<WatchHandle> next = new ArrayList<>(current == null ? List.of() : current);
                next.add(this);
                return List.copyOf(next);
            });
        }

        @Override
        public Flux<Operation> observe(Flux<Operation> statuses) {
            return statuses
                    .doOnNext(operation -> {
                        context.setOperationType(operation.typeAsString());
                        context.setLastStatus(operation.statusAsString());
                        if (operation.status() == OperationStatus.FAIL) {
                            context.setErrorCode(operation.errorCode());
                        }
                        Guarded.run(() -> observation.event(Observation.Event.of(
                                WatcherObservationDocumentation.Events.STATUS.getName(),
                                "status " + operation.statusAsString())));
                        WatchOutcome outcome = outcomeOf(operation);
                        if (outcome != null) {
                            context.setOutcome(outcome);
                        }
                    })
                    .doOnError(error -> {
                        context.setOutcome(error instanceof OperationTimeoutException ? WatchOutcome.TIMEOUT
                                : WatchOutcome.ERROR);
                        Guarded.run(() -> observation.error(error));
                    })
                    .doFinally(this::stop);
        }

        private void stop(SignalType signal) {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            LoopKey key = joined;
            if (key != null) {
                loops.computeIfPresent(key, (k, current) -> {
                    List<WatchHandle> next = new ArrayList<>(current);
                    next.remove(this);
                    return next.isEmpty() ? null : List.copyOf(next);
                });
            }
            // A cancel right after the terminal status (submitAndWatch stops an attempt at its
            // retryable FAIL) does not undo what the watch saw.
            if (context.getOutcome() == null) {
                context.setOutcome(signal == SignalType.CANCEL ? WatchOutcome.CANCELLED : WatchOutcome.ERROR);
            }
            context.setDurationNanos(WatchEngine.nanoTime(scheduler) - startNanos);
            Guarded.run(observation::stop);
        }
    }

    /** One observed GetOperation request. */
    private static final class PollHandle implements Poll {
        private final Observation observation;
        private final PollContext context;
        private final Scheduler scheduler;
        private final List<WatchHandle> others;
        private final long askedNanos;
        private volatile long permittedNanos = -1;
        private final AtomicBoolean stopped = new AtomicBoolean();

        PollHandle(Observation observation, PollContext context, Scheduler scheduler, List<WatchHandle> others) {
            this.observation = observation;
            this.context = context;
            this.scheduler = scheduler;
            this.others = others;
            this.askedNanos = WatchEngine.nanoTime(scheduler);
        }

        @Override
        public void permitted() {
            permittedNanos = WatchEngine.nanoTime(scheduler);
            // A new event each time: an event made once would carry the time it was made.
            Guarded.run(() -> observation.event(Observation.Event.of(WatcherObservationDocumentation.Events.PERMIT.getName())));
        }

        @Override
        public CompletableFuture<GetOperationResponse> send(Supplier<CompletableFuture<GetOperationResponse>> call) {
            return Guarded.inScope(observation, call);
        }

        @Override
        public Mono<GetOperationResponse> observe(Mono<GetOperationResponse> request) {
            return request
                    .doOnSuccess(response -> stop(PollOutcome.ANSWERED, null))
                    .doOnError(error -> stop(classify(error), error))
                    .doOnCancel(() -> stop(PollOutcome.CANCELLED, null));
        }

        private void stop(PollOutcome outcome, Throwable error) {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            long now = WatchEngine.nanoTime(scheduler);
            long permitted = permittedNanos;
            context.setBudgetWaitNanos((permitted < 0 ? now : permitted) - askedNanos);
            context.setWireNanos(permitted < 0 ? 0 : now - permitted);
            context.setOutcome(outcome);
            if (error != null && outcome != PollOutcome.THROTTLED && outcome != PollOutcome.NOT_FOUND) {
                Guarded.run(() -> observation.error(error));
            }
            Observation.Event event = Observation.Event.of(WatcherObservationDocumentation.Events.POLL.getName(),
                    "poll " + outcome.name());
            others.forEach(watch -> {
                if (!watch.stopped.get()) { // a watch that left mid-request is not told
                    Guarded.run(() -> watch.observation.event(event));
                }
            });
            Guarded.run(observation::stop);
        }
    }
}
