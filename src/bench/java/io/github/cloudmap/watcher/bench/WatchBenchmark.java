package io.github.cloudmap.watcher.bench;

import io.github.cloudmap.watcher.OperationWatcher;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * What one watch costs the caller's CPU, with the network taken out: a scripted client answers
 * at once and a virtual clock skips the waits, so what is left is the watcher's own work per
 * watch (subscription, poll loop, backoff, de-duplication, deadline).
 *
 * <p>Run: {@code mvn -q -Pbench test-compile exec:exec@bench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WatchBenchmark {

    private CyclingClient threePolls;
    private CyclingClient onePoll;
    private VirtualTimeScheduler clock;
    private OperationWatcher threePollWatcher;
    private OperationWatcher onePollWatcher;

    @Setup
    public void setUp() {
        threePolls = new CyclingClient(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS);
        onePoll = new CyclingClient(OperationStatus.SUCCESS);
        clock = VirtualTimeScheduler.create();
        threePollWatcher = OperationWatcher.builder(threePolls).scheduler(clock).build();
        onePollWatcher = OperationWatcher.builder(onePoll).scheduler(clock).build();
    }

    /** A watch that sees SUBMITTED, PENDING and SUCCESS: three polls, two backoff delays. */
    @Benchmark
    public Operation watchThreePolls() {
        threePolls.restart();
        return runToEnd(threePollWatcher);
    }

    /** A watch whose first poll is already SUCCESS: the fixed cost of a watch. */
    @Benchmark
    public Operation watchOnePoll() {
        return runToEnd(onePollWatcher);
    }

    private Operation runToEnd(OperationWatcher watcher) {
        Operation[] last = new Operation[1];
        watcher.watch("op-1").subscribe(op -> last[0] = op);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        return last[0];
    }
}
