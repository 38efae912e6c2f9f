package io.github.cloudmap.watcher.bench.scale;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The floor printed beside the results: one fair (round-robin) queue of polls served at exactly
 * the limit, with no burst and no knowledge of when an operation will finish, over the same
 * operations and durations the run used. It is the best per-operation polling can do without
 * exceeding the limit; the absolute floor is one call per operation (a caller told of each
 * finish).
 *
 * @param callsPerOperation GetOperation calls per operation the fair queue needs
 * @param lagP50Millis      its median detection lag
 * @param lagP99Millis      its 99th percentile detection lag
 */
record FloorModel(double callsPerOperation, long lagP50Millis, long lagP99Millis) {

    static FloorModel of(long[] durationsMillis, double limitRps) {
        Deque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < durationsMillis.length; i++) {
            queue.add(i);
        }
        long[] lags = new long[durationsMillis.length];
        int done = 0;
        long calls = 0;
        while (!queue.isEmpty()) {
            double t = calls * 1000.0 / limitRps;
            calls++;
            int op = queue.poll();
            if (t >= durationsMillis[op]) {
                lags[done++] = Math.round(t - durationsMillis[op]);
            } else {
                queue.add(op);
            }
        }
        Arrays.sort(lags);
        return new FloorModel((double) calls / durationsMillis.length, percentile(lags, 0.50), percentile(lags, 0.99));
    }

    /** Nearest rank; 0 for no values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
