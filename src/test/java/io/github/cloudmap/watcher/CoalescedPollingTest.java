package io.github.cloudmap.watcher;

import static io.github.cloudmap.watcher.testing.ListOperationsScript.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.FAIL;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUCCESS;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.TaskCountingScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsRequest;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Coalesced polling ({@link OperationWatcherBuilder#coalescedPolling(Duration)}), in virtual time
 * against a scripted client. With jitter off and the default intervals, a watch's own polls fall
 * at 0, 0.5, 1.5, 3.5, 7.5, 15.5 ... s; with a 2 s sweep interval, sweeps fall at 2, 4, 6 ... s.
 */
class CoalescedPollingTest {

    private static final Duration SWEEP = Duration.ofSeconds(2);

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final TaskCountingScheduler scheduler = new TaskCountingScheduler(clock);
    private final Recorder recorder = new Recorder();

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).scheduler(scheduler).listener(recorder)
                .pollBudget(RequestBudget.unlimited());
    }

    @Test
    void aChangeSeenInASweepTriggersAGetOperationBeforeTheBackoffWould() {
        client.script("op-1").pending().times(4).success();
        client.listings()
                .page(null)                                  // sweep at 2 s: nothing changed
                .page(null, summary("op-1", SUCCESS));       // sweep at 4 s: op-1 finished
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();

        List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        watcher.watch("op-1").map(Operation::status).subscribe(seen::add);
        clock.advanceTimeBy(Duration.ofMillis(3999));
        assertThat(seen).containsExactly(PENDING);
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L);

        clock.advanceTimeBy(Duration.ofMillis(1));
        // Per-operation polling would send its fifth GetOperation at 7.5 s.
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L, 4000L);
        assertThat(seen).containsExactly(PENDING, SUCCESS);
        assertThat(client.listOperationsRequests()).hasSize(2);
    }

    @Test
    void aWakeUpDuringAnInFlightPollIsNotLostAndAStaleGetOperationCostsOneExtraPollPerSweep() {
        // The sweep at 2 s says SUCCESS, but GetOperation still says PENDING twice (eventual
        // consistency): one extra poll at once after each sweep that shows it, not a storm.
        client.script("op-1").pending().times(5).success();
        client.listings().page(null, summary("op-1", SUCCESS)).page(null, summary("op-1", SUCCESS));
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();

        List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        watcher.watch("op-1").map(Operation::status).subscribe(seen::add);
        clock.advanceTimeBy(Duration.ofSeconds(4));
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 2000L, 4000L);
        assertThat(seen).containsExactly(PENDING);
        clock.advanceTimeBy(Duration.ofMillis(7999));
        // The sweeps at 6, 8 and 10 s show nothing: the usual backoff (8 s after the poll at 4 s) goes on.
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 2000L, 4000L);
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 2000L, 4000L, 12000L);
        assertThat(seen).containsExactly(PENDING, SUCCESS);
    }

    @Test
    void aWakeUpThatComesWhileAPollIsUnderWayIsKeptForTheNextWait() {
        // Every GetOperation waits 1 s for its permit: polls fall due at 0, 1.5, 3.5 ... and are
        // sent at 1, 2.5 ... The sweep at 2 s shows SUCCESS while the second poll waits for its
        // permit (no wait for a wake-up is pending then); that poll still reads PENDING (the
        // service's read lags), so the loop polls again at once instead of after its 1 s delay.
        client.script("op-1").pending().times(2).success();
        client.listings().page(null, summary("op-1", SUCCESS));
        RequestBudget slow = new RequestBudget() {
            @Override
            public reactor.core.publisher.Mono<Permit> acquire(reactor.core.scheduler.Scheduler on) {
                Permit permit = new Permit() {
                    @Override public void onThrottled() { }
                    @Override public void onAnswered() { }
                };
                return reactor.core.publisher.Mono.delay(Duration.ofSeconds(1), on).thenReturn(permit);
            }
            @Override public double currentRate() { return 1; }
            @Override public int waiting() { return 0; }
        };
        OperationWatcher watcher = watcher().pollBudget(slow).coalescedPolling(SWEEP).build();
        List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        watcher.watch("op-1").map(Operation::status).subscribe(seen::add);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        // Without the kept wake-up the third poll would be due at 3.5 s and sent at 4.5 s.
        assertThat(recorder.pollMillis).containsExactly(1000L, 2500L, 3500L);
        assertThat(seen).containsExactly(PENDING, SUCCESS);
    }

    @Test
    void emissionsAreIdenticalToPerOperationPollingForTheSameScript() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            String id = "op-" + round;
            List<Runnable> steps = new ArrayList<>();
            ScriptedServiceDiscoveryClient plain = ScriptedServiceDiscoveryClient.create();
            ScriptedServiceDiscoveryClient coalesced = ScriptedServiceDiscoveryClient.create();
            for (ScriptedServiceDiscoveryClient c : List.of(plain, coalesced)) {
                c.script(id).submitted();
            }
            int length = 1 + random.nextInt(8);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(5);
                for (ScriptedServiceDiscoveryClient c : List.of(plain, coalesced)) {
                    switch (kind) {
                        case 0 -> c.script(id).submitted();
                        case 1, 2 -> c.script(id).pending();
                        case 3 -> c.script(id).throttle();
                        default -> c.script(id).serverError(503);
                    }
                }
            }
            boolean fails = random.nextBoolean();
            for (ScriptedServiceDiscoveryClient c : List.of(plain, coalesced)) {
                if (fails) {
                    c.script(id).fail("INTERNAL_FAILURE", "scripted");
                } else {
                    c.script(id).success();
                }
            }
            for (int page = 0; page < 6; page++) {
                OperationStatus shown = List.of(PENDING, SUCCESS, FAIL).get(random.nextInt(3));
                if (random.nextBoolean()) {
                    coalesced.listings().page(random.nextBoolean() ? "more" : null, summary(id, shown),
                            summary("someone-else", SUCCESS));
                } else {
                    coalesced.listings().page(random.nextBoolean() ? "more" : null);
                }
            }
            List<String> expected = run(plain, id, false);
            List<String> actual = run(coalesced, id, true);
            assertThat(actual).as("seed %d, round %d", seed, round).isEqualTo(expected);
            assertThat(actual).as("seed %d, round %d", seed, round).isNotEmpty();
        }
    }

    /** Every signal of one watch, in order: each Operation in full, then how it ended. */
    private static List<String> run(ScriptedServiceDiscoveryClient c, String id, boolean coalesced) {
        OperationWatcherBuilder builder = OperationWatcher.builder(c).jitter(0).pollBudget(RequestBudget.unlimited());
        if (coalesced) {
            builder.coalescedPolling(SWEEP);
        }
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        OperationWatcher watcher = builder.scheduler(time).build();
        List<String> signals = new CopyOnWriteArrayList<>();
        watcher.watch(id).subscribe(op -> signals.add(op.toString()),
                error -> signals.add("error " + error.getClass().getName() + ": " + error.getMessage()),
                () -> signals.add("complete"));
        time.advanceTimeBy(Duration.ofMinutes(10));
        return signals;
    }

    @Test
    void accessDeniedFallsBackToPerOperationPollingQuietlyAndForGood() {
        client.script("op-1").submitted().pending().times(4).success();
        client.listings().accessDenied();
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();

        List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        watcher.watch("op-1").map(Operation::status).subscribe(seen::add, errors::add);
        clock.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(errors).isEmpty();
        assertThat(seen).containsExactly(SUBMITTED, PENDING, SUCCESS);
        // Exactly the per-operation schedule: 0, 0.5, 1.5, 3.5, 7.5, 15.5 s.
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L);
        assertThat(client.listOperationsRequests()).hasSize(1);
        assertThat(recorder.coalescingOff).hasSize(1);
        assertThat(recorder.coalescingOff.get(0)).hasMessageContaining("not authorized");

        // A later watch of the same watcher does not try again.
        client.script("op-2").success();
        watcher.watch("op-2").subscribe(op -> { }, errors::add);
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(client.listOperationsRequests()).hasSize(1);
        assertThat(errors).isEmpty();
        assertThat(scheduler.outstandingTasks()).isZero();
    }

    @Test
    void aSweepPagesThroughEmptyPagesAndFiltersOnStatusAndUpdateDateOnly() {
        client.script("op-1").pending().times(3).success();
        client.listings()
                .page("t1")
                .page("t2")
                .page(null, summary("op-2", SUCCESS), summary("op-1", SUCCESS));
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();
        clock.advanceTimeBy(Duration.ofSeconds(100)); // the window is in epoch milliseconds of this clock

        List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        watcher.watch("op-1").map(Operation::status).subscribe(seen::add);
        // The sweep at 102 s: three pages, the third one after a wait for the ListOperations
        // budget (2 permits at once, then 2/s); the watch's own next poll would be at 103.5 s.
        clock.advanceTimeBy(Duration.ofMillis(3000));

        List<ListOperationsRequest> sweep = client.listOperationsRequests();
        assertThat(sweep).extracting(ListOperationsRequest::nextToken).containsExactly(null, "t1", "t2");
        assertThat(seen).containsExactly(PENDING, SUCCESS);
        assertThat(recorder.pollMillis).hasSize(4).startsWith(100_000L, 100_500L, 101_500L);
        assertThat(recorder.pollMillis.get(3)).isBetween(102_000L, 103_000L);
        for (ListOperationsRequest request : sweep) {
            assertThat(request.filters()).extracting(OperationFilter::name)
                    .containsExactlyInAnyOrder(OperationFilterName.STATUS, OperationFilterName.UPDATE_DATE);
            OperationFilter status = filter(request, OperationFilterName.STATUS);
            assertThat(status.condition()).isEqualTo(FilterCondition.IN);
            assertThat(status.values()).containsExactlyInAnyOrder("PENDING", "SUCCESS", "FAIL");
            OperationFilter date = filter(request, OperationFilterName.UPDATE_DATE);
            assertThat(date.condition()).isEqualTo(FilterCondition.BETWEEN);
            // From the coordinator's start minus the overlap, in epoch milliseconds.
            assertThat(date.values()).containsExactly("95000", Long.toString(102_000L + 300_000L));
            assertThat(request.overrideConfiguration()).isPresent();
        }
    }

    @Test
    void theNextWindowStartsAtThePreviousSweepMinusTheOverlap() {
        client.script("op-1").pending();
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();
        clock.advanceTimeBy(Duration.ofSeconds(100));
        Disposable watch = watcher.watch("op-1").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(4));
        watch.dispose();
        assertThat(client.listOperationsRequests()).extracting(r -> filter(r, OperationFilterName.UPDATE_DATE).values().get(0))
                .containsExactly("95000", "97000");
    }

    @Test
    void aThrottledSweepBacksOffAndWatchesKeepTheirOwnSchedule() {
        client.script("op-1").pending().times(5).success();
        client.listings().throttle().throttle().page(null, summary("op-1", SUCCESS));
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();
        watcher.watch("op-1").subscribe();

        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(client.listOperationsRequests()).hasSize(1);   // 2 s: throttled
        clock.advanceTimeBy(Duration.ofMillis(3999));
        assertThat(client.listOperationsRequests()).hasSize(1);   // next one 4 s later, not 2
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(client.listOperationsRequests()).hasSize(2);   // 6 s: throttled again
        clock.advanceTimeBy(Duration.ofMillis(7999));
        assertThat(client.listOperationsRequests()).hasSize(2);   // then 8 s later
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L, 7500L);
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(client.listOperationsRequests()).hasSize(3);   // 14 s: shows SUCCESS
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 14000L);
        clock.advanceTimeBy(SWEEP.multipliedBy(2));
        assertThat(client.listOperationsRequests()).as("back to the interval after a good sweep").hasSize(3);
    }

    @Test
    void noRequestAfterTheLastWatchEndsAndTheSweepsStopLeavingNoTimer() {
        client.script("op-1").pending().times(2).success();
        client.script("op-2").pending();
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();

        watcher.watch("op-1").subscribe();
        Disposable second = watcher.watch("op-2").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(5));     // op-1 done at 1.5 s; op-2 still waits
        assertThat(client.listOperationsRequests()).hasSize(2);
        second.dispose();                              // the last watch ends between sweeps
        int requests = client.requests().size();
        assertThat(scheduler.outstandingTasks()).as("no sweep timer left").isZero();
        clock.advanceTimeBy(Duration.ofHours(1));
        assertThat(client.requests()).hasSize(requests);

        // A new watch starts the sweeps again, and its end (completion) stops them again.
        client.script("op-3").pending().times(3).success();
        watcher.watch("op-3").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(client.listOperationsRequests()).hasSize(3);
        assertThat(scheduler.outstandingTasks()).isZero();
    }

    @Test
    void aWatchOfAnotherAccountsOperationNeedsNoSweep() {
        client.script("op-1").pending().times(4).success();
        OperationWatcher watcher = watcher().coalescedPolling(SWEEP).build();
        watcher.watch("op-1", "123456789012").subscribe();
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(client.listOperationsRequests()).isEmpty();
        assertThat(recorder.pollMillis).containsExactly(0L, 500L, 1500L, 3500L, 7500L);
    }

    @Test
    void offByDefault() {
        client.script("op-1").pending().times(4).success();
        watcher().build().watch("op-1").subscribe();
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(client.listOperationsRequests()).isEmpty();
    }

    @Test
    void aSweepIntervalOutOfRangeIsRefusedWhenSet() {
        assertThatThrownBy(() -> watcher().coalescedPolling(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sweepInterval must be between PT0.5S and PT24H, was PT0.1S");
        assertThatThrownBy(() -> watcher().coalescedPolling(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("sweepInterval");
    }

    private static OperationFilter filter(ListOperationsRequest request, OperationFilterName name) {
        return request.filters().stream().filter(f -> f.name() == name).findFirst().orElseThrow();
    }

    /** Poll times on the test's clock, and the fallbacks heard. */
    private final class Recorder implements WatchListener {
        final List<Long> pollMillis = new CopyOnWriteArrayList<>();
        final List<Throwable> coalescingOff = new CopyOnWriteArrayList<>();

        @Override
        public void onPoll(String operationId) {
            pollMillis.add(clock.now(TimeUnit.MILLISECONDS));
        }

        @Override
        public void onCoalescingOff(Throwable cause) {
            coalescingOff.add(cause);
        }
    }
}
