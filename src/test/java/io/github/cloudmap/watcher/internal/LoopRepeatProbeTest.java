package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
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
