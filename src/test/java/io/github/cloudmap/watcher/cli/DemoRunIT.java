package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The demo's batch against an emulator that never answers one registration. */
class DemoRunIT {

    @Test
    @Timeout(30)
    void theBatchDeadlineEndsTheBatchAndCountsUnfinishedInstancesAsFailed() throws Exception {
        StringWriter out = new StringWriter();
        try (CloudMapEmulator emulator = CloudMapEmulator.builder().operationTimings(OperationTimings.instant()).start();
             ServiceDiscoveryAsyncClient client = Clients.emulator(emulator.endpoint())) {
            // One RegisterInstance request hangs; the per-attempt deadline (20 s) is far beyond the batch's.
            emulator.faults().hangNext("RegisterInstance", 1);
            DemoRun run = new DemoRun(client, new ProgressPrinter(new PrintWriter(out, true), false, System::nanoTime),
                    1L, Duration.ofSeconds(2));
            long start = System.nanoTime();

            DemoRun.Outcome outcome = run.run(3);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(outcome.registered()).isEqualTo(2);
            assertThat(outcome.failed()).isEqualTo(1);
        }
        assertThat(out.toString()).contains("batch deadline of 2 s reached: 1 instance(s) unfinished, counted as failed");
    }
}
