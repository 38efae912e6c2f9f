package io.github.cloudmap.watcher.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class WatchTimingsTest {

    @Test
    void eachWatchIsTimedToItsEndAndItsPollsCountedByTypeAndOutcomeWithHistograms() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").pending().success();
        client.script("op-2").pending().pending().fail("ACCESS_DENIED", "no");
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Boolean> histogram = new ConcurrentHashMap<>();
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                histogram.put(id.getName(), Boolean.TRUE.equals(config.isPercentileHistogram()));
                return config;
            }
        });
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new WatchTimings(meters, Tags.of("app", "test")));
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock).jitter(0)
                .pollBudget(RequestBudget.unlimited()).observationRegistry(observations).build();

        watcher.watch("op-1").subscribe();
        watcher.watch("op-2").subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(10));

        Timer succeeded = meters.get(WatchTimings.TIME_TO_TERMINAL)
                .tags("app", "test", "type", "REGISTER_INSTANCE", "outcome", "SUCCESS").timer();
        assertThat(succeeded.count()).isEqualTo(1);
        assertThat(succeeded.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500.0); // polls at 0 and 0.5 s
        Timer failed = meters.get(WatchTimings.TIME_TO_TERMINAL).tags("outcome", "FAIL").timer();
        assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500.0); // 0, 0.5, 1.5 s
        DistributionSummary polls = meters.get(WatchTimings.POLLS_PER_WATCH).tags("outcome", "FAIL").summary();
        assertThat(polls.count()).isEqualTo(1);
        assertThat(polls.totalAmount()).isEqualTo(3.0);
        assertThat(histogram).containsEntry(WatchTimings.TIME_TO_TERMINAL, true)
                .containsEntry(WatchTimings.POLLS_PER_WATCH, true);
    }
}
