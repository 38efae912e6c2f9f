package io.github.cloudmap.watcher.spring.test;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Before each test method of a class with {@link AutoConfigureCloudMapEmulator}, resets the
 * emulator's faults, counters and journal (not its resources: the application may have made them
 * at startup). Registered in {@code META-INF/spring.factories}.
 */
final class CloudMapEmulatorResetListener implements TestExecutionListener, Ordered {

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), AutoConfigureCloudMapEmulator.class)) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        if (context.containsBean(CloudMapEmulatorContextCustomizer.BEAN_NAME)) {
            CloudMapEmulator emulator = context.getBean(CloudMapEmulatorContextCustomizer.BEAN_NAME, CloudMapEmulator.class);
            emulator.faults().reset();
            emulator.counters().reset();
            emulator.journal().clear();
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
