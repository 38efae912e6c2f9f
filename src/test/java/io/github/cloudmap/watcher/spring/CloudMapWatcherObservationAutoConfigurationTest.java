package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.micrometer.WatchTimings;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The application's ObservationRegistry reaches the auto-configured watcher. */
class CloudMapWatcherObservationAutoConfigurationTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class,
                    CloudMapWatcherObservationAutoConfiguration.class))
            .withPropertyValues("cloudmap.watcher.metrics.enabled=false")
            .withBean(ServiceDiscoveryAsyncClient.class, () -> client)
            .withBean("virtualTime", OperationWatcherBuilderCustomizer.class, () -> builder -> builder.scheduler(clock));

    @Test
    void theApplicationsRegistryObservesEveryWatch() {
        client.script("op-1").success();
        TestObservationRegistry registry = TestObservationRegistry.create();

        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            context.getBean(OperationWatcher.class).watch("op-1").subscribe();
            clock.advanceTimeBy(Duration.ofSeconds(1));

            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("cloudmap.watcher.watch").that()
                    .hasLowCardinalityKeyValue("cloudmap.operation.outcome", "SUCCESS").hasBeenStopped();
            assertThat(context).doesNotHaveBean(WatchTimings.class);
        });
    }

    @Test
    void withAMeterRegistryTheTimingsHandlerIsABean() {
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(WatchTimings.class));
    }

    @Test
    void withoutARegistryNothingIsObserved() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(OperationWatcher.class);
            assertThat(context).doesNotHaveBean("cloudMapWatcherObservations");
            assertThat(context).doesNotHaveBean(WatchTimings.class);
        });
    }
}
