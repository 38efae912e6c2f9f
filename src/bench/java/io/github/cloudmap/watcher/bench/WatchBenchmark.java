package io.github.cloudmap.watcher.bench;

import io.github.cloudmap.watcher.OperationWatcher;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * <p>The one-poll watch is measured three ways in one run: with no {@code ObservationRegistry}
 * (the default), with a no-op one (a registry without handlers) and with a registry that has one
 * handler (observations are then made, started and stopped for the watch and its poll). Besides
 * JMH's time per watch, each benchmark reports the benchmark thread's own CPU time
 * ({@code cpuNanos}) and the watches it ran ({@code watches}), summed over the measurement
 * iterations: their ratio is the CPU per watch, which a busy machine does not inflate as it does
 * the wall time.
 *
 * <p>Run: {@code mvn -q -Pbench test-compile exec:exec@bench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WatchBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CyclingClient threePolls;
    private CyclingClient onePoll;
    private VirtualTimeScheduler clock;
    private OperationWatcher threePollWatcher;
    private OperationWatcher onePollWatcher;
    private OperationWatcher noopRegistryWatcher;
    private OperationWatcher handledRegistryWatcher;

    /** The benchmark thread's CPU time and the watches it ran, per iteration (JMH sums them). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long cpuNanos;
        public long watches;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            watches = 0;
        }
    }

    @Setup
    public void setUp() {
        threePolls = new CyclingClient(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS);
        onePoll = new CyclingClient(OperationStatus.SUCCESS);
        clock = VirtualTimeScheduler.create();
        threePollWatcher = OperationWatcher.builder(threePolls).scheduler(clock).build();
        onePollWatcher = OperationWatcher.builder(onePoll).scheduler(clock).build();
        noopRegistryWatcher = OperationWatcher.builder(onePoll).scheduler(clock)
                .observationRegistry(ObservationRegistry.create()).build();
        ObservationRegistry handled = ObservationRegistry.create();
        handled.observationConfig().observationHandler(new CountingHandler());
        handledRegistryWatcher = OperationWatcher.builder(onePoll).scheduler(clock).observationRegistry(handled).build();
    }

    /** A watch that sees SUBMITTED, PENDING and SUCCESS: three polls, two backoff delays. */
    @Benchmark
    public Operation watchThreePolls() {
        threePolls.restart();
        return runToEnd(threePollWatcher);
    }

    /** A watch whose first poll is already SUCCESS: the fixed cost of a watch, no registry. */
    @Benchmark
    public Operation watchOnePoll(Cpu cpu) {
        return timed(onePollWatcher, cpu);
    }

    /** The same with a registry that has no handler: Micrometer's no-op observations. */
    @Benchmark
    public Operation watchOnePollNoopRegistry(Cpu cpu) {
        return timed(noopRegistryWatcher, cpu);
    }

    /** The same with a registry and one handler: a watch and a poll observation are recorded. */
    @Benchmark
    public Operation watchOnePollObserved(Cpu cpu) {
        return timed(handledRegistryWatcher, cpu);
    }

    /** The CPU of the three one-poll variants, each run once per invocation, summed per variant. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuByVariant {
        public long noRegistryNanos;
        public long noopRegistryNanos;
        public long observedNanos;
        public long rounds;

        @Setup(Level.Iteration)
        public void reset() {
            noRegistryNanos = 0;
            noopRegistryNanos = 0;
            observedNanos = 0;
            rounds = 0;
        }
    }

    /**
     * The three one-poll variants interleaved in one method, so that on a busy machine the same
     * load, the same JIT state and the same time slices fall on each: compare their CPU counters
     * (divide each by {@code rounds}). The separate benchmarks above keep a clean profile each.
     */
    @Benchmark
    public Operation watchOnePollInterleaved(CpuByVariant cpu) {
        long t0 = THREADS.getCurrentThreadCpuTime();
        runToEnd(onePollWatcher);
        long t1 = THREADS.getCurrentThreadCpuTime();
        runToEnd(noopRegistryWatcher);
        long t2 = THREADS.getCurrentThreadCpuTime();
        Operation last = runToEnd(handledRegistryWatcher);
        long t3 = THREADS.getCurrentThreadCpuTime();
        cpu.noRegistryNanos += t1 - t0;
        cpu.noopRegistryNanos += t2 - t1;
        cpu.observedNanos += t3 - t2;
        cpu.rounds++;
        return last;
    }

    private Operation timed(OperationWatcher watcher, Cpu cpu) {
        long before = THREADS.getCurrentThreadCpuTime();
        Operation last = runToEnd(watcher);
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - before;
        cpu.watches++;
        return last;
    }

    private Operation runToEnd(OperationWatcher watcher) {
        Operation[] last = new Operation[1];
        watcher.watch("op-1").subscribe(op -> last[0] = op);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        return last[0];
    }

    /** The cheapest real handler: counts stopped observations. */
    static final class CountingHandler implements ObservationHandler<Observation.Context> {
        final LongAdder stopped = new LongAdder();

        @Override
        public void onStop(Observation.Context context) {
            stopped.increment();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
