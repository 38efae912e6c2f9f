package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The scale benchmark's back door into a running {@link CloudMapEmulator}: creates many operations
 * at once, each with its own seeded duration, without a submission call and its quota; creates a
 * finished operation history (which every ListOperations sweep pages through); sets the
 * GetOperation and ListOperations limits; and reads the request and throttle counts.
 *
 * <p>It answers a line protocol on a pair of streams ({@link #serve}), so the benchmark can run
 * the emulator in a process of its own ({@code emulator --benchmark-control}); each answer is one
 * line, {@value #PREFIX} followed by a JSON object, so it can be told apart from the banner.
 * Commands (one per line):
 * <pre>
 * limits GET_RPS GET_BURST LIST_RPS LIST_BURST   rate limits of GetOperation and ListOperations
 * history COUNT NAMESPACES SEED                  COUNT finished operations, spread over the last hour
 * create COUNT NAMESPACES SEED MIN_MS MAX_MS     COUNT operations starting now, lasting MIN..MAX ms
 *                                                (uniform, seeded): half SUBMITTED, half PENDING, then SUCCESS
 * counts                                         requests and throttles received, per action
 * reset-counts                                   sets the counts back to zero
 * clear                                          forgets every operation and sets the counts back to
 *                                                zero: a fresh account for the next run, in an emulator
 *                                                whose code is already warm
 * quit                                           ends {@link #serve}
 * </pre>
 * Operations are REGISTER_INSTANCE operations of one service per namespace; their namespaces and
 * services exist only as the operations' targets (ListOperations filters on those).
 *
 * <p>Not for tests or users: the benchmark harness only. Thread-safe: every change runs under the
 * emulator's state lock.
 */
public final class BenchmarkHook {

    /** Starts every answer line. */
    public static final String PREFIX = "benchmark ";

    private final CloudMapEmulator emulator;
    private final EmulatorState state;
    private final ObjectMapper mapper = new ObjectMapper();
    /** Namespace ID to its one service ID, created on first use and kept, so history and watches share them. */
    private final List<String[]> namespaces = new ArrayList<>();

    private BenchmarkHook(CloudMapEmulator emulator) {
        this.emulator = emulator;
        this.state = emulator.state();
    }

    /**
     * A hook into this emulator.
     *
     * @param emulator the emulator to drive
     * @return a new hook
     */
    public static BenchmarkHook of(CloudMapEmulator emulator) {
        return new BenchmarkHook(Objects.requireNonNull(emulator, "emulator"));
    }

    /**
     * Answers commands from {@code in} on {@code out} until {@code quit} or the end of input. A
     * bad command gets {@code {"error": "..."}} and the loop goes on.
     *
     * @param in where commands are read, one per line
     * @param out where answers are written
     * @throws IOException if reading or writing fails
     */
    public void serve(BufferedReader in, PrintWriter out) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            if ("quit".equals(words[0])) {
                return;
            }
            ObjectNode answer;
            try {
                answer = answer(words);
            } catch (RuntimeException e) {
                answer = mapper.createObjectNode().put("error", words[0] + ": " + e);
            }
            out.println(PREFIX + mapper.writeValueAsString(answer));
            out.flush();
        }
    }

    private ObjectNode answer(String[] w) {
        return switch (w[0]) {
            case "limits" -> limits(Double.parseDouble(w[1]), Integer.parseInt(w[2]), Double.parseDouble(w[3]),
                    Integer.parseInt(w[4]));
            case "history" -> history(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Long.parseLong(w[3]));
            case "create" -> create(Integer.parseInt(w[1]), Integer.parseInt(w[2]), Long.parseLong(w[3]),
                    Long.parseLong(w[4]), Long.parseLong(w[5]));
            case "counts" -> counts();
            case "clear" -> {
                state.locked(() -> {
                    state.operations.clear();
                    return null;
                });
                emulator.counters().reset();
                yield counts();
            }
            case "reset-counts" -> {
                emulator.counters().reset();
                yield counts();
            }
            default -> throw new IllegalArgumentException("unknown command '" + w[0]
                    + "'; use limits, history, create, counts, reset-counts, clear or quit");
        };
    }

    /** Token buckets that start full; replaces any earlier limit of the two actions. */
    ObjectNode limits(double getRps, int getBurst, double listRps, int listBurst) {
        emulator.faults().rateLimit("GetOperation", getRps, getBurst).rateLimit("ListOperations", listRps, listBurst);
        return mapper.createObjectNode().put("GetOperation", getRps).put("GetOperationBurst", getBurst)
                .put("ListOperations", listRps).put("ListOperationsBurst", listBurst);
    }

    /** {@code count} operations that finished within the last hour, oldest first. */
    ObjectNode history(int count, int namespaceCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        state.locked(() -> {
            ensureNamespaces(namespaceCount);
            Instant now = state.clock.instant();
            for (int i = 0; i < count; i++) {
                Instant finish = now.minus(Duration.ofHours(1)).plusMillis(3_600_000L * i / Math.max(1, count));
                Instant create = finish.minusMillis(random.nextLong(2_000, 20_001));
                String[] ns = namespaces.get(i % namespaceCount);
                state.submitScheduled(OperationType.REGISTER_INSTANCE, targets(ns, "history-" + i), create,
                        create.plus(Duration.between(create, finish).dividedBy(2)), finish);
            }
            return null;
        });
        return mapper.createObjectNode().put("history", count).put("operations", operationCount());
    }

    /** {@code count} operations starting now, round-robin over the namespaces. */
    ObjectNode create(int count, int namespaceCount, long seed, long minMillis, long maxMillis) {
        if (count < 1 || namespaceCount < 1 || minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need count >= 1, namespaces >= 1 and 0 <= MIN_MS <= MAX_MS");
        }
        SplittableRandom random = new SplittableRandom(seed);
        ObjectNode out = mapper.createObjectNode();
        ArrayNode ops = out.putArray("operations");
        state.locked(() -> {
            ensureNamespaces(namespaceCount);
            Instant now = state.clock.instant();
            for (int i = 0; i < count; i++) {
                long millis = random.nextLong(minMillis, maxMillis + 1);
                String[] ns = namespaces.get(i % namespaceCount);
                OperationEntry op = state.submitScheduled(OperationType.REGISTER_INSTANCE, targets(ns, "watch-" + i),
                        now, now.plusMillis(millis / 2), now.plusMillis(millis));
                ops.addArray().add(op.id).add(ns[0]).add(op.finishAt.toEpochMilli());
            }
            // The instant every operation starts: finish minus this is each one's seeded duration.
            out.put("createdAtMillis", now.toEpochMilli());
            return null;
        });
        return out;
    }

    ObjectNode counts() {
        ObjectNode out = mapper.createObjectNode();
        for (String action : List.of("GetOperation", "ListOperations")) {
            out.put(action, emulator.counters().count(action));
            out.put(action + "Throttled", emulator.counters().throttled(action));
        }
        out.put("total", emulator.counters().total());
        out.put("atMillis", System.currentTimeMillis());
        return out;
    }

    private int operationCount() {
        return state.locked(state.operations::size);
    }

    private void ensureNamespaces(int count) {
        while (namespaces.size() < count) {
            namespaces.add(new String[] {state.newNamespaceId(), state.newServiceId()});
        }
    }

    private static Map<String, String> targets(String[] namespace, String instanceId) {
        return Map.of("NAMESPACE", namespace[0], "SERVICE", namespace[1], "INSTANCE", instanceId);
    }
}
