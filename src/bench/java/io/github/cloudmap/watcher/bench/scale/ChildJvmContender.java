package io.github.cloudmap.watcher.bench.scale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code watcher-fleet} and {@code watcher-split}: the N operations dealt round-robin over
 * {@code bench.processes} child JVMs ({@link FleetChild}, on this JVM's class path), each running
 * the {@code watcher} contender's setup; {@code watcher-fleet}'s share one {@code RedisBudget} in a
 * redis-server started for the run and stopped after it, {@code watcher-split}'s each keep the
 * default local budget, as P pods that each believe they own the account's quota.
 *
 * <p>The children are started, built and JIT-warmed before the run's operations exist and before
 * the harness sets the emulator's limits and counts anew, so neither their start-up nor their
 * warm-up calls count; every terminal element they see is reported back with the time they saw it,
 * so the lag is measured as for the in-process contenders. Calls and throttles are the emulator's.
 *
 * <p>Not thread-safe: the harness drives it; the children's readers report to the thread-safe
 * {@link Observations}.
 */
final class ChildJvmContender implements Contender {

    private final List<Child> children = new ArrayList<>();
    private final RedisProcess redis;
    private final String maxRate;
    private volatile Observations observations;
    private final AtomicLong childCpuMs = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private long redisCommands = -1;

    /**
     * @param fleet     one {@code RedisBudget} for all (true) or a local budget each
     * @param maxRate   the fleet budget's ceiling in requests/s, or {@code default}
     */
    ChildJvmContender(RunSettings run, int processes, boolean fleet, String maxRate) throws IOException {
        this.maxRate = fleet ? maxRate : "-";
        this.redis = fleet ? RedisProcess.start() : null;
        try {
            for (int i = 0; i < processes; i++) {
                children.add(new Child(run, fleet ? redis.uri() : "local", maxRate, i));
            }
            for (Child child : children) {
                child.awaitReady();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        this.observations = observations;
        for (int i = 0; i < operations.size(); i++) {
            children.get(i % children.size()).in.println("op " + operations.get(i).id());
        }
        children.forEach(c -> c.in.println("go"));
    }

    @Override
    public void describe(ObjectNode run) {
        run.put("processes", children.size());
        run.put("budget", redis != null ? "one RedisBudget (maxRate " + maxRate + ")" : "local adaptive, one per process");
        run.put("children_cpu_ms", childCpuMs.get());
        // The work is the children's: their CPU (start-up and warm-up included) joins the harness's,
        // and a heap per watch measured in the harness would mean nothing.
        run.put("cpu_ms", run.path("cpu_ms").asLong() + childCpuMs.get());
        run.put("heap_per_watch_bytes", -1);
        if (redis != null) {
            run.put("redis_fallbacks", fallbacks.get());
            run.put("redis_commands", redisCommands);
        }
    }

    @Override
    public void close() {
        children.forEach(Child::quit);
        children.forEach(Child::await);
        if (redis != null) {
            redisCommands = redis.commandsProcessed();
            redis.close();
        }
    }

    /** One child JVM and the thread that reads what it reports. */
    private final class Child {

        private final Process process;
        private final PrintWriter in;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch ended = new CountDownLatch(1);

        Child(RunSettings run, String budget, String maxRate, int index) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            process = new ProcessBuilder(List.of(java, "-Xmx512m", "-XX:+UseParallelGC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), FleetChild.class.getName(),
                    run.endpoint().toString(), Long.toString(run.bound().toSeconds()), budget, maxRate))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "fleet-child-" + index);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(FleetChild.PREFIX)) {
                        handle(line.substring(FleetChild.PREFIX.length()).split(" ", 4));
                    }
                }
            } catch (IOException e) {
                // the child ended: its exit is awaited in close()
            } finally {
                ready.countDown();
                ended.countDown();
            }
        }

        private void handle(String[] w) {
            switch (w[0]) {
                case "ready" -> ready.countDown();
                case "saw" -> observations.sawTerminal(w[1], Long.parseLong(w[2]), Long.parseLong(w[3]));
                case "timeout" -> observations.timedOut(w[1]);
                case "error" -> observations.error(w[1], new RuntimeException(
                        String.join(" ", java.util.Arrays.copyOfRange(w, Math.min(2, w.length), w.length))));
                case "end" -> {
                    childCpuMs.addAndGet(Long.parseLong(w[1]));
                    fallbacks.addAndGet(Long.parseLong(w[2]));
                }
                default -> { }
            }
        }

        void awaitReady() throws IOException {
            try {
                // Polled each second, so a child that died at start-up fails the run at once.
                for (int waited = 0; !ready.await(1, TimeUnit.SECONDS); waited++) {
                    if (!process.isAlive() || waited >= 180) {
                        throw new IOException("a fleet child JVM did not start within 180 s (alive: "
                                + process.isAlive() + "; its error is printed above)");
                    }
                }
                if (!process.isAlive()) {
                    throw new IOException("a fleet child JVM exited after it was ready");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the fleet's JVMs", e);
            }
        }

        void quit() {
            in.println("quit");
            in.close();
        }

        void await() {
            try {
                ended.await(30, TimeUnit.SECONDS);
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
