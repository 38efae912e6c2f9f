package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link OperationWatcher#awaitAll(java.util.Collection, BatchOptions)} and
 * {@code watchAll} treat a batch: whose account the operations belong to, whether the first
 * operation that does not succeed stops the rest ({@link #failFast}), and a deadline for the
 * whole batch ({@link #overallTimeout}). Each setting returns a new copy, so options can be kept
 * as constants.
 *
 * <p>Defaults: the caller's own account; no fail-fast (one FAIL does not stop the others); the
 * watcher's {@linkplain OperationWatcherBuilder#overallTimeout overall timeout} if one was set,
 * else none (each operation still has the watcher's {@linkplain OperationWatcherBuilder#timeout
 * deadline}, counted from the batch's start, so the batch ends within it).
 *
 * <pre>{@code
 * static final BatchOptions DEPLOY = BatchOptions.defaults().failFast(true).overallTimeout(Duration.ofMinutes(3));
 * watcher.awaitAll(operationIds, DEPLOY);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BatchOptions {

    private static final BatchOptions DEFAULTS = new BatchOptions(null, false, null);

    private final String ownerAccount;
    private final boolean failFast;
    private final Duration overallTimeout;

    private BatchOptions(String ownerAccount, boolean failFast, Duration overallTimeout) {
        this.ownerAccount = ownerAccount;
        this.failFast = failFast;
        this.overallTimeout = overallTimeout;
    }

    /** {@return the defaults: own account, no fail-fast, the watcher's overall timeout} */
    public static BatchOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The operations are in namespaces shared with the caller by this account: every GetOperation
     * carries {@code OwnerAccount}.
     *
     * @param ownerAccount the 12-digit ID of the account that owns the namespaces
     * @return a copy with this owner account
     * @throws NullPointerException if {@code ownerAccount} is null
     * @throws IllegalArgumentException if it is not 12 digits
     */
    public BatchOptions ownerAccount(String ownerAccount) {
        return new BatchOptions(Arguments.ownerAccount(ownerAccount), failFast, overallTimeout);
    }

    /**
     * When true, the first operation that does not reach SUCCESS (FAIL, timed out or another
     * error) ends the batch: the others stop being watched and their outcome is
     * {@link OperationOutcome.Kind#STOPPED}, with the last status seen. Cloud Map has no API to
     * cancel an operation: they go on, unwatched. Default false.
     *
     * @param failFast true to end the batch at the first operation that does not succeed
     * @return a copy with this setting
     */
    public BatchOptions failFast(boolean failFast) {
        return new BatchOptions(ownerAccount, failFast, overallTimeout);
    }

    /**
     * A deadline for the whole batch, counted from subscription. When it passes, every operation
     * still unfinished ends {@link OperationOutcome.Kind#TIMED_OUT} with an
     * {@link OperationTimeoutException} whose {@code isOverall()} is true and the last status
     * seen, and the {@code Mono<BatchOutcome>} completes.
     *
     * @param overallTimeout the deadline of the whole batch
     * @return a copy with this deadline
     * @throws NullPointerException if {@code overallTimeout} is null
     * @throws IllegalArgumentException if it is shorter than {@link OperationWatcherBuilder#MIN_POLL_INTERVAL}
     *         or longer than {@link OperationWatcherBuilder#MAX_DURATION}
     */
    public BatchOptions overallTimeout(Duration overallTimeout) {
        Arguments.atMost(Arguments.positive(overallTimeout, "overallTimeout"), OperationWatcherBuilder.MAX_DURATION,
                "overallTimeout");
        if (overallTimeout.compareTo(OperationWatcherBuilder.MIN_POLL_INTERVAL) < 0) {
            throw new IllegalArgumentException("overallTimeout must be at least "
                    + OperationWatcherBuilder.MIN_POLL_INTERVAL + ", but was " + overallTimeout);
        }
        return new BatchOptions(ownerAccount, failFast, overallTimeout);
    }

    /** {@return the account that owns the namespaces, or empty for the caller's own} */
    public Optional<String> ownerAccount() {
        return Optional.ofNullable(ownerAccount);
    }

    /** {@return whether the first operation that does not succeed stops the rest} */
    public boolean failFast() {
        return failFast;
    }

    /** {@return the batch's own deadline, or empty to use the watcher's overall timeout (if any)} */
    public Optional<Duration> overallTimeout() {
        return Optional.ofNullable(overallTimeout);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatchOptions o && failFast == o.failFast
                && Objects.equals(ownerAccount, o.ownerAccount) && Objects.equals(overallTimeout, o.overallTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ownerAccount, failFast, overallTimeout);
    }

    @Override
    public String toString() {
        return "BatchOptions{ownerAccount=" + ownerAccount + ", failFast=" + failFast + ", overallTimeout="
                + overallTimeout + '}';
    }
}
