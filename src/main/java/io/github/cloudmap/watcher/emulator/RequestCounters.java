package io.github.cloudmap.watcher.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live counts of the requests a {@link CloudMapEmulator} received, for assertions in tests.
 *
 * <p>Thread-safe. Every POST whose {@code X-Amz-Target} names an operation of the Cloud Map model
 * is counted once when it arrives, before faults are applied: throttled, hung and reset requests
 * count, and so do requests refused as too large and operations the emulator does not implement.
 * Requests with a missing or unknown target, and non-POST requests, are not counted. The arrival
 * order keeps the last {@value #MAX_HISTORY} actions.
 *
 * <pre>{@code
 * assertThat(emulator.counters().count("GetOperation")).isEqualTo(3);
 * assertThat(emulator.counters().getOperationCount(operationId)).isEqualTo(3);
 * }</pre>
 */
public final class RequestCounters {

    static final int MAX_HISTORY = 10_000;

    private final ConcurrentHashMap<String, AtomicInteger> byAction = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> byOperationId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> throttledByAction = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, String> lastUserAgent = new ConcurrentHashMap<>();
    private final Deque<String> history = new ArrayDeque<>();

    RequestCounters() {
    }

    /**
     * Requests received for {@code action}, such as {@code "GetOperation"}.
     *
     * @param action the action's name
     * @return the count
     */
    public int count(String action) {
        AtomicInteger n = byAction.get(action);
        return n == null ? 0 : n.get();
    }

    /**
     * GetOperation requests received for this operation ID.
     *
     * @param operationId the operation's ID
     * @return the count
     */
    public int getOperationCount(String operationId) {
        AtomicInteger n = byOperationId.get(operationId);
        return n == null ? 0 : n.get();
    }

    /**
     * Requests of {@code action} that the fault plan answered with a throttling error (a rate
     * limit, {@code throttleNext} or a throttle probability), for benchmarks that count throttles
     * where they happen rather than where a client notices them.
     *
     * @param action the action's name
     * @return the count
     */
    public int throttled(String action) {
        AtomicInteger n = throttledByAction.get(action);
        return n == null ? 0 : n.get();
    }

    /**
     * The {@code User-Agent} of the last request received for {@code action}, or null: shows
     * which library sent it (the SDK adds each {@code ApiName} a request carries).
     *
     * @param action the action's name
     * @return the User-Agent, or null
     */
    public String lastUserAgent(String action) {
        return lastUserAgent.get(action);
    }

    /** {@return all requests received} */
    public int total() {
        return total.get();
    }

    /** {@return actions in arrival order (the last {@value #MAX_HISTORY}), as a snapshot} */
    public List<String> actions() {
        synchronized (history) {
            return List.copyOf(new ArrayList<>(history));
        }
    }

    /** Sets every count back to zero. */
    public void reset() {
        synchronized (history) {
            byAction.clear();
            byOperationId.clear();
            throttledByAction.clear();
            lastUserAgent.clear();
            total.set(0);
            history.clear();
        }
    }

    void userAgent(String action, String userAgent) {
        if (userAgent != null) {
            lastUserAgent.put(action, userAgent);
        }
    }

    void record(String action, String getOperationId) {
        synchronized (history) {
            byAction.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
            if (getOperationId != null) {
                byOperationId.computeIfAbsent(getOperationId, a -> new AtomicInteger()).incrementAndGet();
            }
            total.incrementAndGet();
            history.addLast(action);
            if (history.size() > MAX_HISTORY) {
                history.removeFirst();
            }
        }
    }

    void recordThrottled(String action) {
        throttledByAction.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public String toString() {
        return "RequestCounters{total=" + total + ", byAction=" + byAction + "}";
    }
}
