package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * The implementation stays behind one door: the only public types of this package are the
 * access point the public API needs ({@link WatchEngine}, the {@link WatchSettings} it takes, the
 * {@link Arguments} checks), and the settings' constructor validates what it is given.
 */
class InternalsTest {

    @Test
    void onlyTheAccessPointsArePublic() throws IOException, URISyntaxException {
        Path folder = Path.of(WatchEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/github/cloudmap/watcher/internal");
        try (Stream<Path> files = Files.list(folder)) {
            Stream<String> publicTopLevel = files
                    .map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .filter(name -> Modifier.isPublic(load(name).getModifiers()));
            // Clocks and RateRule: the monotonic clock and the rate rule the redis integration shares.
            assertThat(publicTopLevel).containsExactlyInAnyOrder("WatchEngine", "WatchSettings", "Arguments", "Clocks",
                    "RateRule");
        }
        assertThat(Modifier.isPublic(FailureClassifier.class.getModifiers())).isFalse();
        assertThat(Modifier.isPublic(OperationPoller.class.getModifiers())).isFalse();
        assertThat(Modifier.isPublic(Resubmitter.class.getModifiers())).isFalse();
    }

    private static Class<?> load(String simpleName) {
        try {
            return Class.forName("io.github.cloudmap.watcher.internal." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void settingsRefuseWhatTheBuilderRefuses() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        Retry plain = Retry.of("t", OperationWatcherBuilder.defaultTransientRetry());
        Retry onResult = Retry.of("r", RetryConfig.custom().retryOnResult(r -> true).build());

        assertThatThrownBy(() -> settings(client, Duration.ofNanos(1), Duration.ofMinutes(5), Duration.ZERO, plain))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least PT0.01S");
        assertThatThrownBy(() -> settings(client, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ZERO, plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max poll interval (PT10S) must not be longer than the timeout (PT5S)");
        assertThatThrownBy(() -> settings(client, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1),
                plain)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("notFoundGrace (PT1H)");
        assertThatThrownBy(() -> settings(client, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO,
                onResult)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryOnResult");
        assertThatThrownBy(() -> settings(null, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO, plain))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("client");
        assertThat(settings(client, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO, plain).listener())
                .as("the listener is guarded").isInstanceOf(GuardedListener.class);
    }

    private static WatchSettings settings(ScriptedServiceDiscoveryClient client, Duration initial, Duration timeout,
                                          Duration grace, Retry transientRetry) {
        return new WatchSettings(client, initial, Duration.ofSeconds(10), 2.0, 2.0, 0.0, Random::new, timeout, null,
                Schedulers::parallel, grace, transientRetry, Retry.of("s", OperationWatcherBuilder.defaultResubmission()),
                RequestBudget.unlimited(), RequestBudget.unlimited(), new WatchListener() { }, null);
    }
}
