package io.github.cloudmap.watcher;

import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * An AWS Cloud Map operation ended with status {@code FAIL}.
 *
 * <p>Carries the failed {@link Operation} as Cloud Map reported it, with its {@code ErrorCode}
 * and {@code ErrorMessage}. An error code this version does not know passes through as text.
 *
 * <p>{@link #isRetryable()} says whether sending the <em>original request</em> again can
 * succeed. Cloud Map documents one such code, {@code THROTTLED_REQUEST}: the work behind the
 * operation was throttled, so the operation failed and has to be resubmitted. The other codes
 * ({@code ACCESS_DENIED}, {@code CANNOT_CREATE_HOSTED_ZONE}, {@code EXPIRED_TOKEN},
 * {@code HOSTED_ZONE_NOT_FOUND}, {@code INTERNAL_FAILURE}, {@code INVALID_CHANGE_BATCH}) are
 * not retryable here: they need a change of permissions, credentials or input, and
 * {@code INTERNAL_FAILURE} is not retried automatically because the operation may have had
 * part of its effect; a caller who knows its request is idempotent (a {@code CreatorRequestId})
 * may still resubmit it.
 *
 * <p>Serializable: what {@link #operationId()}, {@link #errorCode()}, {@link #errorMessage()},
 * {@link #operationType()} and {@link #isRetryable()} return is kept in plain fields, and
 * {@link #operation()} is rebuilt from them after deserialization (an equal {@code Operation}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * watcher.awaitTerminal(operationId)
 *     .onErrorResume(OperationFailedException.class, e ->
 *         Mono.error(new IllegalStateException("registration failed: " + e.errorCode(), e)));
 * }</pre>
 */
public class OperationFailedException extends RuntimeException {

    private static final long serialVersionUID = 2L;

    /** The error codes for which a resubmission of the original request can succeed. */
    public static final Set<String> RETRYABLE_ERROR_CODES = Set.of("THROTTLED_REQUEST");

    /** What the accessors return, in fields that survive serialization. */
    private final OperationSnapshot snapshot;
    /** The SDK's object as given; not serialized, rebuilt from {@link #snapshot} when needed. */
    private transient volatile Operation operation;

    /**
     * @param operation the operation in status FAIL, as GetOperation returned it
     * @throws NullPointerException if {@code operation} is null
     */
    public OperationFailedException(Operation operation) {
        super(describe(Objects.requireNonNull(operation, "operation")));
        this.operation = operation;
        this.snapshot = OperationSnapshot.of(operation);
    }

    private static String describe(Operation operation) {
        return String.format("Cloud Map operation %s (%s) failed with %s: %s",
                operation.id(), operation.typeAsString(), operation.errorCode(), operation.errorMessage());
    }

    /**
     * The operation in status FAIL: the object GetOperation returned, or after Java
     * deserialization an equal one rebuilt from this exception's fields.
     *
     * @return the operation in status FAIL
     */
    public Operation operation() {
        Operation current = operation;
        if (current == null) {
            current = snapshot.toOperation();
            operation = current; // a benign race: every thread builds an equal value
        }
        return current;
    }

    /** {@return the operation's ID} */
    public String operationId() {
        return snapshot.id();
    }

    /**
     * {@return the operation's {@code Type} as Cloud Map sent it, such as {@code
     * REGISTER_INSTANCE}; may be null}
     */
    public String operationType() {
        return snapshot.type();
    }

    /**
     * {@return Cloud Map's {@code ErrorCode}, such as {@code THROTTLED_REQUEST}; may be null if the
     * service sent none}
     */
    public String errorCode() {
        return snapshot.errorCode();
    }

    /** {@return Cloud Map's {@code ErrorMessage}; often wraps a Route 53 error. May be null} */
    public String errorMessage() {
        return snapshot.errorMessage();
    }

    /** {@return true when resubmitting the original request can succeed (see the class documentation)} */
    public boolean isRetryable() {
        return isRetryableErrorCode(errorCode());
    }

    /**
     * True for the {@linkplain #RETRYABLE_ERROR_CODES error codes} that a resubmission can fix.
     *
     * @param errorCode Cloud Map's ErrorCode, or null
     * @return true if a resubmission can fix it
     */
    public static boolean isRetryableErrorCode(String errorCode) {
        return errorCode != null && RETRYABLE_ERROR_CODES.contains(errorCode);
    }
}
