package io.github.cloudmap.watcher.spring.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link AutoConfigureCloudMapEmulator} on a test class (or an enclosing class of a
 * {@code @Nested} one) and has its context start an emulator. Registered in
 * {@code META-INF/spring.factories}; found by Spring's test framework, not called by users.
 */
final class CloudMapEmulatorContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureCloudMapEmulator annotation =
                TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureCloudMapEmulator.class);
        return annotation == null ? null : new CloudMapEmulatorContextCustomizer(annotation);
    }
}
