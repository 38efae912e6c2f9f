package example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.spring.CloudMapInstanceRegistration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Registration is off unless enabled: with a service ID set but {@code enabled} left at its
 * default, and on a class path without Spring Boot's web server module, the context has no
 * registration bean and sends Cloud Map nothing.
 */
@SpringBootTest(properties = "cloudmap.watcher.registration.service-id=srv-never")
class RegistrationDisabledTest {

    private static final CloudMapEmulator EMULATOR = CloudMapEmulator.builder().start();

    @DynamicPropertySource
    static void emulatorEndpoint(DynamicPropertyRegistry registry) {
        registry.add("cloudmap.endpoint", () -> EMULATOR.endpoint().toString());
    }

    @AfterAll
    static void stopEmulator() {
        EMULATOR.close();
    }

    @Autowired
    private ApplicationContext context;

    @Test
    void noRegistrationBeanAndNoRequest() {
        assertThat(context.getBeanNamesForType(CloudMapInstanceRegistration.class)).isEmpty();
        assertThat(context.containsBean("cloudMapRegistrationHealthIndicator")).isFalse();
        System.out.println("spring-boot-app with registration disabled: requests to Cloud Map " + EMULATOR.counters().total());
        assertThat(EMULATOR.counters().count("RegisterInstance")).isZero();
        assertThat(EMULATOR.counters().total()).as("no request of any kind").isZero();
    }
}
