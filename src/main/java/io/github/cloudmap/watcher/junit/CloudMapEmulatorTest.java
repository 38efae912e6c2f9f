package io.github.cloudmap.watcher.junit;

import io.github.cloudmap.watcher.emulator.RequestJournal;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts an embedded Cloud Map emulator for a JUnit 5 test class and injects it, a
 * {@code ServiceDiscoveryAsyncClient} on Netty pointed at it, an {@code OperationWatcher} on that
 * client, or its endpoint {@code URI} into test method parameters and into fields of those types.
 * State, counters, faults and the journal are reset before each test. The settings of a
 * {@code @Nested} class's own annotation win over its enclosing class's.
 *
 * <pre>{@code
 * @CloudMapEmulatorTest(pendingMillis = 500)
 * class RegistrarTest {
 *     @Test
 *     void registers(ServiceDiscoveryAsyncClient client, OperationWatcher watcher, CloudMapEmulator emulator) {
 *         ...
 *         emulator.verify(RequestPattern.getOperation(operationId)).atMost(3);
 *     }
 * }
 * }</pre>
 *
 * <p>Defaults: one emulator per class, operations that finish at once, no faults, a random seed
 * (published as the report entry {@code cloudmap.emulator.seed}), a journal of
 * {@value RequestJournal#DEFAULT_CAPACITY} requests. For settings the attributes cannot express,
 * register a {@link CloudMapEmulatorExtension} built with its builder instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CloudMapEmulatorExtension.class)
public @interface CloudMapEmulatorTest {

    /** The value of {@link #seed()} that means "a random seed per emulator". */
    long RANDOM_SEED = Long.MIN_VALUE;

    /** {@return how long one emulator lives; default one per class} */
    EmulatorLifecycle lifecycle() default EmulatorLifecycle.PER_CLASS;

    /** {@return how long every operation stays SUBMITTED, in milliseconds; default 0} */
    long submittedMillis() default 0;

    /** {@return how long every operation then stays PENDING before SUCCESS, in milliseconds; default 0} */
    long pendingMillis() default 0;

    /** {@return whether to apply the request limits AWS's own controller assumes (GetOperation 100/s, burst 200, ...); default off} */
    boolean realisticLimits() default false;

    /** {@return chance that any request is answered {@code ThrottlingException}, 0 to 1; default 0} */
    double throttleProbability() default 0;

    /** {@return chance that any request is answered HTTP 500 {@code InternalFailure}, 0 to 1; default 0} */
    double serverErrorProbability() default 0;

    /** {@return delay before every answer, in milliseconds; default 0} */
    long latencyMillis() default 0;

    /** {@return seed for IDs and random faults, to repeat a run; default {@link #RANDOM_SEED}} */
    long seed() default RANDOM_SEED;

    /** {@return requests the journal keeps; default {@value RequestJournal#DEFAULT_CAPACITY}} */
    int journalCapacity() default RequestJournal.DEFAULT_CAPACITY;
}
