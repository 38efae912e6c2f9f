package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Probes for the intermittent "loops left: 1" of {@link LoopRegistryConcurrencyTest}.
 *
 * <p>The stress test counts a watch's end in its completion handler and, for a watch it cancels,
 * once more right after {@code dispose()}. A watch that completes before it is cancelled (a late
 * joiner of a loop that is about to end, or of one that already ended) is counted twice, so the
 * latch reaches zero while other watches still run; the test then disposes the responder
 * scheduler under a running loop, whose next status is dropped (or rejected: "Scheduler
 * unavailable"), so that loop never ends and its watch never leaves.
 */
class LoopRepeatProbeTest {

    /** Deterministic: a watch that ends before it is disposed is counted twice by the old tally. */
    @Test
    void aWatchThatEndsBeforeItIsDisposedIsCountedTwiceByTheStressTestsTally() {
        LoopRegistry registry = new LoopRegistry((id, owner) ->
                Flux.just(Operation.builder().id(id).status(OperationStatus.SUCCESS).build()));
        CountDownLatch kept = new CountDownLatch(2); // two watches in the stress test's terms
        // The stress test's tally for one watch, verbatim: count on the end, count again on dispose.
        Disposable watch = registry.statuses("op-1", null).subscribe(o -> { }, e -> kept.countDown(),
                kept::countDown);
        watch.dispose();
        kept.countDown();
        assertThat(registry.size()).as("the ended loop removed itself").isZero();
        assertThat(kept.getCount()).as("one watch used up both counts").isZero();
    }

    /**
     * The registry's candidate leaks, probed one by one (they pass on the unchanged registry): a
     * watch cancelled at once, a loop that ends while a second watch is on it, and a late joiner
     * after the end, which starts a new loop and gets its terminal status.
     */
    @Test
    void noCandidateInterleavingLeavesALoop() {
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        Sinks.Many<Operation> source = Sinks.many().unicast().onBackpressureBuffer();
        LoopRegistry registry = new LoopRegistry((id, owner) -> {
            int loop = started.incrementAndGet();
            return loop == 1 ? Flux.never() // only the leave can remove this one
                    : loop == 2 ? source.asFlux()
                    : Flux.just(Operation.builder().id(id).status(OperationStatus.SUCCESS).build());
        });
        // Cancelled at once, on a loop that never ends by itself (loop 1): the leave removes it.
        registry.statuses("op-1", null).subscribe().dispose();
        assertThat(registry.size()).as("after a watch cancelled at once").isZero();
        // Two watches on a loop (loop 2) whose source ends later: both get the end, nothing stays.
        List<Object> first = new CopyOnWriteArrayList<>();
        List<Object> second = new CopyOnWriteArrayList<>();
        registry.statuses("op-1", null).subscribe(first::add, first::add, () -> first.add("done"));
        registry.statuses("op-1", null).subscribe(second::add, second::add, () -> second.add("done"));
        assertThat(registry.size()).as("one shared loop while it runs").isEqualTo(1);
        source.tryEmitNext(Operation.builder().id("op-1").status(OperationStatus.SUCCESS).build());
        source.tryEmitComplete();
        assertThat(registry.size()).as("after the loop ended").isZero();
        assertThat(first).hasSize(2).last().isEqualTo("done");
        assertThat(second).hasSize(2).last().isEqualTo("done");
        // A late joiner starts a new loop (loop 3) and gets its terminal status.
        List<Object> late = new CopyOnWriteArrayList<>();
        registry.statuses("op-1", null).subscribe(late::add, late::add, () -> late.add("done"));
        assertThat(started).hasValue(3);
        assertThat(late).hasSize(2).last().isEqualTo("done");
        assertThat(registry.size()).as("after the late joiner's loop ended").isZero();
    }

    /** Repeats the stress test in this JVM: {@code -Dprobe.reps=40}. */
    @Test
    @EnabledIfSystemProperty(named = "probe.reps", matches = "\\d+")
    void repeatTheStressTest() throws Exception {
        int reps = Integer.getInteger("probe.reps");
        int failed = 0;
        for (int i = 0; i < reps; i++) {
            try {
                new LoopRegistryConcurrencyTest()
                        .joinsAndLeavesRacingWithEmissionsFromSeveralThreadsLoseNothingAndLeaveNoLoop();
            } catch (Throwable e) {
                failed++;
                String message = String.valueOf(e.getMessage()).replace('\n', ' ');
                System.out.println("REPEAT FAIL " + i + ": " + message.substring(0, Math.min(200, message.length())));
            }
        }
        System.out.println("REPEAT RESULT failed " + failed + " of " + reps);
        assertThat(failed).as("failed repeats").isZero();
    }
}
