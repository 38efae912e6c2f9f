package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.OperationOutcome;
import io.github.cloudmap.watcher.OperationOutcome.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcomes of {@code watch} so far, across every batch of the command (one batch per round of
 * {@code --pending}): the progress line ("17 of 30 done, 1 failed"), the summary table and the
 * exit code, which is the worst outcome (an error 3, a timeout 2, a FAIL 1, else 0).
 *
 * <p>Thread-safe: methods are synchronized (outcomes arrive from the watches' threads).
 */
final class BatchTally {

    /** Arrival order; the table follows {@link #order}, the order given. */
    private final Map<String, OperationOutcome> outcomes = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private boolean deadlinePassed;

    /** These operations are being watched too. */
    synchronized void expect(List<String> operationIds) {
        order.addAll(operationIds);
    }

    synchronized void add(OperationOutcome outcome) {
        outcomes.put(outcome.operationId(), outcome);
    }

    /** The --pending deadline passed before nothing matching was in flight: exit 2 at least. */
    synchronized void deadlinePassed() {
        deadlinePassed = true;
    }

    /** How many operations were watched. */
    synchronized int expected() {
        return order.size();
    }

    /** True once the operation had its outcome (in an earlier round). */
    synchronized boolean has(String operationId) {
        return outcomes.containsKey(operationId);
    }

    /** "17 of 30 done, 1 failed, 2 timed out". */
    synchronized String progress() {
        StringBuilder text = new StringBuilder().append(outcomes.size()).append(" of ").append(order.size())
                .append(" done");
        append(text, count(Kind.FAIL), "failed");
        append(text, count(Kind.TIMED_OUT), "timed out");
        append(text, count(Kind.ERROR), count(Kind.ERROR) == 1 ? "error" : "errors");
        append(text, count(Kind.STOPPED), "stopped");
        return text.toString();
    }

    /** The exit code of the command: the worst outcome. */
    synchronized int exitCode() {
        if (count(Kind.ERROR) > 0) {
            return WatchCommand.ERROR;
        }
        if (count(Kind.TIMED_OUT) > 0 || deadlinePassed) {
            return WatchCommand.TIMED_OUT;
        }
        if (count(Kind.FAIL) > 0) {
            return WatchCommand.FAILED;
        }
        return WatchCommand.SUCCEEDED;
    }

    /** One row per operation, in the order given, and a total line. */
    synchronized List<String> table() {
        int width = Math.max("OPERATION".length(),
                outcomes.keySet().stream().mapToInt(String::length).max().orElse(0));
        String format = "%-" + width + "s  %-9s  %-11s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, format, "OPERATION", "OUTCOME", "LAST STATUS", "DETAIL").stripTrailing());
        for (String id : order) {
            OperationOutcome outcome = outcomes.get(id);
            if (outcome == null) {
                continue;
            }
            lines.add(String.format(Locale.ROOT, format, outcome.operationId(), outcome.kind(),
                    outcome.lastStatus() == null ? "-" : outcome.operation().statusAsString(), detail(outcome))
                    .stripTrailing());
        }
        StringBuilder total = new StringBuilder().append(outcomes.size())
                .append(outcomes.size() == 1 ? " operation: " : " operations: ")
                .append(count(Kind.SUCCESS)).append(" succeeded");
        append(total, count(Kind.FAIL), "failed");
        append(total, count(Kind.TIMED_OUT), "timed out");
        append(total, count(Kind.ERROR), count(Kind.ERROR) == 1 ? "error" : "errors");
        append(total, count(Kind.STOPPED), "stopped (--fail-fast)");
        lines.add(total.toString());
        return lines;
    }

    private static String detail(OperationOutcome outcome) {
        return switch (outcome.kind()) {
            case SUCCESS -> "";
            case FAIL -> outcome.errorCode() + ": " + outcome.errorMessage();
            case TIMED_OUT -> "no final status in time; it may still finish";
            case ERROR -> WatchCommand.describe(outcome.error());
            case STOPPED -> "not watched further after another operation did not succeed";
        };
    }

    private int count(Kind kind) {
        int n = 0;
        for (OperationOutcome outcome : outcomes.values()) {
            if (outcome.kind() == kind) {
                n++;
            }
        }
        return n;
    }

    private static void append(StringBuilder text, int count, String what) {
        if (count > 0) {
            text.append(", ").append(count).append(' ').append(what);
        }
    }
}
