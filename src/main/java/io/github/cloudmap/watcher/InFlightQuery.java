package io.github.cloudmap.watcher;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Which in-flight operations {@link OperationWatcher#inFlight(InFlightQuery)} looks for: those of
 * the whole account ({@link #all()}), narrowed to a namespace, a service, some operation types,
 * or operations updated since an instant. Each becomes a ListOperations filter, ANDed with the
 * others and with STATUS IN [SUBMITTED, PENDING]. Each setting returns a new copy.
 *
 * <pre>{@code
 * InFlightQuery mine = InFlightQuery.all().service(serviceId)
 *     .types(OperationType.REGISTER_INSTANCE, OperationType.DEREGISTER_INSTANCE)
 *     .updatedSince(Instant.now().minus(Duration.ofHours(1)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class InFlightQuery {

    /** Longest namespace or service ID Cloud Map accepts in a filter. */
    public static final int MAX_ID_LENGTH = 64;

    private static final InFlightQuery ALL = new InFlightQuery(null, null, Set.of(), null);

    private final String namespaceId;
    private final String serviceId;
    private final Set<OperationType> types;
    private final Instant updatedSince;

    private InFlightQuery(String namespaceId, String serviceId, Set<OperationType> types, Instant updatedSince) {
        this.namespaceId = namespaceId;
        this.serviceId = serviceId;
        this.types = types;
        this.updatedSince = updatedSince;
    }

    /** {@return a query for every in-flight operation of the caller's account} */
    public static InFlightQuery all() {
        return ALL;
    }

    /**
     * Only operations of this namespace (filter NAMESPACE_ID EQ).
     *
     * @param namespaceId the namespace's ID
     * @return a copy with this filter
     * @throws NullPointerException if {@code namespaceId} is null
     * @throws IllegalArgumentException if it is blank or over {@value #MAX_ID_LENGTH} characters
     */
    public InFlightQuery namespace(String namespaceId) {
        return new InFlightQuery(id(namespaceId, "namespaceId"), serviceId, types, updatedSince);
    }

    /**
     * Only operations of this service (filter SERVICE_ID EQ).
     *
     * @param serviceId the service's ID
     * @return a copy with this filter
     * @throws NullPointerException if {@code serviceId} is null
     * @throws IllegalArgumentException if it is blank or over {@value #MAX_ID_LENGTH} characters
     */
    public InFlightQuery service(String serviceId) {
        return new InFlightQuery(namespaceId, id(serviceId, "serviceId"), types, updatedSince);
    }

    /**
     * Only operations of these types (filter TYPE IN).
     *
     * @param types one or more operation types
     * @return a copy with this filter
     * @throws NullPointerException if {@code types} or one of them is null
     * @throws IllegalArgumentException if none is given, or one is {@code UNKNOWN_TO_SDK_VERSION}
     */
    public InFlightQuery types(OperationType... types) {
        Objects.requireNonNull(types, "types must not be null");
        if (types.length == 0) {
            throw new IllegalArgumentException("types must name at least one operation type");
        }
        EnumSet<OperationType> set = EnumSet.noneOf(OperationType.class);
        for (OperationType type : types) {
            Objects.requireNonNull(type, "a type is null");
            if (type == OperationType.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("types must be Cloud Map operation types, not " + type);
            }
            set.add(type);
        }
        return new InFlightQuery(namespaceId, serviceId, Set.copyOf(set), updatedSince);
    }

    /**
     * Only operations updated at or after this instant, by the service's clock (filter
     * UPDATE_DATE BETWEEN, in epoch milliseconds).
     *
     * @param since the earliest update date
     * @return a copy with this filter
     * @throws NullPointerException if {@code since} is null
     */
    public InFlightQuery updatedSince(Instant since) {
        return new InFlightQuery(namespaceId, serviceId, types,
                Objects.requireNonNull(since, "since must not be null"));
    }

    /** {@return the namespace filter, if any} */
    public Optional<String> namespaceId() {
        return Optional.ofNullable(namespaceId);
    }

    /** {@return the service filter, if any} */
    public Optional<String> serviceId() {
        return Optional.ofNullable(serviceId);
    }

    /** {@return the type filter; empty for every type} */
    public Set<OperationType> types() {
        return types;
    }

    /** {@return the update-date filter, if any} */
    public Optional<Instant> updatedSince() {
        return Optional.ofNullable(updatedSince);
    }

    private static String id(String id, String name) {
        Objects.requireNonNull(id, () -> name + " must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_ID_LENGTH + " characters, but has "
                    + id.length());
        }
        return id;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InFlightQuery q && Objects.equals(namespaceId, q.namespaceId)
                && Objects.equals(serviceId, q.serviceId) && types.equals(q.types)
                && Objects.equals(updatedSince, q.updatedSince);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaceId, serviceId, types, updatedSince);
    }

    @Override
    public String toString() {
        return "InFlightQuery{namespaceId=" + namespaceId + ", serviceId=" + serviceId + ", types=" + types
                + ", updatedSince=" + updatedSince + '}';
    }
}
