package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.emulator.RequestCounters;
import java.util.Locale;

/**
 * The demo's closing summary: what was registered, and what the watcher absorbed on the way,
 * from the watchers' own counts ({@link DemoStats}) and the emulator's ({@link RequestCounters}).
 *
 * <p>Stateless and thread-safe.
 */
final class DemoSummary {

    private DemoSummary() {}

    static void print(ProgressPrinter printer, DemoRun.Outcome outcome, DemoStats stats, RequestCounters counters) {
        printer.plain("");
        printer.plain("Summary");
        row(printer, "instances registered", outcome.registered() + "/" + outcome.instances()
                + (outcome.failed() == 0 ? "" : " (" + outcome.failed() + " FAILED)"));
        row(printer, "operations", stats.operations() + " (1 namespace, " + counters.count("RegisterInstance")
                + " RegisterInstance requests for " + outcome.instances() + " instances)");
        row(printer, "status changes", String.valueOf(stats.statusChanges()));
        row(printer, "GetOperation polls", stats.polls() + " sent by the watchers, "
                + counters.count("GetOperation") + " received by the emulator");
        row(printer, "throttled polls absorbed", String.valueOf(stats.throttled()));
        row(printer, "transient retries", String.valueOf(stats.transientErrors()));
        row(printer, "not-found polls tolerated", String.valueOf(stats.notFound()));
        row(printer, "resubmissions", stats.resubmissions() + " (after THROTTLED_REQUEST)");
        row(printer, "wall time", String.format(Locale.ROOT, "%.1f s", printer.elapsedSeconds()));
    }

    private static void row(ProgressPrinter printer, String name, String value) {
        printer.plain(String.format(Locale.ROOT, "  %-26s %s", name, value));
    }
}
