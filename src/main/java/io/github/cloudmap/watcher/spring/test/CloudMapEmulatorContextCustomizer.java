package io.github.cloudmap.watcher.spring.test;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the emulator as the test's context is prepared: registers it as the bean
 * {@value #BEAN_NAME}, adds its endpoint as properties, and closes it with the context. Equal
 * for equal annotations, so Spring's context cache shares a context only between test classes
 * that asked for the same emulator.
 */
final class CloudMapEmulatorContextCustomizer implements ContextCustomizer {

    static final String BEAN_NAME = "cloudMapEmulator";
    /** The emulator's endpoint, for applications that build their own client from a property. */
    static final String ENDPOINT_PROPERTY = "cloudmap.emulator.endpoint";

    private final AutoConfigureCloudMapEmulator settings;

    CloudMapEmulatorContextCustomizer(AutoConfigureCloudMapEmulator settings) {
        this.settings = settings;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        CloudMapEmulator emulator = start(settings);
        context.getBeanFactory().registerSingleton(BEAN_NAME, emulator);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
            if (event.getApplicationContext() == context) {
                emulator.close();
            }
        });
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("cloudMapEmulator", Map.of(
                ENDPOINT_PROPERTY, emulator.endpoint().toString(),
                "cloudmap.watcher.endpoint-url", emulator.endpoint().toString(),
                "cloudmap.watcher.region", emulator.region())));
    }

    private static CloudMapEmulator start(AutoConfigureCloudMapEmulator a) {
        if (a.submittedMillis() < 0 || a.pendingMillis() < 0) {
            throw new IllegalArgumentException("@AutoConfigureCloudMapEmulator(submittedMillis, pendingMillis) must be"
                    + " >= 0, got " + a.submittedMillis() + " and " + a.pendingMillis());
        }
        CloudMapEmulator.Builder builder = CloudMapEmulator.builder()
                .operationTimings(OperationTimings.uniform(Duration.ofMillis(a.submittedMillis()),
                        Duration.ofMillis(a.pendingMillis())))
                .realisticLimits(a.realisticLimits())
                .journalCapacity(a.journalCapacity());
        if (a.seed() != AutoConfigureCloudMapEmulator.RANDOM_SEED) {
            builder.seed(a.seed());
        }
        return builder.start();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudMapEmulatorContextCustomizer other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
