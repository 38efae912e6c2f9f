package io.github.cloudmap.watcher.junit;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.FaultInjector;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/**
 * The JUnit 5 extension behind {@link CloudMapEmulatorTest}, and its programmatic form: register
 * it with {@code @RegisterExtension} for settings the annotation cannot express. It starts an
 * embedded {@link CloudMapEmulator}, a {@link ServiceDiscoveryAsyncClient} on Netty pointed at it
 * and an {@link OperationWatcher} on that client, and injects them, or the emulator's endpoint
 * {@link URI}, into test and lifecycle method parameters and into the test instance's non-static,
 * non-final fields of those types that are still null (those of enclosing instances too, for
 * {@code @Nested} classes). Before each test it resets the emulator (state, counters, faults,
 * journal) and applies the configured faults again. The client is closed with the emulator.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CloudMapEmulatorExtension CLOUD_MAP = CloudMapEmulatorExtension.builder()
 *         .emulator(b -> b.operationTimings(OperationTimings.uniform(Duration.ofMillis(200), Duration.ofSeconds(1))))
 *         .faults(f -> f.throttleNext("GetOperation", 1))
 *         .watcher(w -> w.jitter(0))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: {@link EmulatorLifecycle#PER_CLASS} (a static field; an instance field gets one
 * emulator per method, since JUnit only calls it per method), operations that finish at once, no
 * faults, a random seed, SDK defaults for the client beyond its endpoint, Region, test
 * credentials and Netty, {@link OperationWatcher#builder} defaults for the watcher. Thread-safe:
 * emulators live in JUnit's stores, so classes running in parallel each get their own;
 * {@link #emulator()} and the other accessors return the one the last test on any thread
 * started with, so tests running in parallel take parameters instead.
 */
public final class CloudMapEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CloudMapEmulatorExtension.class);
    private static final Set<Class<?>> INJECTED = Set.of(CloudMapEmulator.class, ServiceDiscoveryAsyncClient.class,
            OperationWatcher.class, URI.class);

    /** Null when declared through the annotation: the settings are then read from the test class. */
    private final EmulatorSettings settings;
    private volatile EmulatorResources current;

    /** For {@link CloudMapEmulatorTest}; use {@link #builder()} otherwise. */
    public CloudMapEmulatorExtension() {
        this.settings = null;
    }

    private CloudMapEmulatorExtension(EmulatorSettings settings) {
        this.settings = settings;
    }

    /** {@return a builder with the defaults listed in the class comment} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the emulator of the test running (or last run)}
     *
     * @throws IllegalStateException before any test
     */
    public CloudMapEmulator emulator() {
        return current().emulator;
    }

    /**
     * {@return the client of the test running (or last run)}
     *
     * @throws IllegalStateException before any test
     */
    public ServiceDiscoveryAsyncClient client() {
        return current().client;
    }

    /**
     * {@return the watcher of the test running (or last run)}
     *
     * @throws IllegalStateException before any test
     */
    public OperationWatcher watcher() {
        return current().watcher;
    }

    /**
     * {@return the emulator's endpoint}
     *
     * @throws IllegalStateException before any test
     */
    public URI endpoint() {
        return current().emulator.endpoint();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        EmulatorSettings s = settings(context);
        if (s.lifecycle() != EmulatorLifecycle.PER_METHOD) {
            current = resources(context, s);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        EmulatorSettings s = settings(context);
        EmulatorResources resources = resources(context, s);
        resources.reset();
        current = resources;
        context.publishReportEntry("cloudmap.emulator.seed", Long.toString(resources.emulator.seed()));
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(instance, resources);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return INJECTED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmulatorResources resources = resources(extensionContext, settings(extensionContext));
        return valueOf(parameterContext.getParameter().getType(), resources);
    }

    /**
     * The emulator for this context: the one an enclosing scope holds, else a new one kept in the
     * store whose end closes it.
     */
    private EmulatorResources resources(ExtensionContext context, EmulatorSettings s) {
        Object key = key(context);
        if (s.lifecycle() == EmulatorLifecycle.PER_JVM) {
            return context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(key, k -> EmulatorResources.start(s), EmulatorResources.class);
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        EmulatorResources found = store.get(key, EmulatorResources.class);
        if (found != null) {
            return found;
        }
        // PER_CLASS: the class's context, so @Nested classes and every method find it there.
        ExtensionContext owner = s.lifecycle() == EmulatorLifecycle.PER_CLASS && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return owner.getStore(NAMESPACE)
                .getOrComputeIfAbsent(key, k -> EmulatorResources.start(s), EmulatorResources.class);
    }

    /** The annotation (value-equal across classes) or this extension: what makes two scopes share an emulator. */
    private Object key(ExtensionContext context) {
        return settings != null ? this : annotation(context);
    }

    private EmulatorSettings settings(ExtensionContext context) {
        return settings != null ? settings : EmulatorSettings.of(annotation(context));
    }

    /** The nearest @CloudMapEmulatorTest: on the test class, its superclasses or its enclosing classes. */
    private static CloudMapEmulatorTest annotation(ExtensionContext context) {
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent();
                c = Optional.ofNullable(c.get().getEnclosingClass())) {
            Optional<CloudMapEmulatorTest> found = AnnotationSupport.findAnnotation(c.get(), CloudMapEmulatorTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("CloudMapEmulatorExtension was declared with @ExtendWith on "
                + context.getTestClass().map(Class::getName).orElse(context.getDisplayName())
                + " without @CloudMapEmulatorTest: annotate the class with @CloudMapEmulatorTest, or register"
                + " CloudMapEmulatorExtension.builder()...build() with @RegisterExtension");
    }

    private static void inject(Object instance, EmulatorResources resources) throws IllegalAccessException {
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!INJECTED.contains(field.getType()) || Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)
                        || field.isSynthetic()) {
                    continue;
                }
                field.setAccessible(true);
                if (field.get(instance) == null) {
                    field.set(instance, valueOf(field.getType(), resources));
                }
            }
        }
    }

    private static Object valueOf(Class<?> type, EmulatorResources resources) {
        if (type == CloudMapEmulator.class) {
            return resources.emulator;
        }
        if (type == ServiceDiscoveryAsyncClient.class) {
            return resources.client;
        }
        if (type == OperationWatcher.class) {
            return resources.watcher;
        }
        return resources.emulator.endpoint();
    }

    private EmulatorResources current() {
        EmulatorResources resources = current;
        if (resources == null) {
            throw new IllegalStateException("No Cloud Map emulator yet: the extension starts one before the first"
                    + " test (or the class, for a static field registered with @RegisterExtension)");
        }
        return resources;
    }

    /**
     * Settings of a {@link CloudMapEmulatorExtension}. Not thread-safe; each adjustment replaces
     * the previous one of its kind and is checked for null at once.
     */
    public static final class Builder {
        private EmulatorLifecycle lifecycle = EmulatorLifecycle.PER_CLASS;
        private Consumer<CloudMapEmulator.Builder> emulator = EmulatorSettings.INSTANT;
        private Consumer<FaultInjector> faults = f -> { };
        private Consumer<ServiceDiscoveryAsyncClientBuilder> client = b -> { };
        private Consumer<OperationWatcherBuilder> watcher = b -> { };

        private Builder() {
        }

        /**
         * How long one emulator lives; default {@link EmulatorLifecycle#PER_CLASS}.
         *
         * @param lifecycle per class or per test
         * @return this builder
         */
        public Builder lifecycle(EmulatorLifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * Adjusts the emulator's builder (timings, seed, limits, journal capacity, ...); it starts
         * from operations that finish at once ({@code OperationTimings.instant()}).
         *
         * @param settings adjusts the emulator's builder
         * @return this builder
         */
        public Builder emulator(Consumer<CloudMapEmulator.Builder> settings) {
            Objects.requireNonNull(settings, "settings");
            this.emulator = EmulatorSettings.INSTANT.andThen(settings);
            return this;
        }

        /**
         * Faults applied to each new emulator and again after each reset, so every test starts with them.
         *
         * @param faults applies the faults
         * @return this builder
         */
        public Builder faults(Consumer<FaultInjector> faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /**
         * Adjusts the client's builder after the extension's settings (endpoint, Region, credentials, Netty).
         *
         * @param settings adjusts the client's builder
         * @return this builder
         */
        public Builder client(Consumer<ServiceDiscoveryAsyncClientBuilder> settings) {
            this.client = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Adjusts the watcher's builder (timeouts, poll interval, jitter, listeners, ...).
         *
         * @param settings adjusts the watcher's builder
         * @return this builder
         */
        public Builder watcher(Consumer<OperationWatcherBuilder> settings) {
            this.watcher = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** {@return the extension, to register with {@code @RegisterExtension}} */
        public CloudMapEmulatorExtension build() {
            return new CloudMapEmulatorExtension(new EmulatorSettings(lifecycle, emulator, faults, client, watcher));
        }
    }
}
