package io.github.cloudmap.watcher.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The scale benchmark of issue 7: N operations of 2 to 20 s (seeded), created at once in an
 * emulator running in a process of its own behind token buckets (GetOperation at the chosen limit,
 * burst twice that; ListOperations assumed 10/s, burst 20), waited for by each contender in turn,
 * with calls and throttles counted by the emulator. One emulator process per session, warmed up
 * once, cleared before each run (a fresh account: no operations, zero counts, full buckets).
 *
 * <p>Run: {@code mvn -B -Pbench verify -DskipTests -Dbench.operations=1000}; system properties:
 * {@code bench.operations} (1000), {@code bench.limits} (100; comma-separated GetOperation limits),
 * {@code bench.contenders} (all, comma-separated), {@code bench.history} (0; finished operations
 * already in the account, comma-separated), {@code bench.listLimit} (10), {@code bench.seed} (42),
 * {@code bench.bound} (seconds each contender waits at most; default max(180, 4 N / limit)),
 * {@code bench.namespaces} (ceil(N / 2000), at least 1: Cloud Map allows 2,000 instances per
 * namespace), {@code bench.append} (false: true keeps the runs already in scale.json and replaces
 * those run again), {@code bench.out} (target/bench), {@code bench.processes} (1: over how many child
 * JVMs {@code watcher-split} and {@code watcher-fleet} split the operations; those two run only when
 * named), {@code bench.fleetMaxRate} (the limit: {@code watcher-fleet}'s RedisBudget ceiling, or
 * {@code default}), {@code bench.operationsPerRps} (0: off; k above 0 makes N scale with the limit,
 * N = max({@code bench.operationsMin}, round(k x limit)), overriding {@code bench.operations}, so that
 * a sweep over limits from 0.5/s to 200/s gives each run about the same length), {@code bench.operationsMin} (50).
 *
 * <p>Writes {@code scale.json}, {@code scale.md} and {@code scale.png} after every run, so a long
 * session that is cut short keeps what it measured.
 */
public final class ScaleBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int operations = Integer.getInteger("bench.operations", 1000);
        List<Double> limits = doubles(System.getProperty("bench.limits", "100"));
        List<String> contenders = names(System.getProperty("bench.contenders", "all"));
        List<Double> histories = doubles(System.getProperty("bench.history", "0"));
        double listLimit = Double.parseDouble(System.getProperty("bench.listLimit", "10"));
        long seed = Long.getLong("bench.seed", 42L);
        Path out = Path.of(System.getProperty("bench.out", "target/bench"));
        Files.createDirectories(out);
        Path json = out.resolve("scale.json");
        ArrayNode runs = Boolean.getBoolean("bench.append") && Files.exists(json)
                ? (ArrayNode) MAPPER.readTree(json.toFile()).get("runs") : MAPPER.createArrayNode();

        if (Boolean.getBoolean("bench.reportOnly")) {
            ScaleReport.write(out, runs); // redraws scale.md and scale.png from scale.json (with bench.append)
            return;
        }
        System.out.printf("Scale benchmark: %s operations of 2-20 s (seed %d), %d process(es) for the split contenders; GetOperation limits %s/s"
                + " (burst 2x); ListOperations ASSUMED %s/s, burst %d (not published by AWS); contenders %s%n",
                OPERATIONS_PER_RPS > 0 ? String.format("max(%d, %s x limit)", OPERATIONS_MIN, fmt(OPERATIONS_PER_RPS))
                        : String.format("%,d", operations),
                seed, Integer.getInteger("bench.processes", 1), limits, fmt(listLimit), (int) (2 * listLimit), contenders);
        // One emulator process for the whole session, warmed up once and cleared before each run
        // (operations forgotten, counts reset, buckets full again): on a busy machine a cold
        // emulator would be the bottleneck of whichever contender ran first.
        try (EmulatorProcess emulator = EmulatorProcess.start(seed)) {
            warmUp(emulator);
            runAll(emulator, contenders, limits, histories, listLimit, operations, seed, runs, out);
        }
        System.out.println("Wrote " + json.toAbsolutePath() + ", scale.md and scale.png");
    }

    private static void runAll(EmulatorProcess emulator, List<String> contenders, List<Double> limits,
                               List<Double> histories, double listLimit, int fixedOperations, long seed,
                               ArrayNode runs, Path out) throws Exception {
        for (double limit : limits) {
            int operations = operationsAt(limit, fixedOperations);
            int namespaces = Integer.getInteger("bench.namespaces", Math.max(1, (int) Math.ceil(operations / 2000.0)));
            for (double history : histories) {
                for (String contender : contenders) {
                    long boundSeconds = Long.getLong("bench.bound", 0L); // 0: the default below
                    Duration bound = Duration.ofSeconds(boundSeconds > 0 ? boundSeconds
                            : Math.max(180, (long) Math.ceil(4.0 * operations / limit)));
                    ObjectNode run = run(emulator, contender, limit, listLimit, operations, (int) history, namespaces,
                            seed, bound);
                    replace(runs, run);
                    System.out.println(ScaleReport.summaryLine(run));
                    ScaleReport.write(out, runs);
                }
            }
        }
    }

    /** k in N = max(min, k x limit); 0 keeps N at {@code bench.operations} for every limit. */
    private static final double OPERATIONS_PER_RPS = Double.parseDouble(System.getProperty("bench.operationsPerRps", "0"));
    private static final int OPERATIONS_MIN = Integer.getInteger("bench.operationsMin", 50);

    /**
     * N for one limit: fixed, or scaled with the limit so that a run at 0.5/s and one at 200/s
     * both last about k seconds of polling at the limit (plus the operations' 2 to 20 s).
     */
    static int operationsAt(double limit, int fixedOperations) {
        return OPERATIONS_PER_RPS > 0 ? Math.max(OPERATIONS_MIN, (int) Math.round(OPERATIONS_PER_RPS * limit))
                : fixedOperations;
    }

    /** Seconds from the operations' creation after which the throttled share is counted again. */
    static final long SETTLED_AFTER_MILLIS = 30_000;

    private static ObjectNode run(EmulatorProcess emulator, String contender, double limit, double listLimit,
                                  int operations, int history, int namespaces, long seed, Duration bound)
            throws Exception {
        {
            emulator.command("clear");
            // Set anew for every run, so both buckets start full.
            emulator.command("limits " + limit + " " + (int) (2 * limit) + " " + listLimit + " " + (int) (2 * listLimit));
            if (history > 0) {
                emulator.command("history " + history + " " + namespaces + " " + (seed + 1));
            }
            RunSettings settings = new RunSettings(emulator.endpoint(), limit, listLimit, bound,
                    Integer.getInteger("bench.processes", 1));
            Contender waiting = Contenders.create(contender, settings);
            // Once more, after the contender is built: the child JVMs of watcher-split and
            // watcher-fleet warm their clients up against the emulator, so the buckets start full
            // for them too (the counts are reset after the operations are created).
            emulator.command("limits " + limit + " " + (int) (2 * limit) + " " + listLimit + " " + (int) (2 * listLimit));
            long heapBefore = settledHeap();
            THREADS.resetPeakThreadCount();
            AtomicLong heapPeak = new AtomicLong(MEMORY.getHeapMemoryUsage().getUsed());
            long cpuBefore = cpuNanos();

            JsonNode created = emulator.command("create " + operations + " " + namespaces + " " + seed + " 2000 20000");
            long createdAt = created.get("createdAtMillis").asLong();
            List<PendingOperation> pending = new ArrayList<>(operations);
            long[] durations = new long[operations];
            int i = 0;
            for (JsonNode op : created.get("operations")) {
                pending.add(new PendingOperation(op.get(0).asText(), op.get(1).asText(), op.get(2).asLong()));
                durations[i++] = op.get(2).asLong() - createdAt;
            }
            emulator.command("reset-counts");

            Observations observations = new Observations(operations);
            List<long[]> samples = new ArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scale-sampler");
                t.setDaemon(true);
                return t;
            });
            long start = System.currentTimeMillis();
            sampler.scheduleAtFixedRate(() -> heapPeak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max),
                    100, 100, TimeUnit.MILLISECONDS);
            // The machine is shared: the load during the run says how far to trust its times.
            double[] loadPeak = {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()};
            sampler.scheduleAtFixedRate(() -> loadPeak[0] = Math.max(loadPeak[0],
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()), 5, 5, TimeUnit.SECONDS);
            sampler.scheduleAtFixedRate(() -> sample(emulator, samples, start), 1000, 1000, TimeUnit.MILLISECONDS);
            long[] heapPerWatch = {-1};
            // Once every watch is waiting and none has finished (the first finishes at 2 s): the
            // heap the waiting watches hold, clients included.
            sampler.schedule(() -> heapPerWatch[0] = (settledHeapQuick() - heapBefore) / operations,
                    1200, TimeUnit.MILLISECONDS);

            waiting.start(pending, observations, start + bound.toMillis());
            boolean allEnded = observations.await(bound.toMillis() + 10_000);
            long end = allEnded ? observations.lastEndMillis() : System.currentTimeMillis();
            observations.freeze(pending.stream().map(PendingOperation::id).toList());
            long cpu = cpuNanos() - cpuBefore;
            int threadsPeak = THREADS.getPeakThreadCount();
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            sample(emulator, samples, start);
            JsonNode counts = emulator.command("counts");
            waiting.close();

            FloorModel floor = FloorModel.of(durations, limit);
            long[] lags = observations.sortedLags();
            ObjectNode run = MAPPER.createObjectNode();
            int get = counts.get("GetOperation").asInt();
            int list = counts.get("ListOperations").asInt();
            int throttled = counts.get("GetOperationThrottled").asInt() + counts.get("ListOperationsThrottled").asInt();
            run.put("contender", contender);
            run.put("limit_rps", limit);
            run.put("operations", operations);
            run.put("api_calls", get + list);
            run.put("throttled_responses", throttled);
            run.put("surfaced_errors", observations.errors());
            run.put("terminal_observed", observations.terminalObserved());
            run.put("lag_p50_ms", FloorModel.percentile(lags, 0.50));
            run.put("lag_p99_ms", FloorModel.percentile(lags, 0.99));
            run.put("lag_max_ms", lags.length == 0 ? 0 : lags[lags.length - 1]);
            run.put("wall_ms", end - start);
            run.put("cpu_ms", cpu / 1_000_000);
            run.put("heap_peak_mb", Math.round(Math.max(0, heapPeak.get() - heapBefore) / 1048576.0 * 10) / 10.0);
            run.put("threads_peak", threadsPeak);
            // Beyond the keys: what the table and the chart need.
            run.put("history_operations", history);
            run.put("namespaces", namespaces);
            run.put("list_limit_rps", listLimit);
            run.put("bound_s", bound.toSeconds());
            run.put("get_operation_calls", get);
            run.put("list_operations_calls", list);
            run.put("calls_per_operation", round2((double) (get + list) / operations));
            run.put("throttled_share", get + list == 0 ? 0 : round2(100.0 * throttled / (get + list)) / 100);
            run.put("terminal_duplicates", observations.duplicates());
            run.put("timed_out", observations.timedOut());
            run.put("heap_per_watch_bytes", heapPerWatch[0]);
            run.put("floor_calls_per_operation", round2(floor.callsPerOperation()));
            run.put("floor_lag_p50_ms", floor.lagP50Millis());
            run.put("floor_lag_p99_ms", floor.lagP99Millis());
            run.put("seed", seed);
            run.put("load_average_peak", round2(loadPeak[0]));
            run.put("cores", Runtime.getRuntime().availableProcessors());
            ArrayNode percentiles = run.putArray("lag_percentiles_ms");
            for (int p = 0; p <= 100; p++) {
                percentiles.add(FloorModel.percentile(lags, p / 100.0));
            }
            ArrayNode perSecond = run.putArray("calls_per_second");
            ArrayNode throttledPerSecond = run.putArray("throttled_per_second");
            long[] previous = {0, 0};
            for (long[] s : samples) {
                perSecond.add(s[1] - previous[0]);
                throttledPerSecond.add(s[2] - previous[1]);
                previous = new long[] {s[1], s[2]};
            }
            afterSettling(run, samples);
            ObjectNode described = MAPPER.createObjectNode(); // what the contender adds, after it closed
            described.put("cpu_ms", run.get("cpu_ms").asLong());
            waiting.describe(described);
            run.setAll(described);
            observations.errorSamples().forEach(e -> System.out.println("  error sample: " + e));
            return run;
        }
    }

    /**
     * JIT-warms the fresh emulator process (and the SDK in this JVM) before the clock starts, with
     * no limits set yet: on a shared, busy machine a cold emulator answers a few dozen requests a
     * second and would be the bottleneck of the first contenders. The counts are reset after.
     */
    private static void warmUp(EmulatorProcess emulator) {
        long start = System.nanoTime();
        try (ServiceDiscoveryAsyncClient client = Clients.noRetries(emulator.endpoint())) {
            for (int batch = 0; batch < WARM_UP_BATCHES; batch++) {
                List<java.util.concurrent.CompletableFuture<?>> calls = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    calls.add(client.getOperation(r -> r.operationId("warm-up")).handle((r, e) -> null));
                }
                calls.add(client.listOperations(r -> r.maxResults(100)).handle((r, e) -> null));
                java.util.concurrent.CompletableFuture.allOf(calls.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                        .join();
            }
        }
        System.out.printf("  (emulator warm-up: %,d requests in %.1f s)%n", WARM_UP_BATCHES * 51,
                (System.nanoTime() - start) / 1e9);
    }

    private static final int WARM_UP_BATCHES = Integer.getInteger("bench.warmUpBatches", 60);

    private static void sample(EmulatorProcess emulator, List<long[]> samples, long start) {
        try {
            JsonNode c = emulator.command("counts");
            long calls = c.get("GetOperation").asLong() + c.get("ListOperations").asLong();
            long throttled = c.get("GetOperationThrottled").asLong() + c.get("ListOperationsThrottled").asLong();
            synchronized (samples) {
                samples.add(new long[] {System.currentTimeMillis() - start, calls, throttled});
            }
        } catch (IOException e) {
            // The run is ending: the last sample is taken after it.
        }
    }

    /**
     * The calls and throttles after the first 30 s: the counts at the end minus those of the last
     * per-second sample taken at or before 30 s (0 when the run ended before). The start, while an
     * adaptive budget searches for the limit, is left out; what remains is how it holds the limit.
     */
    static void afterSettling(ObjectNode run, List<long[]> samples) {
        long[] base = {0, 0, 0};
        long[] last = {0, 0, 0};
        for (long[] s : samples) {
            if (s[0] <= SETTLED_AFTER_MILLIS) {
                base = s;
            }
            last = s;
        }
        long calls = last[0] > SETTLED_AFTER_MILLIS ? last[1] - base[1] : 0;
        long throttled = last[0] > SETTLED_AFTER_MILLIS ? last[2] - base[2] : 0;
        run.put("calls_after_30s", calls);
        run.put("throttled_after_30s", throttled);
        run.put("throttled_share_after_30s", calls == 0 ? 0 : round2(10_000.0 * throttled / calls) / 10_000);
    }

    private static void replace(ArrayNode runs, ObjectNode run) {
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            if (r.get("contender").asText().equals(run.get("contender").asText())
                    && r.get("limit_rps").asDouble() == run.get("limit_rps").asDouble()
                    && r.get("operations").asInt() == run.get("operations").asInt()
                    && r.path("history_operations").asInt() == run.get("history_operations").asInt()
                    && r.path("processes").asInt(1) == run.path("processes").asInt(1)) {
                runs.set(i, run);
                return;
            }
        }
        runs.add(run);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // a harness, not a test: let the collector finish
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long settledHeapQuick() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static List<Double> doubles(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Double::parseDouble).toList();
    }

    private static List<String> names(String csv) {
        if ("all".equals(csv.trim())) {
            return Contenders.ALL;
        }
        List<String> names = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        names.stream().filter(n -> !Contenders.KNOWN.contains(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException("unknown contender '" + n + "'; choose from " + Contenders.KNOWN);
        });
        return names;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
