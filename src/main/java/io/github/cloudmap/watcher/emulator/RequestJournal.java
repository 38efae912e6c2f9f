package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last requests a {@link CloudMapEmulator} received, oldest first, for assertions in tests
 * ({@link CloudMapEmulator#verify(RequestPattern)}) and for the command line's read-only JSON view.
 *
 * <p>Thread-safe. Bounded: it keeps the last {@link #capacity()} entries (default
 * {@value #DEFAULT_CAPACITY}, {@link CloudMapEmulator.Builder#journalCapacity(int)}); older ones are
 * dropped and counted in {@link #dropped()}. A capacity of 0 records nothing but still counts.
 * Each request costs one small record and a short lock, so a benchmark at hundreds of requests per
 * second does not notice it. Recorded: every request that names an operation of the Cloud Map
 * model and reaches the emulator (throttled, failed, hung and reset ones included), when its answer
 * is decided. {@link #clear()} empties it and starts the numbering again.
 *
 * <pre>{@code
 * emulator.verify(RequestPattern.getOperation("op-1")).atMost(5);
 * List<JournalEntry> throttled = emulator.journal().find(RequestPattern.anyRequest().throttled());
 * }</pre>
 */
public final class RequestJournal {

    /** Entries kept by default: a few minutes of a benchmark at 100 requests per second. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<JournalEntry> entries;
    private long sequence;
    private long dropped;
    /** The last User-Agent seen, so that one client's identical header is held once, not per entry. */
    private volatile String lastUserAgent;

    RequestJournal(Clock clock, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("journal capacity must be >= 0, got " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** {@return the most entries kept} */
    public int capacity() {
        return capacity;
    }

    /** {@return a snapshot of the entries kept, oldest first} */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * The entries kept that match {@code pattern}, oldest first.
     *
     * @param pattern which requests
     * @return the matching entries
     */
    public synchronized List<JournalEntry> find(RequestPattern pattern) {
        return entries.stream().filter(pattern::matches).toList();
    }

    /**
     * How many entries kept match {@code pattern}.
     *
     * @param pattern which requests
     * @return how many entries match
     */
    public synchronized int count(RequestPattern pattern) {
        int n = 0;
        for (JournalEntry e : entries) {
            if (pattern.matches(e)) {
                n++;
            }
        }
        return n;
    }

    /** {@return entries dropped to keep within the capacity since the last {@link #clear()}} */
    public synchronized long dropped() {
        return dropped;
    }

    /** {@return requests recorded since the last {@link #clear()}, dropped ones included} */
    public synchronized long recorded() {
        return sequence;
    }

    /** Forgets every entry and the dropped count; numbering starts at 1 again. */
    public synchronized void clear() {
        entries.clear();
        sequence = 0;
        dropped = 0;
    }

    /** What a request carried, taken when it arrives; {@link #record} adds the answer. */
    record Arrival(Instant at, String action, String operationId, String serviceId, String instanceId,
            String namespaceId, String userAgent) { }

    /** Reads the request's key fields; {@code body} may be null (a request refused before its body was read). */
    Arrival arrive(String action, JsonNode body, String userAgent) {
        String serviceId = null;
        String namespaceId = null;
        String operationId = null;
        String instanceId = null;
        if (body != null) {
            operationId = body.path("OperationId").textValue();
            instanceId = body.path("InstanceId").textValue();
            serviceId = body.path("ServiceId").textValue();
            namespaceId = body.path("NamespaceId").textValue();
            String id = body.path("Id").textValue();
            if (id != null) {
                // GetNamespace, UpdateService, ... name their resource "Id".
                if (action.contains("Namespace") && namespaceId == null) {
                    namespaceId = id;
                } else if (action.endsWith("Service") && serviceId == null) {
                    serviceId = id;
                }
            }
        }
        return new Arrival(clock.instant(), action, operationId, serviceId, instanceId, namespaceId, share(userAgent));
    }

    /** Records the answer to a request that arrived; {@code status} 0 means none was sent. */
    void record(Arrival a, int status, String errorCode) {
        boolean throttled = "ThrottlingException".equals(errorCode) || "RequestLimitExceeded".equals(errorCode);
        synchronized (this) {
            JournalEntry entry = new JournalEntry(++sequence, a.at(), a.action(), a.operationId(), a.serviceId(),
                    a.instanceId(), a.namespaceId(), status, errorCode, throttled, a.userAgent());
            if (capacity == 0) {
                dropped++;
                return;
            }
            if (entries.size() == capacity) {
                entries.removeFirst();
                dropped++;
            }
            entries.addLast(entry);
        }
    }

    private String share(String userAgent) {
        String last = lastUserAgent;
        if (userAgent == null || userAgent.equals(last)) {
            return userAgent == null ? null : last;
        }
        lastUserAgent = userAgent;
        return userAgent;
    }

    @Override
    public synchronized String toString() {
        return "RequestJournal{" + entries.size() + " of " + capacity + " kept, " + dropped + " dropped}";
    }
}
