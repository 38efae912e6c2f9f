package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** Actuator's health indicator and info contributor for the watcher, present and absent. */
class CloudMapWatcherActuatorAutoConfigurationTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class,
                    CloudMapWatcherActuatorAutoConfiguration.class))
            .withBean(ServiceDiscoveryAsyncClient.class, () -> client);

    @Test
    void healthReportsTheRunningPollLoopsAndNothingElse() {
        client.script("op-1").hang();
        runner.run(context -> {
            OperationWatcherHealthIndicator indicator = context.getBean(OperationWatcherHealthIndicator.class);
            assertThat(context.getBeanNamesForType(OperationWatcherHealthIndicator.class))
                    .containsExactly("cloudMapWatcherHealthIndicator");
            assertThat(indicator.health().getDetails()).containsEntry("runningPollLoops", 0);

            Disposable watch = context.getBean(OperationWatcher.class).watch("op-1").subscribe();
            try {
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                        .containsOnlyKeys("runningPollLoops", "pollBudget", "submissionBudget", "timeout")
                        .containsEntry("runningPollLoops", 1).containsEntry("timeout", "PT5M")
                        .containsEntry("submissionBudget", Map.of("rate", 10.0, "waiting", 0, "cuts", 0L));
                assertThat(health.getDetails().get("pollBudget")).asInstanceOf(
                        org.assertj.core.api.InstanceOfAssertFactories.MAP).containsOnlyKeys("rate", "waiting", "cuts");
            } finally {
                watch.dispose();
            }
            assertThat(indicator.health().getDetails()).containsEntry("runningPollLoops", 0);
        });
    }

    @Test
    void healthReportsTheBudgetsRatesAsConfigured() {
        runner.withPropertyValues("cloudmap.watcher.poll-budget.initial-rate=12.5",
                "cloudmap.watcher.submission-budget.enabled=false").run(context -> {
            Map<String, Object> details = context.getBean(OperationWatcherHealthIndicator.class).health().getDetails();
            assertThat(details.get("pollBudget")).isEqualTo(Map.of("rate", 12.5, "waiting", 0, "cuts", 0L));
            assertThat(details.get("submissionBudget")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("waiting", 0);
        });
    }

    @Test
    void infoReportsTheSettings() {
        runner.withPropertyValues("cloudmap.watcher.timeout=2m", "cloudmap.watcher.poll-budget.initial-rate=5",
                "cloudmap.watcher.submission-budget.initial-rate=3").run(context -> {
            Info.Builder builder = new Info.Builder();
            context.getBean(OperationWatcherInfoContributor.class).contribute(builder);
            assertThat(builder.build().getDetails()).containsOnlyKeys("cloudmap-watcher");
            assertThat(builder.build().get("cloudmap-watcher")).isEqualTo(Map.of(
                    "runningPollLoops", 0, "initialPollInterval", "PT0.5S", "maxPollInterval", "PT10S",
                    "timeout", "PT2M", "notFoundGrace", "PT20S",
                    "pollBudget", Map.of("rate", 5.0, "waiting", 0, "cuts", 0L),
                    "submissionBudget", Map.of("rate", 3.0, "waiting", 0, "cuts", 0L)));
        });
    }

    @Test
    void theApplicationsOwnWatcherIsReportedToo() {
        OperationWatcher own = OperationWatcher.create(client);
        client.script("op-1").hang();
        runner.withBean(OperationWatcher.class, () -> own).run(context -> {
            Disposable watch = own.watch("op-1").subscribe();
            try {
                assertThat(context.getBean(OperationWatcherHealthIndicator.class).health().getDetails())
                        .containsEntry("runningPollLoops", 1);
            } finally {
                watch.dispose();
            }
        });
    }

    @Test
    void withoutActuatorThereIsNeitherHealthNorInfo() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(OperationWatcher.class)
                        .doesNotHaveBean(OperationWatcherHealthIndicator.class)
                        .doesNotHaveBean(OperationWatcherInfoContributor.class));
    }

    @Test
    void eachCanBeTurnedOff() {
        runner.withPropertyValues("management.health.cloudmap-watcher.enabled=false",
                        "management.info.cloudmap-watcher.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(OperationWatcher.class)
                        .doesNotHaveBean(OperationWatcherHealthIndicator.class)
                        .doesNotHaveBean(OperationWatcherInfoContributor.class));
    }

    @Test
    void withoutAWatcherThereIsNothingToReport() {
        runner.withPropertyValues("cloudmap.watcher.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(OperationWatcherHealthIndicator.class)
                        .doesNotHaveBean(OperationWatcherInfoContributor.class));
    }

    @Test
    void anUnlimitedBudgetIsShownAsUnlimited() {
        runner.withPropertyValues("cloudmap.watcher.poll-budget.enabled=false",
                "cloudmap.watcher.submission-budget.enabled=false").run(context -> {
            Map<String, Object> health = context.getBean(OperationWatcherHealthIndicator.class).health().getDetails();
            Info.Builder info = new Info.Builder();
            context.getBean(OperationWatcherInfoContributor.class).contribute(info);
            @SuppressWarnings("unchecked")
            Map<String, Object> infoDetails = (Map<String, Object>) info.build().get("cloudmap-watcher");
            for (Map<String, Object> details : java.util.List.of(health, infoDetails)) {
                for (String budget : new String[] {"pollBudget", "submissionBudget"}) {
                    assertThat(details.get(budget)).isEqualTo(Map.of("rate", "unlimited", "waiting", 0, "cuts", 0L));
                }
            }
        });
    }
}
