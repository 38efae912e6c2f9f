package io.github.cloudmap.watcher.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux service that registers Cloud Map instances and streams each registration's progress
 * to the caller as Server-Sent Events ({@link RegistrationController}). The
 * {@link io.github.cloudmap.watcher.OperationWatcher} and the Cloud Map client come from this
 * library's auto-configuration ({@code cloudmap.watcher.*} properties); with the {@code emulator}
 * profile, {@link EmulatorConfiguration} starts an embedded Cloud Map instead of using AWS.
 *
 * <p>See {@code docs/spring.md} for the {@code curl -N} commands that drive it.
 */
@SpringBootApplication
public class RegistrationApplication {

    public static void main(String[] args) {
        SpringApplication.run(RegistrationApplication.class, args);
    }
}
