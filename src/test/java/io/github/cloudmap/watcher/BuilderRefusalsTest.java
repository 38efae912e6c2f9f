package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Settings the watcher could not honour are refused with a message, not accepted silently: a
 * poll interval below 10 ms, a poll cap or not-found grace window longer than the deadline, a
 * Resilience4j policy that retries on results. Defaults adapt to a short timeout instead.
 */
class BuilderRefusalsTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final OperationWatcherBuilder builder = OperationWatcher.builder(client);

    @Test
    void aPollIntervalBelowTenMillisecondsIsRefusedWithTheMinimumAndTheValue() {
        assertThatThrownBy(() -> builder.pollInterval(Duration.ofNanos(1), Duration.ofNanos(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("initial poll interval must be at least PT0.01S, but was PT0.000000001S")
                .hasMessageContaining("GetOperation quota");
        assertThatThrownBy(() -> builder.pollInterval(Duration.ofMillis(10), Duration.ofMillis(9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max poll interval must be at least PT0.01S, but was PT0.009S");
        assertThat(builder.pollInterval(Duration.ofMillis(10), Duration.ofMillis(10)).build().initialPollInterval())
                .isEqualTo(OperationWatcherBuilder.MIN_POLL_INTERVAL);
    }

    @Test
    void aTimeoutBelowTenMillisecondsIsRefused() {
        assertThatThrownBy(() -> builder.timeout(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be at least PT0.01S, but was PT0.001S");
        assertThatThrownBy(() -> builder.overallTimeout(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overallTimeout must be at least PT0.01S, but was PT0.001S");
        assertThatThrownBy(() -> builder.overallTimeout(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most PT24H");
    }

    @Test
    void aPollCapLongerThanTheTimeoutIsRefusedAtBuildNamingBoth() {
        builder.pollInterval(Duration.ofSeconds(1), Duration.ofSeconds(30)).timeout(Duration.ofSeconds(20));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max poll interval (PT30S) must not be longer than the timeout (PT20S)");
        assertThat(builder.timeout(Duration.ofSeconds(30)).build().maxPollInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aGraceWindowLongerThanTheTimeoutIsRefusedAtBuildNamingBoth() {
        builder.notFoundGrace(Duration.ofMinutes(1)).timeout(Duration.ofSeconds(30));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("notFoundGrace (PT1M) must not be longer than the timeout (PT30S)");
    }

    @Test
    void theDefaultCapAndGraceWindowAdaptToAShortTimeout() {
        OperationWatcher watcher = builder.timeout(Duration.ofSeconds(5)).build();

        assertThat(watcher.maxPollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(watcher.initialPollInterval()).isEqualTo(OperationWatcherBuilder.DEFAULT_INITIAL_POLL_INTERVAL);
        assertThat(watcher.notFoundGrace()).isEqualTo(Duration.ofSeconds(5));

        OperationWatcher tiny = builder.timeout(Duration.ofMillis(200)).build();
        assertThat(tiny.maxPollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(tiny.initialPollInterval()).isEqualTo(Duration.ofMillis(200));

        OperationWatcher defaults = OperationWatcher.create(client);
        assertThat(defaults.maxPollInterval()).isEqualTo(OperationWatcherBuilder.DEFAULT_MAX_POLL_INTERVAL);
        assertThat(defaults.notFoundGrace()).isEqualTo(OperationWatcherBuilder.DEFAULT_NOT_FOUND_GRACE);
    }

    @Test
    void aTransientRetryThatRetriesOnResultsIsRefused() {
        RetryConfig onResult = RetryConfig.custom().retryOnResult(result -> true).build();

        assertThatThrownBy(() -> builder.transientRetry(onResult))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transientRetry (Retry '" + OperationWatcherBuilder.TRANSIENT_RETRY_NAME
                        + "') has a retryOnResult predicate, which the watcher cannot honour");
        assertThatThrownBy(() -> builder.transientRetry(Retry.of("mine", onResult)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transientRetry (Retry 'mine') has a retryOnResult predicate");
    }

    @Test
    void aResubmissionThatRetriesOnResultsIsRefused() {
        RetryConfig onResult = RetryConfig.from(OperationWatcherBuilder.defaultResubmission())
                .retryOnResult(result -> true).build();

        assertThatThrownBy(() -> builder.resubmission(onResult))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("resubmission (Retry '" + OperationWatcherBuilder.RESUBMISSION_NAME
                        + "') has a retryOnResult predicate");
        assertThatThrownBy(() -> builder.resubmission(Retry.of("mine", onResult)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("build the RetryConfig without retryOnResult");
        assertThat(builder.resubmission(RetryConfig.custom().maxAttempts(5).build()).build()).isNotNull();
    }
}
