package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.micrometer.MicrometerWatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The auto-configuration, with {@link ApplicationContextRunner}: what it configures by default,
 * that every property reaches the watcher, that the application's own beans win, and that a bad
 * value stops startup with the property's name.
 */
class CloudMapWatcherAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class));

    private static ApplicationContextRunner withClient(ApplicationContextRunner runner,
            ScriptedServiceDiscoveryClient client) {
        return runner.withBean(ServiceDiscoveryAsyncClient.class, () -> client);
    }

    @Test
    void unsetPropertiesAreLeftToTheBuilder() {
        CloudMapWatcherProperties p = new CloudMapWatcherProperties();
        assertThat(p.isEnabled()).isTrue();
        assertThat(List.of(p.getPollInterval().getInitial() == null, p.getPollInterval().getMax() == null,
                p.getBackoffMultiplier() == null, p.getThrottleBackoffMultiplier() == null, p.getJitter() == null,
                p.getTimeout() == null, p.getNotFoundGrace() == null, p.getTransientRetry().getMaxAttempts() == null,
                p.getResubmission().getWait() == null)).containsOnly(true);
    }

    @Test
    void theRetryDefaultsAreTheBuildersDefaultPolicies() {
        assertSameRetry(WatcherPropertiesApplier.DEFAULT_TRANSIENT_RETRY_WAIT,
                OperationWatcherBuilder.defaultTransientRetry());
        assertSameRetry(WatcherPropertiesApplier.DEFAULT_RESUBMISSION_WAIT,
                OperationWatcherBuilder.defaultResubmission());
    }

    private static void assertSameRetry(Duration wait, RetryConfig expected) {
        IntervalFunction actual = IntervalFunction.ofExponentialBackoff(wait,
                WatcherPropertiesApplier.DEFAULT_RETRY_MULTIPLIER);
        for (int attempt = 1; attempt < 5; attempt++) {
            assertThat(actual.apply(attempt)).as("wait before attempt %d", attempt + 1)
                    .isEqualTo(expected.getIntervalBiFunction().apply(attempt, null));
        }
    }

    /** What IDEs show as defaults (the metadata the build generates) is what the builder does. */
    @Test
    void theDocumentedDefaultsAreTheBuildersDefaults() throws Exception {
        Map<String, Object> defaults = new HashMap<>();
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            JsonNode metadata = new ObjectMapper().readTree(in);
            metadata.get("properties").forEach(p -> {
                if (p.has("defaultValue")) {
                    defaults.put(p.get("name").asText(), p.get("defaultValue").asText());
                }
            });
        }
        ApplicationConversionService conversion = new ApplicationConversionService();
        java.util.function.Function<String, Duration> duration =
                name -> conversion.convert(defaults.get("cloudmap.watcher." + name), Duration.class);
        java.util.function.ToDoubleFunction<String> number =
                name -> Double.parseDouble((String) defaults.get("cloudmap.watcher." + name));
        assertThat(duration.apply("poll-interval.initial")).isEqualTo(OperationWatcherBuilder.DEFAULT_INITIAL_POLL_INTERVAL);
        assertThat(duration.apply("poll-interval.max")).isEqualTo(OperationWatcherBuilder.DEFAULT_MAX_POLL_INTERVAL);
        assertThat(number.applyAsDouble("backoff-multiplier")).isEqualTo(OperationWatcherBuilder.DEFAULT_BACKOFF_MULTIPLIER);
        assertThat(number.applyAsDouble("throttle-backoff-multiplier"))
                .isEqualTo(OperationWatcherBuilder.DEFAULT_THROTTLE_BACKOFF_MULTIPLIER);
        assertThat(number.applyAsDouble("jitter")).isEqualTo(OperationWatcherBuilder.DEFAULT_JITTER);
        assertThat(duration.apply("timeout")).isEqualTo(OperationWatcherBuilder.DEFAULT_TIMEOUT);
        assertThat(duration.apply("not-found-grace")).isEqualTo(OperationWatcherBuilder.DEFAULT_NOT_FOUND_GRACE);
        assertThat(number.applyAsDouble("transient-retry.max-attempts"))
                .isEqualTo(OperationWatcherBuilder.defaultTransientRetry().getMaxAttempts());
        assertThat(duration.apply("transient-retry.wait")).isEqualTo(WatcherPropertiesApplier.DEFAULT_TRANSIENT_RETRY_WAIT);
        assertThat(number.applyAsDouble("transient-retry.multiplier")).isEqualTo(WatcherPropertiesApplier.DEFAULT_RETRY_MULTIPLIER);
        assertThat(number.applyAsDouble("resubmission.max-attempts"))
                .isEqualTo(OperationWatcherBuilder.defaultResubmission().getMaxAttempts());
        assertThat(duration.apply("resubmission.wait")).isEqualTo(WatcherPropertiesApplier.DEFAULT_RESUBMISSION_WAIT);
        assertThat(number.applyAsDouble("resubmission.multiplier")).isEqualTo(WatcherPropertiesApplier.DEFAULT_RETRY_MULTIPLIER);
    }

    @Test
    void byDefaultTheWatcherBehavesAsOneBuiltWithTheBuildersDefaults() {
        ScriptedServiceDiscoveryClient client = WatchTrace.scriptedClient();
        WatchTrace.Recorder recorder = new WatchTrace.Recorder();
        withClient(runner, client)
                .withBean(WatchListener.class, () -> recorder)
                // the same jitter draws for both watchers
                .withBean(OperationWatcherBuilderCustomizer.class, () -> b -> b.random(new Random(7)))
                .run(context -> {
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.initialPollInterval()).isEqualTo(Duration.ofMillis(500));
                    assertThat(watcher.maxPollInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(watcher.timeout()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(watcher.notFoundGrace()).isEqualTo(Duration.ofSeconds(20));

                    WatchTrace.Recorder handRecorder = new WatchTrace.Recorder();
                    ScriptedServiceDiscoveryClient handClient = WatchTrace.scriptedClient();
                    OperationWatcher byHand = OperationWatcher.builder(handClient)
                            .random(new Random(7)).listener(handRecorder).build();
                    assertThat(WatchTrace.of(watcher, client, recorder))
                            .isEqualTo(WatchTrace.of(byHand, handClient, handRecorder));
                });
    }

    @Test
    void everyPropertyReachesTheWatcher() {
        ScriptedServiceDiscoveryClient client = WatchTrace.scriptedClient();
        WatchTrace.Recorder recorder = new WatchTrace.Recorder();
        withClient(runner, client)
                .withBean(WatchListener.class, () -> recorder)
                .withPropertyValues(
                        "cloudmap.watcher.poll-interval.initial=100ms",
                        "cloudmap.watcher.poll-interval.max=700ms",
                        "cloudmap.watcher.backoff-multiplier=3",
                        "cloudmap.watcher.throttle-backoff-multiplier=1.5",
                        "cloudmap.watcher.jitter=0",
                        "cloudmap.watcher.timeout=7s",
                        "cloudmap.watcher.overall-timeout=8s",
                        "cloudmap.watcher.coalesced-polling=2s",
                        "cloudmap.watcher.not-found-grace=3s",
                        "cloudmap.watcher.transient-retry.max-attempts=4",
                        "cloudmap.watcher.transient-retry.wait=50ms",
                        "cloudmap.watcher.transient-retry.multiplier=1.5",
                        "cloudmap.watcher.resubmission.max-attempts=4",
                        "cloudmap.watcher.resubmission.wait=3s",
                        "cloudmap.watcher.resubmission.multiplier=1")
                .run(context -> {
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.initialPollInterval()).isEqualTo(Duration.ofMillis(100));
                    assertThat(watcher.maxPollInterval()).isEqualTo(Duration.ofMillis(700));
                    assertThat(watcher.timeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(watcher.notFoundGrace()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(watcher.overallTimeout()).contains(Duration.ofSeconds(8));
                    assertThat(watcher.coalescedPolling()).contains(Duration.ofSeconds(2));

                    WatchTrace.Recorder handRecorder = new WatchTrace.Recorder();
                    ScriptedServiceDiscoveryClient handClient = WatchTrace.scriptedClient();
                    OperationWatcher byHand = OperationWatcher.builder(handClient)
                            .pollInterval(Duration.ofMillis(100), Duration.ofMillis(700))
                            .backoffMultiplier(3)
                            .throttleBackoffMultiplier(1.5)
                            .jitter(0)
                            .timeout(Duration.ofSeconds(7))
                            .overallTimeout(Duration.ofSeconds(8))
                            .coalescedPolling(Duration.ofSeconds(2))
                            .notFoundGrace(Duration.ofSeconds(3))
                            .transientRetry(RetryConfig.custom().maxAttempts(4)
                                    .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 1.5))
                                    .build())
                            .resubmission(RetryConfig.custom().maxAttempts(4)
                                    .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(3), 1.0))
                                    .build())
                            .listener(handRecorder)
                            .build();
                    List<String> fromProperties = WatchTrace.of(watcher, client, recorder);
                    assertThat(fromProperties).isEqualTo(WatchTrace.of(byHand, handClient, handRecorder));

                    // and the script tells these settings from the defaults, so the check can fail
                    WatchTrace.Recorder defaultRecorder = new WatchTrace.Recorder();
                    ScriptedServiceDiscoveryClient defaultClient = WatchTrace.scriptedClient();
                    OperationWatcher defaults = OperationWatcher.builder(defaultClient).jitter(0)
                            .listener(defaultRecorder).build();
                    List<String> fromDefaults = WatchTrace.of(defaults, defaultClient, defaultRecorder);
                    for (int i = 0; i < fromDefaults.size(); i++) {
                        assertThat(fromProperties.get(i)).as("trace line %d", i).isNotEqualTo(fromDefaults.get(i));
                    }
                });
    }

    @Test
    void withNoBudgetPropertyTheWatcherSharesItsClientsBudgets() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        withClient(runner, client).run(context -> {
            OperationWatcher watcher = context.getBean(OperationWatcher.class);
            OperationWatcher another = OperationWatcher.create(client);
            assertThat(watcher.pollBudget()).isSameAs(another.pollBudget());
            assertThat(watcher.submissionBudget()).isSameAs(another.submissionBudget());
        });
    }

    @Test
    void budgetPropertiesGiveTheWatcherBudgetsOfItsOwn() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        withClient(runner, client)
                .withPropertyValues(
                        "cloudmap.watcher.poll-budget.initial-rate=7",
                        "cloudmap.watcher.poll-budget.min-rate=2",
                        "cloudmap.watcher.poll-budget.max-rate=50",
                        "cloudmap.watcher.poll-budget.increase-step=1",
                        "cloudmap.watcher.poll-budget.decrease-factor=0.5",
                        "cloudmap.watcher.poll-budget.cut-window=2s",
                        "cloudmap.watcher.poll-budget.burst=3",
                        "cloudmap.watcher.poll-budget.slow-start=false",
                        "cloudmap.watcher.submission-budget.max-rate=4")
                .run(context -> {
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.pollBudget()).isNotSameAs(OperationWatcher.create(client).pollBudget());
                    assertThat(watcher.pollBudget().currentRate()).isEqualTo(7.0);
                    assertThat(watcher.submissionBudget().currentRate())
                            .as("the default start, 10/s, moved under the ceiling set").isEqualTo(4.0);
                });
    }

    @Test
    void aBudgetCanBeTurnedOff() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.poll-budget.enabled=false",
                        "cloudmap.watcher.submission-budget.enabled=false")
                .run(context -> {
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.pollBudget()).isSameAs(RequestBudget.unlimited());
                    assertThat(watcher.submissionBudget()).isSameAs(RequestBudget.unlimited());
                });
    }

    @Test
    void theApplicationsOwnWatcherWins() {
        OperationWatcher own = OperationWatcher.create(ScriptedServiceDiscoveryClient.create());
        runner.withPropertyValues("cloudmap.watcher.region=eu-west-1")
                .withBean(OperationWatcher.class, () -> own)
                .run(context -> {
                    assertThat(context).hasSingleBean(OperationWatcher.class)
                            .getBean(OperationWatcher.class).isSameAs(own);
                    assertThat(context).as("no client is built for a watcher that is not built")
                            .doesNotHaveBean(ServiceDiscoveryAsyncClient.class);
                });
    }

    @Test
    void theApplicationsOwnClientIsUsedAndNoneIsBuilt() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").success();
        withClient(runner, client).run(context -> {
            assertThat(context).hasSingleBean(ServiceDiscoveryAsyncClient.class)
                    .doesNotHaveBean("cloudMapServiceDiscoveryAsyncClient");
            context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(5));
            assertThat(client.getOperationCount("op-1")).isEqualTo(1);
        });
    }

    @Test
    void withoutAClientOneIsBuiltFromTheRegionAndEndpointProperties() {
        runner.withPropertyValues("cloudmap.watcher.region=eu-central-1",
                        "cloudmap.watcher.endpoint-url=http://127.0.0.1:4566")
                .run(context -> {
                    assertThat(context).hasSingleBean(OperationWatcher.class)
                            .hasBean("cloudMapServiceDiscoveryAsyncClient");
                    ServiceDiscoveryAsyncClient client = context.getBean(ServiceDiscoveryAsyncClient.class);
                    assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
                    assertThat(client.serviceClientConfiguration().endpointOverride())
                            .contains(URI.create("http://127.0.0.1:4566"));
                });
    }

    @Test
    void withoutAClientOrNettyNothingIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader(NettyNioAsyncHttpClient.class))
                .withPropertyValues("cloudmap.watcher.region=eu-west-1")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(ServiceDiscoveryAsyncClient.class)
                        .doesNotHaveBean(OperationWatcher.class));
    }

    @Test
    void enabledFalseConfiguresNothing() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OperationWatcher.class));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("cloudmap.watcher.poll-interval.initial=0ms", "cloudmap.watcher.poll-interval.initial"),
                Arguments.of("cloudmap.watcher.poll-interval.initial=20s", "cloudmap.watcher.poll-interval.initial"),
                Arguments.of("cloudmap.watcher.poll-interval.max=2d", "cloudmap.watcher.poll-interval.max"),
                Arguments.of("cloudmap.watcher.poll-interval.max=-1s", "cloudmap.watcher.poll-interval.max"),
                Arguments.of("cloudmap.watcher.backoff-multiplier=0.5", "cloudmap.watcher.backoff-multiplier"),
                Arguments.of("cloudmap.watcher.throttle-backoff-multiplier=101",
                        "cloudmap.watcher.throttle-backoff-multiplier"),
                Arguments.of("cloudmap.watcher.jitter=1", "cloudmap.watcher.jitter"),
                Arguments.of("cloudmap.watcher.timeout=0s", "cloudmap.watcher.timeout"),
                Arguments.of("cloudmap.watcher.timeout=5ms", "cloudmap.watcher.timeout"),
                Arguments.of("cloudmap.watcher.overall-timeout=2d", "cloudmap.watcher.overall-timeout"),
                Arguments.of("cloudmap.watcher.coalesced-polling=100ms", "cloudmap.watcher.coalesced-polling"),
                Arguments.of("cloudmap.watcher.poll-interval.initial=1ms", "cloudmap.watcher.poll-interval.initial"),
                Arguments.of("cloudmap.watcher.timeout=soon", "cloudmap.watcher.timeout"),
                Arguments.of("cloudmap.watcher.not-found-grace=-1s", "cloudmap.watcher.not-found-grace"),
                Arguments.of("cloudmap.watcher.transient-retry.max-attempts=0",
                        "cloudmap.watcher.transient-retry.max-attempts"),
                Arguments.of("cloudmap.watcher.transient-retry.wait=0ms", "cloudmap.watcher.transient-retry.wait"),
                Arguments.of("cloudmap.watcher.transient-retry.multiplier=0.5",
                        "cloudmap.watcher.transient-retry.multiplier"),
                Arguments.of("cloudmap.watcher.resubmission.max-attempts=-2",
                        "cloudmap.watcher.resubmission.max-attempts"),
                Arguments.of("cloudmap.watcher.resubmission.wait=-1s", "cloudmap.watcher.resubmission.wait"),
                Arguments.of("cloudmap.watcher.poll-budget.min-rate=0", "cloudmap.watcher.poll-budget.min-rate"),
                Arguments.of("cloudmap.watcher.poll-budget.max-rate=2000000", "cloudmap.watcher.poll-budget.max-rate"),
                Arguments.of("cloudmap.watcher.poll-budget.initial-rate=500", "cloudmap.watcher.poll-budget.initial-rate"),
                Arguments.of("cloudmap.watcher.poll-budget.decrease-factor=1.5",
                        "cloudmap.watcher.poll-budget.decrease-factor"),
                Arguments.of("cloudmap.watcher.poll-budget.cut-window=0s", "cloudmap.watcher.poll-budget.cut-window"),
                Arguments.of("cloudmap.watcher.submission-budget.burst=0", "cloudmap.watcher.submission-budget.burst"),
                Arguments.of("cloudmap.watcher.submission-budget.increase-step=-1",
                        "cloudmap.watcher.submission-budget.increase-step"));
    }

    static Stream<Arguments> conflictingValues() {
        return Stream.of(
                Arguments.of(List.of("cloudmap.watcher.timeout=30s", "cloudmap.watcher.poll-interval.max=1m"),
                        "cloudmap.watcher.poll-interval.max"),
                Arguments.of(List.of("cloudmap.watcher.poll-interval.max=1m", "cloudmap.watcher.timeout=30s"),
                        "cloudmap.watcher.poll-interval.max"),
                Arguments.of(List.of("cloudmap.watcher.timeout=30s", "cloudmap.watcher.not-found-grace=1m"),
                        "cloudmap.watcher.not-found-grace"));
    }

    @Test
    void aFloorAboveTheCeilingStopsStartupNamingTheBudget() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.poll-budget.min-rate=50", "cloudmap.watcher.poll-budget.max-rate=10")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure))
                                .contains("cloudmap.watcher.poll-budget.", "minRate (50.0) must be <= maxRate (10.0)")));
    }

    /** The builder weighs some settings against each other when it builds; the message still names one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("conflictingValues")
    void settingsThatConflictStopStartupNamingTheProperty(List<String> settings, String property) {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues(settings.toArray(String[]::new))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure)).contains(property, "PT30S")));
    }

    @Test
    void aShortTimeoutAloneIsNoConflict() {
        // The builder's defaults for the poll cap and the grace window adapt to a short timeout;
        // properties left unset must not pin them at their usual values.
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.timeout=2s")
                .run(context -> assertThat(context).hasNotFailed().getBean(OperationWatcher.class)
                        .satisfies(w -> assertThat(w.maxPollInterval()).isLessThanOrEqualTo(Duration.ofSeconds(2))));
    }

    @Test
    void aCustomizersOwnMistakeIsReportedAsItsOwn() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withBean(OperationWatcherBuilderCustomizer.class,
                        () -> b -> b.pollInterval(Duration.ofMinutes(1), Duration.ofMinutes(1)))
                .withPropertyValues("cloudmap.watcher.timeout=30s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure)).doesNotContain("Property cloudmap.watcher")
                                .contains("max poll interval")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueStopsStartupNamingTheProperty(String setting, String property) {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues(setting)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure)).contains(property)));
    }

    @Test
    void aBadMaxPollIntervalIsReportedAsTheMax() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.poll-interval.max=-1s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure))
                                .contains("Property cloudmap.watcher.poll-interval.max", "max poll interval must be positive")));
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"127.0.0.1:4566", "/relative", "ftp://127.0.0.1:4566"})
    void aBadEndpointStopsStartupNamingTheProperty(String endpoint) {
        runner.withPropertyValues("cloudmap.watcher.region=eu-west-1", "cloudmap.watcher.endpoint-url=" + endpoint)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure)).contains("cloudmap.watcher.endpoint-url")));
    }

    @Test
    void noRegionAnywhereStopsStartupNamingTheRegionProperty() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null
                && System.getenv("AWS_DEFAULT_REGION") == null, "a Region is set in the environment");
        // No profile file and no instance metadata: the default chain has nowhere to look.
        String[] keys = {"aws.configFile", "aws.sharedCredentialsFile", "aws.disableEc2Metadata", "aws.region"};
        String[] saved = Stream.of(keys).map(System::getProperty).toArray(String[]::new);
        System.setProperty("aws.configFile", "/nonexistent/cloudmap-watcher-test/config");
        System.setProperty("aws.sharedCredentialsFile", "/nonexistent/cloudmap-watcher-test/credentials");
        System.setProperty("aws.disableEc2Metadata", "true");
        System.clearProperty("aws.region");
        try {
            runner.run(context -> assertThat(context).hasFailed().getFailure()
                    .satisfies(failure -> assertThat(messages(failure)).contains("cloudmap.watcher.region")));
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }

    @Test
    void everyListenerBeanHearsTheWatcherEvenWhenOneThrows() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").pending().success();
        AtomicInteger polls = new AtomicInteger();
        withClient(runner, client)
                .withBean("failing", WatchListener.class, () -> new FailingListener())
                .withBean("counting", WatchListener.class, () -> new WatchListener() {
                    @Override
                    public void onPoll(String operationId) {
                        polls.incrementAndGet();
                    }
                })
                .withPropertyValues("cloudmap.watcher.poll-interval.initial=10ms", "cloudmap.watcher.jitter=0")
                .run(context -> {
                    context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(5));
                    assertThat(polls).hasValue(2);
                });
    }

    @Order(1)
    static final class FailingListener implements WatchListener {
        @Override
        public void onPoll(String operationId) {
            throw new IllegalStateException("a broken metrics listener");
        }
    }

    @Test
    void withAMeterRegistryTheWatcherPublishesCounters() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").success();
        withClient(runner, client)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(MicrometerWatchListener.class);
                    context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(5));
                    assertThat(context.getBean(MeterRegistry.class).counter("cloudmap.watcher.polls").count())
                            .isEqualTo(1.0);
                });
    }

    @Test
    void springBootsOwnMeterRegistryIsSeenWhateverTheOrderOfAutoConfigurations() {
        withClient(new ApplicationContextRunner(), ScriptedServiceDiscoveryClient.create())
                .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        MetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(MeterRegistry.class)
                        .hasSingleBean(MicrometerWatchListener.class));
    }

    @Test
    void withAMeterRegistryTheBudgetsArePublished() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("cloudmap.watcher.poll-budget.initial-rate=9")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("cloudmap.watcher.budget.rate").tag("quota", "GetOperation").gauge().value())
                            .isEqualTo(9.0);
                    assertThat(registry.get("cloudmap.watcher.budget.rate").tag("quota", "submission").gauge().value())
                            .isEqualTo(10.0);
                });
    }

    @Test
    void withoutAMeterRegistryOrWithMetricsOffThereAreNoCounters() {
        ApplicationContextRunner base = withClient(runner, ScriptedServiceDiscoveryClient.create());
        base.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerWatchListener.class));
        base.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("cloudmap.watcher.metrics.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerWatchListener.class)
                            .doesNotHaveBean("cloudMapWatcherBudgetMetrics");
                    assertThat(context.getBean(MeterRegistry.class).find("cloudmap.watcher.budget.rate").gauges()).isEmpty();
                });
        base.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(OperationWatcher.class)
                        .doesNotHaveBean(MicrometerWatchListener.class));
    }

    @Test
    void theApplicationsOwnMicrometerListenerWins() {
        MicrometerWatchListener own = new MicrometerWatchListener(new SimpleMeterRegistry());
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(MicrometerWatchListener.class, () -> own)
                .run(context -> assertThat(context).getBean(MicrometerWatchListener.class).isSameAs(own));
    }

    // ---- issue 13, item 10 ----

    @Test
    void withTwoClientsTheWatcherUsesThePrimaryOne() {
        ScriptedServiceDiscoveryClient primary = ScriptedServiceDiscoveryClient.create();
        ScriptedServiceDiscoveryClient other = ScriptedServiceDiscoveryClient.create();
        primary.script("op-1").success();
        runner.withBean("otherClient", ServiceDiscoveryAsyncClient.class, () -> other)
                .withBean("primaryClient", ServiceDiscoveryAsyncClient.class, () -> primary, d -> d.setPrimary(true))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(OperationWatcher.class);
                    context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(5));
                    assertThat(primary.getOperationCount("op-1")).isEqualTo(1);
                    assertThat(other.getOperationCount("op-1")).isZero();
                });
    }

    @Test
    void withTwoClientsAndNoPrimaryTheWatcherBacksOffSayingHowToChoose() {
        runner.withBean("clientA", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create)
                .withBean("clientB", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(OperationWatcher.class);
                    String report = org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport
                            .get(context.getBeanFactory()).getConditionAndOutcomesBySource().entrySet().stream()
                            .filter(e -> e.getKey().contains("operationWatcher"))
                            .flatMap(e -> java.util.stream.StreamSupport.stream(e.getValue().spliterator(), false))
                            .map(outcome -> outcome.getOutcome().getMessage())
                            .collect(java.util.stream.Collectors.joining("\n"));
                    assertThat(report).contains("clientA", "clientB", "@Primary", "cloudmap.watcher.client-bean");
                });
    }

    @Test
    void withTwoClientsAPropertyNamesTheOneToUse() {
        ScriptedServiceDiscoveryClient chosen = ScriptedServiceDiscoveryClient.create();
        chosen.script("op-1").success();
        runner.withBean("clientA", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create,
                        d -> d.setPrimary(true))
                .withBean("clientB", ServiceDiscoveryAsyncClient.class, () -> chosen)
                .withPropertyValues("cloudmap.watcher.client-bean=clientB")
                .run(context -> {
                    context.getBean(OperationWatcher.class).awaitTerminal("op-1").block(Duration.ofSeconds(5));
                    assertThat(chosen.getOperationCount("op-1")).isEqualTo(1);
                });
        runner.withBean("clientA", ServiceDiscoveryAsyncClient.class, ScriptedServiceDiscoveryClient::create)
                .withPropertyValues("cloudmap.watcher.client-bean=clientC")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .satisfies(failure -> assertThat(messages(failure))
                                .contains("cloudmap.watcher.client-bean", "clientA")));
    }

    @Test
    void anUnsetMaxPollIntervalAdaptsToAShortTimeoutAsTheBuildersDefaultDoes() {
        withClient(runner, ScriptedServiceDiscoveryClient.create())
                .withPropertyValues("cloudmap.watcher.timeout=5s", "cloudmap.watcher.poll-interval.initial=1s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    OperationWatcher watcher = context.getBean(OperationWatcher.class);
                    assertThat(watcher.initialPollInterval()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(watcher.maxPollInterval()).as("the builder's default cap, shrunk to the timeout")
                            .isEqualTo(OperationWatcher.builder(ScriptedServiceDiscoveryClient.create())
                                    .timeout(Duration.ofSeconds(5)).build().maxPollInterval());
                });
    }

    /**
     * Every default the metadata shows (what IDEs show) is the code's: each property with a
     * default is checked against the constant it stands for, and a property with a default
     * that nothing here checks fails the test, so the two cannot drift apart.
     */
    @Test
    void everyDefaultInTheMetadataIsTheCodesDefault() throws Exception {
        Map<String, String> metadata = new java.util.TreeMap<>();
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            new ObjectMapper().readTree(in).get("properties").forEach(p -> {
                if (p.has("defaultValue")) {
                    metadata.put(p.get("name").asText(), p.get("defaultValue").asText());
                }
            });
        }
        Map<String, Object> code = new java.util.TreeMap<>();
        String w = "cloudmap.watcher.";
        code.put(w + "enabled", true);
        code.put(w + "metrics.enabled", true);
        code.put("management.health.cloudmap-watcher.enabled", true);
        code.put("management.info.cloudmap-watcher.enabled", true);
        code.put(w + "poll-interval.initial", OperationWatcherBuilder.DEFAULT_INITIAL_POLL_INTERVAL);
        code.put(w + "poll-interval.max", OperationWatcherBuilder.DEFAULT_MAX_POLL_INTERVAL);
        code.put(w + "backoff-multiplier", OperationWatcherBuilder.DEFAULT_BACKOFF_MULTIPLIER);
        code.put(w + "throttle-backoff-multiplier", OperationWatcherBuilder.DEFAULT_THROTTLE_BACKOFF_MULTIPLIER);
        code.put(w + "jitter", OperationWatcherBuilder.DEFAULT_JITTER);
        code.put(w + "timeout", OperationWatcherBuilder.DEFAULT_TIMEOUT);
        code.put(w + "not-found-grace", OperationWatcherBuilder.DEFAULT_NOT_FOUND_GRACE);
        for (var retry : Map.of("transient-retry", OperationWatcherBuilder.defaultTransientRetry(),
                "resubmission", OperationWatcherBuilder.defaultResubmission()).entrySet()) {
            RetryConfig config = retry.getValue();
            long first = config.getIntervalBiFunction().apply(1, null);
            long second = config.getIntervalBiFunction().apply(2, null);
            code.put(w + retry.getKey() + ".max-attempts", config.getMaxAttempts());
            code.put(w + retry.getKey() + ".wait", Duration.ofMillis(first));
            code.put(w + retry.getKey() + ".multiplier", (double) second / first);
        }
        io.github.cloudmap.watcher.AdaptiveBudgetConfig submissions = defaultConfig(
                io.github.cloudmap.watcher.internal.WatchEngine.defaultSubmissionBudget(new Object()));
        for (var budget : Map.of("poll-budget", defaultConfig(
                io.github.cloudmap.watcher.internal.WatchEngine.defaultPollBudget(new Object())),
                "submission-budget", submissions).entrySet()) {
            io.github.cloudmap.watcher.AdaptiveBudgetConfig c = budget.getValue();
            String b = w + budget.getKey() + ".";
            code.put(b + "enabled", true);
            code.put(b + "initial-rate", c.initialRate());
            code.put(b + "min-rate", c.minRate());
            code.put(b + "max-rate", c.maxRate());
            code.put(b + "increase-step", c.increaseStep());
            code.put(b + "decrease-factor", c.decreaseFactor());
            code.put(b + "cut-window", c.cutWindow());
            code.put(b + "burst", c.burst());
            code.put(b + "slow-start", c.slowStart());
        }
        assertThat(WatcherPropertiesApplier.SUBMISSION_BUDGET_DEFAULTS.toString())
                .as("the applier's submission defaults are the watcher's own").isEqualTo(submissions.toString());
        String r = w + "poll-budget.redis.";
        code.put(r + "key-prefix", io.github.cloudmap.watcher.redis.RedisBudget.DEFAULT_KEY_PREFIX);
        code.put(r + "timeout", io.github.cloudmap.watcher.redis.RedisBudget.DEFAULT_REDIS_TIMEOUT);
        code.put(r + "retry-interval", io.github.cloudmap.watcher.redis.RedisBudget.DEFAULT_RETRY_INTERVAL);

        ApplicationConversionService conversion = new ApplicationConversionService();
        List<String> wrong = new java.util.ArrayList<>();
        code.forEach((name, expected) -> {
            String shown = metadata.get(name);
            Object value = shown == null ? null : conversion.convert(shown, expected.getClass());
            boolean same = expected instanceof Double d ? value != null && Math.abs((Double) value - d) < 1e-9
                    : expected.equals(value);
            if (!same) {
                wrong.add(name + ": metadata " + shown + ", code " + expected);
            }
        });
        assertThat(wrong).as("defaults that differ").isEmpty();
        // Registration's defaults are checked against its own properties by
        // CloudMapRegistrationAutoConfigurationTest.
        assertThat(metadata.keySet().stream().filter(name -> !name.startsWith(w + "registration.")
                        && !name.equals("management.health.cloudmap-registration.enabled")))
                .as("defaults in the metadata that nothing checks")
                .containsExactlyInAnyOrderElementsOf(code.keySet());
    }

    /** The settings of one of the watcher's default budgets (AdaptiveBudget.config(), not public). */
    private static io.github.cloudmap.watcher.AdaptiveBudgetConfig defaultConfig(RequestBudget budget) throws Exception {
        java.lang.reflect.Method config = budget.getClass().getDeclaredMethod("config");
        config.setAccessible(true);
        return (io.github.cloudmap.watcher.AdaptiveBudgetConfig) config.invoke(budget);
    }
}
