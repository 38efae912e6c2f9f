package io.github.cloudmap.watcher.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Prints the demo's live output: one plain line per status change, stamped with the time since
 * the start ({@code [ 1.234s] i-07       REGISTER_INSTANCE 5f3c8a1b PENDING}), and a progress
 * line for the batch. On a terminal the progress line is redrawn in place with a carriage
 * return; elsewhere (a pipe, a CI log) it is printed as its own line, only when asked to, so
 * logs stay short.
 *
 * <p>Thread-safe: methods are synchronized, because every watch prints from its own thread and
 * a line must not be cut by another.
 */
final class ProgressPrinter {

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long start;
    private String progress = "";

    /**
     * @param terminal true to redraw the progress line in place ({@code System.console() != null})
     * @param nanoTime the clock for elapsed times, {@code System::nanoTime} outside tests
     */
    ProgressPrinter(PrintWriter out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** Seconds since this printer was made. */
    synchronized double elapsedSeconds() {
        return (nanoTime.getAsLong() - start) / 1e9;
    }

    /** One status change of the operation that {@code label} names. */
    synchronized void status(String label, Operation operation) {
        String line = String.format(Locale.ROOT, "%-10s %-17s %-8s %s", label, operation.typeAsString(),
                shortId(operation.id()), operation.statusAsString());
        if (operation.status() == OperationStatus.FAIL) {
            line += " " + operation.errorCode() + ": " + operation.errorMessage();
        }
        line(line);
    }

    /** A free-form line, stamped like the status lines. */
    synchronized void note(String message) {
        line(message);
    }

    /** A line without a time stamp (headers, the summary). */
    synchronized void plain(String message) {
        clearProgress();
        out.println(message);
        redrawProgress();
        out.flush();
    }

    /**
     * Shows the batch's progress: redrawn in place on a terminal; elsewhere printed as a line
     * when {@code milestone} is true.
     */
    synchronized void progress(String text, boolean milestone) {
        if (terminal) {
            clearProgress();
            progress = text;
            redrawProgress();
            out.flush();
        } else if (milestone) {
            line(text);
        }
    }

    /** Ends the in-place progress line, so the next output starts on a line of its own. */
    synchronized void endProgress() {
        if (terminal && !progress.isEmpty()) {
            out.println();
            progress = "";
            out.flush();
        }
    }

    private void line(String message) {
        clearProgress();
        out.println(String.format(Locale.ROOT, "[%7.3fs] %s", elapsedSeconds(), message));
        redrawProgress();
        out.flush();
    }

    private void clearProgress() {
        if (terminal && !progress.isEmpty()) {
            out.print("\r" + " ".repeat(progress.length()) + "\r");
        }
    }

    private void redrawProgress() {
        if (terminal && !progress.isEmpty()) {
            out.print(progress);
        }
    }

    /** The first 8 characters, like a short git hash: enough to tell the demo's operations apart. */
    static String shortId(String id) {
        return id == null || id.length() <= 8 ? String.valueOf(id) : id.substring(0, 8);
    }
}
