package io.github.cloudmap.watcher.emulator;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks the action names a {@link FaultInjector} setting is keyed by. A name that is not an
 * operation of the Cloud Map model would be accepted and simply never match a request, so a typo
 * such as {@code "GetOperations"} would leave a test passing for the wrong reason; it is refused
 * instead, naming the closest operations (or all of them when none is close).
 *
 * <p>Stateless and thread-safe.
 */
final class ActionNames {

    /** Stands for every action without a setting of its own. */
    static final String ALL = "*";

    private static final List<String> SORTED = ActionDispatcher.MODEL_OPERATIONS.stream().sorted().toList();

    private ActionNames() {}

    /**
     * Returns {@code action} if it is {@code "*"} or an operation of the model.
     *
     * @throws IllegalArgumentException otherwise, naming the closest operations or listing all
     * @throws NullPointerException if it is null
     */
    static String requireKnown(String action) {
        Objects.requireNonNull(action, "action");
        if (ALL.equals(action) || ActionDispatcher.MODEL_OPERATIONS.contains(action)) {
            return action;
        }
        if (action.isBlank()) {
            throw new IllegalArgumentException("action must be an operation name such as GetOperation, or \"*\"");
        }
        List<String> closest = closest(action);
        String hint = closest.isEmpty()
                ? "use \"*\" or one of the " + SORTED.size() + " operations of Cloud Map's API: "
                        + String.join(", ", SORTED)
                : "did you mean " + String.join(" or ", closest) + "? (or \"*\" for every action)";
        throw new IllegalArgumentException("Unknown action '" + action + "': Cloud Map has no such operation; "
                + hint);
    }

    /**
     * The operations nearest to {@code action} by edit distance, ignoring case, if they are near
     * enough to be a typo of it (at most a third of its length, at least 2 edits); else empty.
     */
    static List<String> closest(String action) {
        String typed = action.strip().toLowerCase(Locale.ROOT);
        int limit = Math.max(2, typed.length() / 3);
        int best = SORTED.stream().mapToInt(name -> distance(typed, name)).min().orElseThrow();
        if (best > limit) {
            return List.of();
        }
        return SORTED.stream().filter(name -> distance(typed, name) == best).toList();
    }

    /** Levenshtein distance between {@code typed} (lower case) and {@code name}, ignoring case. */
    private static int distance(String typed, String name) {
        String other = name.toLowerCase(Locale.ROOT);
        int[] previous = new int[other.length() + 1];
        int[] current = new int[other.length() + 1];
        for (int j = 0; j <= other.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= typed.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= other.length(); j++) {
                int substitution = previous[j - 1] + (typed.charAt(i - 1) == other.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[other.length()];
    }
}
