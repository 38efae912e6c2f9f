package io.github.cloudmap.watcher.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Assertions on the requests a {@link RequestJournal} holds that match one {@link RequestPattern},
 * in the style of WireMock's {@code verify}: {@code emulator.verify(getOperation("op-1")).atMost(5)}.
 *
 * <p>Each check reads the journal when it is called and throws {@link AssertionError} with what
 * was expected, what matched and the journal's last entries (with how many were dropped, since a
 * dropped request cannot be counted). Returns {@code this}, so checks chain. Thread-safe.
 */
public final class JournalVerification {

    /** Entries listed in a failure message at most: the last ones, which a test usually wants. */
    static final int SHOWN = 20;

    private final RequestJournal journal;
    private final RequestPattern pattern;

    JournalVerification(RequestJournal journal, RequestPattern pattern) {
        this.journal = journal;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    /**
     * Exactly {@code n} matching requests.
     *
     * @param n the expected count
     * @return this verification, for more checks
     */
    public JournalVerification times(int n) {
        requireCount(n);
        return check(count -> count == n, "exactly " + n);
    }

    /**
     * At least {@code n} matching requests.
     *
     * @param n the least count
     * @return this verification, for more checks
     */
    public JournalVerification atLeast(int n) {
        requireCount(n);
        return check(count -> count >= n, "at least " + n);
    }

    /**
     * At most {@code n} matching requests.
     *
     * @param n the most count
     * @return this verification, for more checks
     */
    public JournalVerification atMost(int n) {
        requireCount(n);
        return check(count -> count <= n, "at most " + n);
    }

    /** {@return a verification that no request matches} */
    public JournalVerification never() {
        return check(count -> count == 0, "no");
    }

    /**
     * No matching request arrived after {@code instant} (on the emulator's clock).
     *
     * @param instant the latest arrival allowed
     * @return this verification, for more checks
     */
    public JournalVerification noneAfter(Instant instant) {
        return none(instant, "after", e -> e.arrival().isAfter(instant));
    }

    /**
     * No matching request arrived before {@code instant} (on the emulator's clock).
     *
     * @param instant the earliest arrival allowed
     * @return this verification, for more checks
     */
    public JournalVerification noneBefore(Instant instant) {
        return none(instant, "before", e -> e.arrival().isBefore(instant));
    }

    private JournalVerification none(Instant instant, String side, java.util.function.Predicate<JournalEntry> outside) {
        Objects.requireNonNull(instant, "instant");
        List<JournalEntry> found = journal.find(pattern).stream().filter(outside).toList();
        if (!found.isEmpty()) {
            throw new AssertionError("Expected no request matching " + pattern + " " + side + " " + instant + ", but "
                    + found.size() + " arrived " + side + " it, the first: " + found.get(0) + "\n" + describeJournal());
        }
        return this;
    }

    private JournalVerification check(java.util.function.IntPredicate ok, String expected) {
        int count = journal.count(pattern);
        if (!ok.test(count)) {
            throw new AssertionError("Expected " + expected + " request" + (expected.equals("exactly 1") ? "" : "s")
                    + " matching " + pattern + ", but the journal holds " + count + "\n" + describeJournal());
        }
        return this;
    }

    private String describeJournal() {
        List<JournalEntry> entries = journal.entries();
        long dropped = journal.dropped();
        StringBuilder s = new StringBuilder("The journal holds ").append(entries.size()).append(" request")
                .append(entries.size() == 1 ? "" : "s");
        if (dropped > 0) {
            s.append(" (").append(dropped).append(" older ones dropped, capacity ").append(journal.capacity())
                    .append(")");
        }
        if (entries.isEmpty()) {
            return s.append('.').toString();
        }
        int from = Math.max(0, entries.size() - SHOWN);
        s.append(from == 0 ? ":" : ", the last " + SHOWN + ":");
        for (JournalEntry e : entries.subList(from, entries.size())) {
            s.append("\n  ").append(pattern.matches(e) ? "* " : "  ").append(e);
        }
        return s.toString();
    }

    private static void requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a request count must be >= 0, got " + n);
        }
    }

    @Override
    public String toString() {
        return "verify(" + pattern + ")";
    }
}
