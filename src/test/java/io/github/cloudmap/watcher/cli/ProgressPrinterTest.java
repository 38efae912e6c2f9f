package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

class ProgressPrinterTest {

    private final StringWriter text = new StringWriter();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private ProgressPrinter printer(boolean terminal) {
        return new ProgressPrinter(new PrintWriter(text), terminal, nanos::get);
    }

    private static Operation op(OperationStatus status) {
        return Operation.builder().id("5f3c8a1b9d2e-long-id").type(OperationType.REGISTER_INSTANCE).status(status)
                .errorCode(status == OperationStatus.FAIL ? "THROTTLED_REQUEST" : null)
                .errorMessage(status == OperationStatus.FAIL ? "Rate exceeded" : null)
                .build();
    }

    @Test
    void stampsEachStatusLineWithTheTimeSinceTheStartAndAShortId() {
        ProgressPrinter printer = printer(false);
        nanos.addAndGet(1_234_000_000L);

        printer.status("i-07", op(OperationStatus.PENDING));
        printer.status("i-07", op(OperationStatus.FAIL));

        assertThat(text.toString().lines()).containsExactly(
                "[  1.234s] i-07       REGISTER_INSTANCE 5f3c8a1b PENDING",
                "[  1.234s] i-07       REGISTER_INSTANCE 5f3c8a1b FAIL THROTTLED_REQUEST: Rate exceeded");
    }

    @Test
    void withoutATerminalPrintsOnlyMilestoneProgressAsPlainLines() {
        ProgressPrinter printer = printer(false);

        printer.progress("registered 1/30", false);
        printer.progress("registered 5/30", true);
        printer.endProgress();

        assertThat(text.toString()).doesNotContain("\r").doesNotContain("1/30");
        assertThat(text.toString().lines()).containsExactly("[  0.000s] registered 5/30");
    }

    @Test
    void onATerminalRedrawsTheProgressLineInPlaceBelowTheStatusLines() {
        ProgressPrinter printer = printer(true);

        printer.progress("registered 1/2", false);
        printer.status("i-1", op(OperationStatus.SUCCESS));
        printer.progress("registered 2/2", false);
        printer.endProgress();

        assertThat(text.toString()).isEqualTo("registered 1/2"
                + "\r              \r[  0.000s] i-1        REGISTER_INSTANCE 5f3c8a1b SUCCESS" + System.lineSeparator()
                + "registered 1/2"
                + "\r              \rregistered 2/2" + System.lineSeparator());
    }
}
