package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.testing.OperationScript;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import io.github.cloudmap.watcher.testing.TaskCountingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * For any script of GetOperation answers (statuses with repeats and stale regressions,
 * throttles, 5xx, connection resets, OperationNotFound, hangs, unparsable and wrongly typed
 * bodies, client errors) and any mix of subscribers sharing the operation's poll loop (fast,
 * slow, cancelling at a random moment, joining late), in virtual time:
 * <ul>
 *   <li>each watch's statuses advance (SUBMITTED, PENDING, then SUCCESS or FAIL), each at most
 *       once, all of them answers from the script;</li>
 *   <li>each watch that is not cancelled ends exactly once: completes right after the script's
 *       terminal status, or fails with one error that is the watcher's timeout or the SDK's own
 *       exception (never a {@code CompletionException});</li>
 *   <li>within its deadline: a fast watch ends no later than its deadline, a slow one no later
 *       than its deadline plus the time it takes to ask for the (at most three) statuses; a
 *       timeout never fires early; a cancelled watch hears nothing after it cancelled;</li>
 *   <li>no GetOperation is sent while no watch is running, none after the loop saw the terminal
 *       status (unless a watch joined after that), and at the end no timer, delivery worker or
 *       hanging request of the watcher remains.</li>
 * </ul>
 *
 * <p>{@value #CASES} cases, each drawn from its own seed; a failure prints the seed and the
 * case. Rerun one with {@code -Dwatch.properties.seed=<seed>} (and more with
 * {@code -Dwatch.properties.cases=<n>}).
 */
class WatchProperties {

    static final int CASES = 1_000;
    private static final long FIRST_SEED = 20_261_127_000L;
    /** The default cap on the delay between polls; transient retries wait less. */
    private static final long MAX_POLL_GAP_MILLIS = OperationWatcherBuilder.DEFAULT_MAX_POLL_INTERVAL.toMillis();

    private enum Step { SUBMITTED, PENDING, TERMINAL, THROTTLE, SERVER_ERROR, RESET, NOT_FOUND, HANG, GARBAGE,
        WRONG_TYPE, INVALID_INPUT }

    /** How likely each step is: statuses often, faults sometimes, fatal answers rarely. */
    private static final int[] WEIGHTS = {6, 8, 3, 4, 2, 2, 2, 1, 1, 1, 1};

    private enum Kind { FAST, SLOW, CANCELLING }

    @Test
    void everyWatchEndsOnceInOrderWithinItsDeadlineAndNothingOutlivesIt() {
        String seedProperty = System.getProperty("watch.properties.seed");
        int cases = Integer.getInteger("watch.properties.cases", seedProperty != null ? 1 : CASES);
        long first = seedProperty != null ? Long.parseLong(seedProperty) : FIRST_SEED;
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int n = 0; n < cases; n++) {
            long seed = first + n;
            Case c = new Case(seed);
            try {
                c.run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Case failed; rerun it with -Dwatch.properties.seed=" + seed + "\n"
                        + c.describe() + "\n" + e.getMessage(), e);
            }
            c.watches.forEach(w -> outcomes.merge(w.outcome(), 1, Integer::sum));
        }
        // What the cases exercised, so a generator that drifts into trivial cases shows.
        System.out.println("WatchProperties: " + cases + " cases from seed " + first + "; watch outcomes " + outcomes);
    }

    /** One drawn case: a script, a watcher's settings and its subscribers. */
    private static final class Case {
        final long seed;
        final Random random;
        final List<Step> script = new ArrayList<>();
        final OperationStatus terminal;
        final Duration timeout;
        final Duration grace;
        final List<Watch> watches = new ArrayList<>();
        final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        final TaskCountingScheduler scheduler = new TaskCountingScheduler(clock);
        final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        final List<Long> polls = new CopyOnWriteArrayList<>();
        final List<Long> terminalSeen = new CopyOnWriteArrayList<>();

        Case(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            int length = 1 + random.nextInt(20);
            for (int i = 0; i < length; i++) {
                script.add(draw());
            }
            terminal = random.nextBoolean() ? OperationStatus.SUCCESS : OperationStatus.FAIL;
            timeout = Duration.ofMillis(2_000 + random.nextInt(118_000));
            // The builder refuses a grace window longer than the timeout: draw it within the timeout.
            grace = Duration.ofMillis(random.nextInt((int) Math.min(30_000, timeout.toMillis())));
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                long joinAt = random.nextBoolean() ? 0 : random.nextInt((int) timeout.toMillis() + 10_000);
                long pace = 100 + random.nextInt(50_000);
                long cancelAfter = random.nextInt((int) timeout.toMillis() * 6 / 5 + 1);
                watches.add(new Watch(i, kind, joinAt, pace, cancelAfter));
            }
        }

        private Step draw() {
            int total = 0;
            for (int w : WEIGHTS) {
                total += w;
            }
            int r = random.nextInt(total);
            for (int i = 0; i < WEIGHTS.length; i++) {
                r -= WEIGHTS[i];
                if (r < 0) {
                    return Step.values()[i];
                }
            }
            throw new IllegalStateException();
        }

        String describe() {
            return "seed " + seed + ": script " + script + " (terminal " + terminal + "), timeout " + timeout
                    + ", grace " + grace + ", watches " + watches;
        }

        void run() {
            OperationScript answers = client.script("op-1");
            for (Step step : script) {
                switch (step) {
                    case SUBMITTED -> answers.submitted();
                    case PENDING -> answers.pending();
                    case TERMINAL -> {
                        if (terminal == OperationStatus.SUCCESS) {
                            answers.success();
                        } else {
                            answers.fail("INTERNAL_FAILURE", "scripted");
                        }
                    }
                    case THROTTLE -> answers.throttle();
                    case SERVER_ERROR -> answers.serverError(random.nextBoolean() ? 500 : 503);
                    case RESET -> answers.ioError();
                    case NOT_FOUND -> answers.notFound();
                    case HANG -> answers.hang();
                    case GARBAGE -> answers.garbageBody();
                    case WRONG_TYPE -> answers.wronglyTypedBody();
                    case INVALID_INPUT -> answers.error(() -> SdkErrors.invalidInput("scripted"));
                    default -> throw new IllegalStateException(step.toString());
                }
            }
            OperationWatcher watcher = OperationWatcher.builder(client)
                    .scheduler(scheduler)
                    .random(new Random(seed))
                    .timeout(timeout)
                    .notFoundGrace(grace)
                    .listener(new WatchListener() {
                        @Override
                        public void onPoll(String operationId) {
                            polls.add(now());
                        }

                        @Override
                        public void onStatusChange(Operation operation) {
                            if (PollLoopRanks.isTerminal(operation.status())) {
                                terminalSeen.add(now());
                            }
                        }
                    })
                    .build();
            for (Watch watch : watches) {
                // Test-side timers go on the bare clock, so the counting scheduler sees only the watcher's.
                clock.schedule(() -> watch.start(watcher), watch.joinAt, TimeUnit.MILLISECONDS);
            }
            clock.advanceTimeBy(Duration.ofHours(3));
            check();
            clock.dispose();
        }

        long now() {
            return clock.now(TimeUnit.MILLISECONDS);
        }

        private void check() {
            for (Watch watch : watches) {
                watch.check();
            }
            for (long poll : polls) {
                boolean someoneWatching = watches.stream().anyMatch(w -> w.activeAt(poll));
                if (!someoneWatching) {
                    throw new AssertionError("a GetOperation at " + poll + " ms while no watch ran; polls " + polls);
                }
                for (long seen : terminalSeen) {
                    boolean joinedSince = watches.stream().anyMatch(w -> w.joinAt >= seen && w.joinAt <= poll);
                    if (poll > seen && !joinedSince) {
                        throw new AssertionError("a GetOperation at " + poll + " ms after the terminal status at "
                                + seen + " ms; polls " + polls);
                    }
                }
            }
            // Liveness: a watch that is not slow is never held up by the others. While one runs,
            // an answered poll is followed by the next within the backoff cap (10 s)...
            for (int k = 0; k < polls.size(); k++) {
                long poll = polls.get(k);
                boolean hung = script.get(Math.min(k, script.size() - 1)) == Step.HANG;
                long nextPoll = k + 1 < polls.size() ? polls.get(k + 1) : Long.MAX_VALUE;
                for (Watch w : watches) {
                    if (!hung && w.kind != Kind.SLOW && w.activeThroughout(poll, poll + MAX_POLL_GAP_MILLIS)) {
                        require(nextPoll <= poll + MAX_POLL_GAP_MILLIS, "no GetOperation for "
                                + MAX_POLL_GAP_MILLIS + " ms after the one at " + poll + " ms although watch "
                                + w.index + " (" + w.kind + ") was waiting; polls " + polls);
                    }
                }
            }
            // ...and it hears the terminal status at the moment the loop reads it.
            for (long seen : terminalSeen) {
                for (Watch w : watches) {
                    boolean waiting = w.joinAt < seen && (w.cancelledAt < 0 || w.cancelledAt > seen)
                            && (w.endedAt < 0 || w.endedAt >= seen) && w.joinAt + timeout.toMillis() > seen;
                    if (w.kind != Kind.SLOW && waiting) {
                        require(w.error == null && w.endedAt == seen, "watch " + w.index + " (" + w.kind
                                + ") was waiting when the loop read the terminal status at " + seen
                                + " ms, but ended at " + w.endedAt + " with " + w.error);
                    }
                }
            }
            require(client.hangingRequests() == 0, "a request still hangs");
            require(scheduler.outstandingTasks() == 0, scheduler.outstandingTasks() + " timers outstanding");
            require(scheduler.openWorkers() == 0, scheduler.openWorkers() + " delivery workers open");
        }

        /** One subscriber, recording what it heard and when. */
        private final class Watch extends BaseSubscriber<Operation> {
            final int index;
            final Kind kind;
            final long joinAt;
            final long pace;
            final long cancelAfter;
            final List<Operation> statuses = new ArrayList<>();
            final List<Long> statusTimes = new ArrayList<>();
            boolean started;
            int ends;
            long endedAt = -1;
            Throwable error;
            long cancelledAt = -1;
            String afterCancel;

            Watch(int index, Kind kind, long joinAt, long pace, long cancelAfter) {
                this.index = index;
                this.kind = kind;
                this.joinAt = joinAt;
                this.pace = pace;
                this.cancelAfter = cancelAfter;
            }

            void start(OperationWatcher watcher) {
                started = true;
                watcher.watch("op-1").subscribe(this);
                if (kind == Kind.CANCELLING) {
                    clock.schedule(() -> {
                        if (endedAt < 0) {
                            cancelledAt = now();
                            dispose();
                        }
                    }, cancelAfter, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(kind == Kind.SLOW ? 1 : Long.MAX_VALUE);
            }

            @Override
            protected void hookOnNext(Operation operation) {
                heard("onNext " + operation.status());
                statuses.add(operation);
                statusTimes.add(now());
                if (kind == Kind.SLOW) {
                    clock.schedule(() -> request(1), pace, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            protected void hookOnComplete() {
                heard("onComplete");
                end();
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                heard("onError " + throwable);
                error = throwable;
                end();
            }

            private void heard(String signal) {
                if (cancelledAt >= 0 && afterCancel == null) {
                    afterCancel = signal;
                }
            }

            private void end() {
                ends++;
                endedAt = now();
            }

            /** Whether the watch ran over all of [from, to]: joined by then, not ended or cancelled by then. */
            boolean activeThroughout(long from, long to) {
                long end = cancelledAt >= 0 ? cancelledAt : endedAt;
                return started && joinAt <= from && (end < 0 || end > to);
            }

            /** Whether the watch was running at {@code millis}: joined, and not yet ended or cancelled. */
            boolean activeAt(long millis) {
                long end = cancelledAt >= 0 ? cancelledAt : endedAt;
                return started && joinAt <= millis && (end < 0 || millis <= end);
            }

            void check() {
                String label = "watch " + index + " (" + kind + "): heard " + statuses.stream()
                        .map(Operation::status).toList() + " at " + statusTimes + ", ended " + ends
                        + "x at " + endedAt + " with " + error + ", cancelled at " + cancelledAt + ": ";
                require(started, label + "never started");
                require(afterCancel == null, label + "heard " + afterCancel + " after cancelling");
                int lastRank = -1;
                for (Operation operation : statuses) {
                    int rank = PollLoopRanks.rank(operation.status());
                    require(rank > lastRank, label + "statuses not advancing");
                    lastRank = rank;
                    require(script.contains(step(operation.status())), label + "a status the script never gave");
                }
                if (cancelledAt >= 0) {
                    require(ends <= 1, label + "ended more than once");
                    return;
                }
                require(ends == 1, label + "did not end exactly once");
                long deadline = joinAt + timeout.toMillis();
                long allowance = kind == Kind.SLOW ? 3 * pace : 0;
                require(endedAt <= deadline + allowance, label + "ended after its deadline " + deadline);
                boolean endedOnTerminal = !statuses.isEmpty()
                        && PollLoopRanks.isTerminal(statuses.get(statuses.size() - 1).status());
                if (error == null) {
                    require(endedOnTerminal, label + "completed without a terminal status");
                    require(statuses.get(statuses.size() - 1).status() == terminal, label + "a wrong terminal status");
                } else {
                    require(!endedOnTerminal, label + "an error after the terminal status");
                    require(!(error instanceof CompletionException), label + "a CompletionException leaked");
                    if (error instanceof OperationTimeoutException) {
                        require(endedAt >= deadline, label + "timed out early");
                    } else {
                        require(error instanceof SdkException, label + "an unexpected error " + error);
                        require(script.stream().anyMatch(Case::canEndAWatch), label + "an error the script cannot cause");
                    }
                }
            }

            String outcome() {
                String end = cancelledAt >= 0 ? "cancelled" : error == null ? "completed"
                        : error.getClass().getSimpleName();
                return kind + " " + end;
            }

            private Step step(OperationStatus status) {
                return switch (status) {
                    case SUBMITTED -> Step.SUBMITTED;
                    case PENDING -> Step.PENDING;
                    default -> Step.TERMINAL;
                };
            }

            @Override
            public String toString() {
                return kind + "@" + joinAt + (kind == Kind.SLOW ? " pace " + pace : "")
                        + (kind == Kind.CANCELLING ? " cancel+" + cancelAfter : "");
            }
        }

        private static boolean canEndAWatch(Step step) {
            return switch (step) {
                case SERVER_ERROR, RESET, GARBAGE, NOT_FOUND, WRONG_TYPE, INVALID_INPUT -> true;
                default -> false;
            };
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError(message);
            }
        }
    }

    /** The order of statuses a watch may emit: SUBMITTED, then PENDING, then SUCCESS or FAIL. */
    private static final class PollLoopRanks {
        static int rank(OperationStatus status) {
            return switch (status) {
                case SUBMITTED -> 0;
                case SUCCESS, FAIL -> 2;
                default -> 1;
            };
        }

        static boolean isTerminal(OperationStatus status) {
            return rank(status) == 2;
        }
    }
}
