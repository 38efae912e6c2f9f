package io.github.cloudmap.watcher.internal;

import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks of user input with messages that say what was wrong, so bad input fails before any
 * request is sent. Stateless and thread-safe. Not part of the public API.
 */
public final class Arguments {

    /** Cloud Map's limit on the length of an OperationId. */
    public static final int MAX_OPERATION_ID_LENGTH = 255;

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private Arguments() {}

    /**
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException if it is blank or longer than 255 characters
     */
    public static String operationId(String id, String what) {
        Objects.requireNonNull(id, () -> what + " must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (id.length() > MAX_OPERATION_ID_LENGTH) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_OPERATION_ID_LENGTH
                    + " characters, but has " + id.length());
        }
        return id;
    }

    /**
     * @throws NullPointerException if {@code account} is null
     * @throws IllegalArgumentException if it is not a 12-digit AWS account ID
     */
    public static String ownerAccount(String account) {
        Objects.requireNonNull(account, "ownerAccount must not be null (use the overload without it)");
        if (!ACCOUNT_ID.matcher(account).matches()) {
            throw new IllegalArgumentException(
                    "ownerAccount must be a 12-digit AWS account ID, but was '" + account + "'");
        }
        return account;
    }

    /** @throws IllegalArgumentException unless {@code value} is strictly positive */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException if {@code value} is longer than {@code max} */
    public static Duration atMost(Duration value, Duration max, String name) {
        if (value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", but was " + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException if {@code value} is negative */
    public static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + value);
        }
        return value;
    }

    /**
     * The delay after the first poll and the cap on the delay between polls.
     *
     * @throws NullPointerException if either is null
     * @throws IllegalArgumentException if either is shorter than {@code min}, {@code max} is
     *         longer than {@code longest}, or {@code initial > max}
     */
    public static void pollInterval(Duration initial, Duration max, Duration min, Duration longest) {
        atLeastMinimum(positive(initial, "initial poll interval"), min, "initial poll interval");
        atLeastMinimum(positive(max, "max poll interval"), min, "max poll interval");
        atMost(max, longest, "max poll interval");
        if (initial.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "initial poll interval (" + initial + ") must be <= max poll interval (" + max + ")");
        }
    }

    private static void atLeastMinimum(Duration value, Duration min, String name) {
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + value
                    + ": shorter delays only spend the account's GetOperation quota (about 100 calls/s,"
                    + " shared by every caller in the account)");
        }
    }

    /**
     * A setting that can only take effect within a watch's deadline: the max poll interval
     * (a cap longer than the deadline is never reached) or the OperationNotFound grace window
     * (a watch ends before the window could).
     *
     * @throws IllegalArgumentException if {@code value} is longer than {@code timeout}, naming both
     */
    public static void notLongerThanTimeout(Duration value, String name, Duration timeout) {
        if (value.compareTo(timeout) > 0) {
            throw new IllegalArgumentException(name + " (" + value + ") must not be longer than the timeout ("
                    + timeout + "): a watch ends at its deadline before the " + name
                    + " could take effect; shorten the one or lengthen timeout(...)");
        }
    }

    /**
     * A Resilience4j policy the watcher can honour: it retries on failures only, so a
     * {@code retryOnResult} predicate would be ignored silently; refuse it instead.
     *
     * @throws IllegalArgumentException if {@code retry}'s config has a result predicate
     */
    public static void noResultPredicate(Retry retry, String name) {
        if (retry.getRetryConfig().getResultPredicate() != null) {
            throw new IllegalArgumentException(name + " (Retry '" + retry.getName()
                    + "') has a retryOnResult predicate, which the watcher cannot honour: it retries"
                    + " only on failures (a throttled or transient call, a retryable FAIL), never on a"
                    + " result; build the RetryConfig without retryOnResult");
        }
    }

    /** @throws IllegalArgumentException unless {@code min <= value < max} (or {@code <= max} if inclusive) */
    public static double inRange(double value, double min, double max, boolean maxInclusive, String name) {
        boolean ok = value >= min && (maxInclusive ? value <= max : value < max);
        if (!ok || Double.isNaN(value)) {
            throw new IllegalArgumentException(String.format("%s must be in [%s, %s%s, but was %s",
                    name, min, max, maxInclusive ? "]" : ")", value));
        }
        return value;
    }
}
