package io.github.cloudmap.watcher.spring.test;

import io.github.cloudmap.watcher.emulator.RequestJournal;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Starts an embedded Cloud Map emulator for a Spring test's application context, exposes it as a
 * {@code CloudMapEmulator} bean, and points the application's Cloud Map client at it: the
 * auto-configured {@code ServiceDiscoveryAsyncClient} is replaced by one built for the emulator
 * (its endpoint and Region, test credentials, Netty), on which the auto-configured
 * {@code OperationWatcher} polls. An application that defines its own client bean reads the
 * endpoint from the property {@code cloudmap.emulator.endpoint}. Composes with
 * {@code @SpringBootTest} and with slices such as {@code @WebFluxTest} (it imports the watcher's
 * auto-configuration, which slices leave out).
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureCloudMapEmulator(pendingMillis = 500)
 * class RegistrationTest {
 *     @Autowired CloudMapEmulator emulator;
 *     @Autowired OperationWatcher watcher;
 * }
 * }</pre>
 *
 * <p>The emulator lives as long as the context (Spring caches contexts: test classes with the
 * same configuration share both) and closes with it. Before each test method its faults,
 * counters and journal are reset; its namespaces, services and operations are kept, since the
 * application may have created some at startup ({@code emulator.reset()} clears them too).
 * Defaults: operations that finish at once, no faults, a random seed, a journal of
 * {@value RequestJournal#DEFAULT_CAPACITY} requests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureCloudMapEmulator {

    /** The value of {@link #seed()} that means "a random seed". */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** {@return how long every operation stays SUBMITTED, in milliseconds; default 0} */
    long submittedMillis() default 0;

    /** {@return how long every operation then stays PENDING before SUCCESS, in milliseconds; default 0} */
    long pendingMillis() default 0;

    /** {@return whether to apply the request limits AWS's own controller assumes (GetOperation 100/s, ...); default off} */
    boolean realisticLimits() default false;

    /** {@return seed for IDs and random faults, to repeat a run; default {@link #RANDOM_SEED}} */
    long seed() default RANDOM_SEED;

    /** {@return requests the journal keeps; default {@value RequestJournal#DEFAULT_CAPACITY}} */
    int journalCapacity() default RequestJournal.DEFAULT_CAPACITY;
}
