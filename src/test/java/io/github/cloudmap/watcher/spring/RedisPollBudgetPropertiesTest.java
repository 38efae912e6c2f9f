package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryServiceClientConfiguration;

/**
 * {@code cloudmap.watcher.poll-budget.redis.*}: a fleet budget through Redis from properties,
 * checked at startup with the property named and never the password shown, and nothing of it
 * without Lettuce. Nothing here reaches a Redis (127.0.0.1:1 refuses at once, and the budget
 * serves from its local fallback); {@code SpringRedisPollBudgetIT} runs one on a real server.
 */
class RedisPollBudgetPropertiesTest {

    private static final String R = "cloudmap.watcher.poll-budget.redis.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class))
            .withBean(ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create);

    @Test
    void aUrlGivesTheWatcherAFleetBudgetWithTheAdaptiveProperties() {
        runner.withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012", R + "region=eu-west-1",
                        R + "key-prefix=orders", R + "timeout=100ms", R + "retry-interval=2s",
                        "cloudmap.watcher.poll-budget.initial-rate=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.pollBudget().getClass().getSimpleName()).isEqualTo("RedisBudget");
                    assertThat(watcher.pollBudget().toString()).contains("redis://127.0.0.1:1/0",
                            "orders", "{123456789012:eu-west-1}");
                    assertThat(watcher.pollBudget().currentRate()).as("on its local fallback, at the rate set")
                            .isEqualTo(7.0);
                });
    }

    @Test
    void theRegionDefaultsToTheWatcherRegionPropertyThenToTheClients() {
        runner.withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012",
                        "cloudmap.watcher.region=ap-southeast-2")
                .run(context -> assertThat(context.getBean(OperationWatcher.class).pollBudget().toString())
                        .contains("{123456789012:ap-southeast-2}"));
        ServiceDiscoveryAsyncClient inSydney = new ServiceDiscoveryAsyncClient() {
            @Override
            public ServiceDiscoveryServiceClientConfiguration serviceClientConfiguration() {
                return ServiceDiscoveryServiceClientConfiguration.builder().region(Region.AP_SOUTHEAST_2).build();
            }

            @Override
            public String serviceName() {
                return "servicediscovery";
            }

            @Override
            public void close() {
            }
        };
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class))
                .withBean(ServiceDiscoveryAsyncClient.class, () -> inSydney)
                .withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012")
                .run(context -> assertThat(context.getBean(OperationWatcher.class).pollBudget().toString())
                        .contains("{123456789012:ap-southeast-2}"));
        runner.withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012")
                .run(context -> assertThat(context).as("a client that names no Region").hasFailed().getFailure()
                        .hasStackTraceContaining(R + "region"));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(R + "url=http://cache.internal:6379", R + "url"),
                Arguments.of(R + "url=redis://:Zx9#Qw7@cache.internal:6379", R + "url"),
                Arguments.of(R + "url=redis://fleet:Zx9Qw7@cache.internal:port", R + "url"),
                Arguments.of(R + "account=", R + "account"),
                Arguments.of(R + "account=1234 5678", R + "account"),
                Arguments.of(R + "region=eu west", R + "region"),
                Arguments.of(R + "key-prefix=a{b}", R + "key-prefix"),
                Arguments.of(R + "timeout=0ms", R + "timeout"),
                Arguments.of(R + "retry-interval=5m", R + "retry-interval"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueStopsStartupNamingThePropertyAndNeverThePassword(String setting, String property) {
        String url = setting.startsWith(R + "url=") ? setting : R + "url=redis://fleet:Zx9Qw7@127.0.0.1:1";
        String account = setting.startsWith(R + "account=") ? setting : R + "account=123456789012";
        runner.withPropertyValues(url, account, R + "region=eu-west-1", setting)
                .run(context -> assertThat(context).hasFailed().getFailure().satisfies(failure -> {
                    StringBuilder all = new StringBuilder();
                    for (Throwable t = failure; t != null; t = t.getCause()) {
                        all.append(t).append('\n');
                    }
                    assertThat(all).contains(property).doesNotContain("Zx9");
                }));
    }

    @Test
    void aFleetBudgetAndAnUnlimitedOneAreRefusedTogether() {
        runner.withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012", R + "region=eu-west-1",
                        "cloudmap.watcher.poll-budget.enabled=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("cloudmap.watcher.poll-budget.enabled"));
    }

    @Test
    void withoutAUrlOrWithoutLettuceThereIsNoFleetBudget() {
        runner.run(context -> assertThat(context.getBean(OperationWatcher.class).pollBudget().getClass().getSimpleName())
                .isNotEqualTo("RedisBudget"));
        runner.withClassLoader(new FilteredClassLoader("io.lettuce.core"))
                .withPropertyValues(R + "url=redis://127.0.0.1:1", R + "account=123456789012", R + "region=eu-west-1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(OperationWatcher.class).pollBudget().getClass().getSimpleName())
                            .isNotEqualTo("RedisBudget");
                });
    }

    @Test
    void onlyThePollBudgetIsSharedThroughRedis() {
        runner.withPropertyValues("cloudmap.watcher.submission-budget.redis.url=redis://:Zx9Qw7@127.0.0.1:1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("cloudmap.watcher.submission-budget.redis.url")
                        .hasStackTraceContaining("poll-budget.redis.url")
                        .satisfies(f -> assertThat(org.assertj.core.util.Throwables.getStackTrace(f)).doesNotContain("Zx9")));
    }

    @Test
    void noFleetBudgetIsBuiltForAWatcherThatIsNotConfiguredHere() {
        String[] redis = {R + "url=redis://127.0.0.1:1", R + "account=123456789012", R + "region=eu-west-1"};
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class))
                .withBean("clientA", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create)
                .withBean("clientB", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create)
                .withPropertyValues(redis)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OperationWatcher.class)
                        .doesNotHaveBean("cloudMapWatcherRedisPollBudget"));
        runner.withBean(OperationWatcher.class, () -> OperationWatcher.create(ScriptedServiceDiscoveryClient.create()))
                .withPropertyValues(redis)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("cloudMapWatcherRedisPollBudget"));
    }
}
