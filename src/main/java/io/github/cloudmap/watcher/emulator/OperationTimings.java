package io.github.cloudmap.watcher.emulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * How long each kind of emulated Cloud Map operation stays {@code SUBMITTED}, then {@code PENDING},
 * before it ends {@code SUCCESS} (or {@code FAIL}).
 *
 * <p>Immutable and thread-safe: {@link #with} and {@link #withPublicDnsNamespace} return copies,
 * so a value can be kept as a template.
 *
 * <p>Defaults ({@link #defaults()}) are the real durations scaled down so demos stay quick:
 * namespace operations 0.5 s submitted + 1 s pending, creating or deleting a public DNS namespace
 * 1 s + 3 s (it is the slowest in real life, about 112 s), service updates 0.2 s + 0.3 s,
 * instance operations 0.1 s + 0.2 s. {@link #instant()} makes every operation finish at once: it
 * is {@code SUCCESS} on its first read, which suits tests that do not care about progress.
 *
 * <pre>{@code
 * OperationTimings timings = OperationTimings.instant()
 *         .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(1), Duration.ofSeconds(2));
 * }</pre>
 */
public final class OperationTimings {

    /** The two phases of one operation type. */
    record Phases(Duration submitted, Duration pending) {
        Duration total() {
            return submitted.plus(pending);
        }
    }

    private static final Phases ZERO = new Phases(Duration.ZERO, Duration.ZERO);

    private final Map<OperationType, Phases> byType;
    private final Phases publicDnsNamespace;

    private OperationTimings(Map<OperationType, Phases> byType, Phases publicDnsNamespace) {
        this.byType = byType;
        this.publicDnsNamespace = publicDnsNamespace;
    }

    /** {@return scaled-down real durations; see the class comment for the figures} */
    public static OperationTimings defaults() {
        Map<OperationType, Phases> map = new EnumMap<>(OperationType.class);
        map.put(OperationType.CREATE_NAMESPACE, phases(500, 1000));
        map.put(OperationType.DELETE_NAMESPACE, phases(500, 1000));
        map.put(OperationType.UPDATE_NAMESPACE, phases(500, 1000));
        map.put(OperationType.UPDATE_SERVICE, phases(200, 300));
        map.put(OperationType.REGISTER_INSTANCE, phases(100, 200));
        map.put(OperationType.DEREGISTER_INSTANCE, phases(100, 200));
        return new OperationTimings(map, phases(1000, 3000));
    }

    /**
     * Every operation finishes at once: {@code SUCCESS} (or its injected failure) on its first read.
     *
     * @return these timings
     */
    public static OperationTimings instant() {
        Map<OperationType, Phases> map = new EnumMap<>(OperationType.class);
        for (OperationType type : OperationType.values()) {
            if (type != OperationType.UNKNOWN_TO_SDK_VERSION) {
                map.put(type, ZERO);
            }
        }
        return new OperationTimings(map, ZERO);
    }

    /**
     * Every operation, public DNS namespaces included, stays {@code submitted} in SUBMITTED, then
     * {@code pending} in PENDING: what the {@code emulator} command's {@code --operation-duration}
     * sets, so that a person can watch the statuses go by.
     *
     * @param submitted how long every operation stays SUBMITTED
     * @param pending how long it then stays PENDING
     * @return new timings
     * @throws IllegalArgumentException if a duration is negative
     * @throws NullPointerException if an argument is null
     */
    public static OperationTimings uniform(Duration submitted, Duration pending) {
        Phases phases = checked(submitted, pending);
        Map<OperationType, Phases> map = new EnumMap<>(OperationType.class);
        for (OperationType type : OperationType.values()) {
            if (type != OperationType.UNKNOWN_TO_SDK_VERSION) {
                map.put(type, phases);
            }
        }
        return new OperationTimings(map, phases);
    }

    /**
     * Returns a copy where operations of {@code type} stay {@code submitted} in SUBMITTED, then
     * {@code pending} in PENDING. For CREATE_NAMESPACE and DELETE_NAMESPACE this does not change
     * public DNS namespaces: use {@link #withPublicDnsNamespace} for those.
     *
     * @param type the operation type
     * @param submitted how long it stays SUBMITTED
     * @param pending how long it then stays PENDING
     * @return a copy with these durations for {@code type}
     * @throws IllegalArgumentException if a duration is negative or the type is UNKNOWN_TO_SDK_VERSION
     * @throws NullPointerException if an argument is null
     */
    public OperationTimings with(OperationType type, Duration submitted, Duration pending) {
        Objects.requireNonNull(type, "type");
        if (type == OperationType.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("type must be a real operation type, got UNKNOWN_TO_SDK_VERSION");
        }
        Map<OperationType, Phases> copy = new EnumMap<>(byType);
        copy.put(type, checked(submitted, pending));
        return new OperationTimings(copy, publicDnsNamespace);
    }

    /**
     * Returns a copy where creating or deleting a public DNS namespace takes these durations.
     *
     * @param submitted how long it stays SUBMITTED
     * @param pending how long it then stays PENDING
     * @return a copy with these durations
     * @throws IllegalArgumentException if a duration is negative
     */
    public OperationTimings withPublicDnsNamespace(Duration submitted, Duration pending) {
        return new OperationTimings(new EnumMap<>(byType), checked(submitted, pending));
    }

    /**
     * Time spent SUBMITTED by operations of this type (not public DNS namespaces).
     *
     * @param type the operation type
     * @return the duration
     */
    public Duration submitted(OperationType type) {
        return phases(type, false).submitted();
    }

    /**
     * Time spent PENDING by operations of this type (not public DNS namespaces).
     *
     * @param type the operation type
     * @return the duration
     */
    public Duration pending(OperationType type) {
        return phases(type, false).pending();
    }

    Phases phases(OperationType type, boolean publicDns) {
        if (publicDns && (type == OperationType.CREATE_NAMESPACE || type == OperationType.DELETE_NAMESPACE)) {
            return publicDnsNamespace;
        }
        return byType.getOrDefault(type, ZERO);
    }

    @Override
    public String toString() {
        return "OperationTimings" + byType + ", publicDnsNamespace=" + publicDnsNamespace;
    }

    private static Phases phases(long submittedMillis, long pendingMillis) {
        return new Phases(Duration.ofMillis(submittedMillis), Duration.ofMillis(pendingMillis));
    }

    private static Phases checked(Duration submitted, Duration pending) {
        Objects.requireNonNull(submitted, "submitted");
        Objects.requireNonNull(pending, "pending");
        if (submitted.isNegative() || pending.isNegative()) {
            throw new IllegalArgumentException(
                    "durations must not be negative, got submitted=" + submitted + ", pending=" + pending);
        }
        return new Phases(submitted, pending);
    }
}
