package io.github.cloudmap.watcher.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Everything the emulator knows: namespaces, services with their instances, and operations.
 *
 * <p>Thread-safe through one lock: {@link #locked} settles due operations, then runs one request's
 * handler, so each request sees and changes a consistent state. Fields are read and written only
 * inside {@link #locked}. Operations progress lazily: nothing runs in the background, and with an
 * injected clock every transition is deterministic.
 */
final class EmulatorState {

    private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    final Clock clock;
    final OperationTimings timings;
    final FaultInjector faults;
    final String accountId;
    final String region;

    final Map<String, NamespaceEntry> namespaces = new LinkedHashMap<>();
    final Map<String, ServiceEntry> services = new LinkedHashMap<>();
    final Map<String, OperationEntry> operations = new LinkedHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    /** IDs come from their own seeded source so that creating resources never shifts fault decisions. */
    private Random idRandom;
    /** Orders DiscoverInstances answers; its own source, so discovering never shifts IDs or faults. */
    private Random discoveryRandom;
    private final List<OperationEntry> inFlight = new ArrayList<>();
    private final Map<String, OperationEntry> inFlightByKey = new HashMap<>();
    private final Map<String, OperationEntry> latestByRequest = new HashMap<>();
    private long seq;
    private final long seed;

    EmulatorState(Clock clock, OperationTimings timings, FaultInjector faults, String accountId, String region,
                  long seed) {
        this.clock = clock;
        this.timings = timings;
        this.faults = faults;
        this.accountId = accountId;
        this.region = region;
        this.seed = seed;
        this.idRandom = new Random(seed ^ 0x5DEECE66DL);
        this.discoveryRandom = new Random(seed ^ 0x2545F4914F6CDD1DL);
    }

    /** Forgets every resource and operation and draws IDs from the seed again, as at start. */
    void reset() {
        lock.lock();
        try {
            namespaces.clear();
            services.clear();
            operations.clear();
            inFlight.clear();
            inFlightByKey.clear();
            latestByRequest.clear();
            seq = 0;
            idRandom = new Random(seed ^ 0x5DEECE66DL);
            discoveryRandom = new Random(seed ^ 0x2545F4914F6CDD1DL);
        } finally {
            lock.unlock();
        }
    }

    /** Settles every operation that is due, then runs {@code action}, all under the state lock. */
    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            settle(clock.instant());
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Moves operations along SUBMITTED -> PENDING -> SUCCESS/FAIL up to {@code now}, in finishing order. */
    void settle(Instant now) {
        inFlight.sort(Comparator.comparing((OperationEntry op) -> op.finishAt).thenComparingLong(op -> op.seq));
        List<OperationEntry> done = new ArrayList<>();
        for (OperationEntry op : inFlight) {
            if (!now.isBefore(op.finishAt)) {
                finish(op);
                done.add(op);
            } else if (!now.isBefore(op.pendingAt) && op.status == OperationStatus.SUBMITTED) {
                op.status = OperationStatus.PENDING;
                op.updateDate = op.pendingAt;
            }
        }
        inFlight.removeAll(done);
    }

    private void finish(OperationEntry op) {
        op.updateDate = op.finishAt;
        inFlightByKey.remove(op.key, op);
        if (op.plannedFailure != null) {
            fail(op, op.plannedFailure.errorCode(), op.plannedFailure.errorMessage());
            return;
        }
        try {
            op.effect.apply();
            op.status = OperationStatus.SUCCESS;
        } catch (CloudMapError e) {
            // The world changed while the operation ran (e.g. its service was deleted).
            fail(op, "INTERNAL_FAILURE", e.getMessage());
        }
    }

    private void fail(OperationEntry op, String code, String message) {
        op.status = OperationStatus.FAIL;
        op.errorCode = code;
        op.errorMessage = message;
        // A failed request may be sent again with the same request ID and must then run again.
        latestByRequest.remove(requestKey(op.key, op.requestId), op);
    }

    /** Records a new operation that starts now; planned failures are taken from the fault injector. */
    OperationEntry submit(OperationType type, boolean publicDns, Map<String, String> targets, String key,
                          String requestId, OperationEntry.Effect effect) {
        Instant now = clock.instant();
        OperationTimings.Phases phases = timings.phases(type, publicDns);
        Instant pendingAt = now.plus(phases.submitted());
        OperationEntry op = new OperationEntry(++seq, newOperationId(), type,
                Collections.unmodifiableMap(new LinkedHashMap<>(targets)), now,
                pendingAt, pendingAt.plus(phases.pending()), key, requestId,
                faults.takeOperationFailure(type).orElse(null), effect);
        operations.put(op.id, op);
        inFlight.add(op);
        inFlightByKey.put(key, op);
        if (requestId != null) {
            latestByRequest.put(requestKey(key, requestId), op);
        }
        return op;
    }

    /**
     * Records an operation with a timing of its own that changes nothing when it succeeds: the
     * benchmark hook ({@link BenchmarkHook}) creates many at once this way, each with its own
     * duration, without going through a submission call and its quota. A finish time in the
     * past makes a finished operation of the account's history.
     */
    OperationEntry submitScheduled(OperationType type, Map<String, String> targets, Instant createDate,
                                   Instant pendingAt, Instant finishAt) {
        long n = ++seq;
        OperationEntry op = new OperationEntry(n, newOperationId(), type,
                Collections.unmodifiableMap(new LinkedHashMap<>(targets)), createDate, pendingAt, finishAt,
                "benchmark:" + n, null, null, () -> { });
        operations.put(op.id, op);
        inFlight.add(op);
        return op;
    }

    /** The operation still running on {@code key}, if any. */
    Optional<OperationEntry> inFlight(String key) {
        return Optional.ofNullable(inFlightByKey.get(key));
    }

    /** The running or successful operation submitted on {@code key} with this request ID (idempotency). */
    Optional<OperationEntry> byRequest(String key, String requestId) {
        return requestId == null ? Optional.empty() : Optional.ofNullable(latestByRequest.get(requestKey(key, requestId)));
    }

    List<OperationEntry> inFlightOperations() {
        return List.copyOf(inFlight);
    }

    long nextSeq() {
        return ++seq;
    }

    NamespaceEntry namespace(String idOrArn) {
        NamespaceEntry ns = namespaces.get(idOf(idOrArn));
        if (ns == null) {
            throw CloudMapError.namespaceNotFound(idOrArn);
        }
        return ns;
    }

    ServiceEntry service(String idOrArn) {
        ServiceEntry service = services.get(idOf(idOrArn));
        if (service == null) {
            throw CloudMapError.serviceNotFound(idOrArn);
        }
        return service;
    }

    /** Puts {@code instances} in a random order, as Cloud Map's DiscoverInstances does, from the seeded source. */
    void shuffleForDiscovery(List<InstanceEntry> instances) {
        Collections.shuffle(instances, discoveryRandom);
    }

    /**
     * The health status an instance reports now: HEALTHY, UNHEALTHY or UNKNOWN (see {@link InstanceHealth}).
     */
    String healthOf(ServiceEntry service, InstanceEntry instance) {
        return InstanceHealth.of(service, instance, faults);
    }

    /** The namespace or service an ARN of this account and Region names, if it exists. */
    Optional<Taggable> resourceByArn(String arn) {
        for (NamespaceEntry ns : namespaces.values()) {
            if (ns.arn.equals(arn)) {
                return Optional.of(new Taggable(ns.arn, ns.tags));
            }
        }
        for (ServiceEntry service : services.values()) {
            if (service.arn.equals(arn)) {
                return Optional.of(new Taggable(service.arn, service.tags));
            }
        }
        return Optional.empty();
    }

    /** A resource that carries tags: its ARN and its live tag map (key to value, in insertion order). */
    record Taggable(String arn, Map<String, String> tags) {
    }

    String newNamespaceId() {
        return "ns-" + random(LOWER, 16);
    }

    String newServiceId() {
        return "srv-" + random(LOWER, 16);
    }

    String newHostedZoneId() {
        return "Z" + random(UPPER, 13);
    }

    String arn(String kind, String id) {
        return "arn:aws:servicediscovery:" + region + ":" + accountId + ":" + kind + "/" + id;
    }

    /** Accepts a resource ID or its ARN, as the model's {@code Arn}-typed Id members do. */
    static String idOf(String idOrArn) {
        return idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf('/') + 1) : idOrArn;
    }

    /**
     * A RESOURCE_OWNER filter value: SELF matches every resource and OTHER_ACCOUNTS none, since
     * the emulator has one account and nothing shared with it.
     *
     * @throws CloudMapError InvalidInput for any other value
     */
    static boolean resourceOwnerIsSelf(String filterValue) {
        return switch (filterValue) {
            case "SELF" -> true;
            case "OTHER_ACCOUNTS" -> false;
            default -> throw CloudMapError.invalidInput("Filter RESOURCE_OWNER takes SELF or OTHER_ACCOUNTS, got "
                    + filterValue);
        };
    }

    private String newOperationId() {
        // Real IDs look like "gv4g5meo7ndmeh4fqskygvk23d2fijwa-k9302yzd".
        return random(LOWER, 32) + "-" + random(LOWER, 8);
    }

    private String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[idRandom.nextInt(alphabet.length)];
        }
        return new String(out);
    }

    private static String requestKey(String key, String requestId) {
        return key + '\u0000' + requestId;
    }
}
