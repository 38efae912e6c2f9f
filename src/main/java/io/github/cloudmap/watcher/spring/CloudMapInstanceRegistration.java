package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationFailedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Registers the application as an instance of a Cloud Map service while it runs: RegisterInstance
 * once the web server is up, DeregisterInstance during graceful shutdown, before the web server
 * stops accepting requests. Auto-configured by {@link CloudMapRegistrationAutoConfiguration} when
 * {@code cloudmap.watcher.registration.enabled=true}.
 *
 * <p><b>Phase.</b> A {@link SmartLifecycle} in phase {@link #PHASE}, {@code Integer.MAX_VALUE - 512}.
 * Spring starts phases in ascending and stops them in descending order. Spring Boot 4.0 starts the
 * web server in phase {@code Integer.MAX_VALUE - 2048} (its {@code WebServerStartStopLifecycle})
 * and shuts it down gracefully in {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE},
 * {@code Integer.MAX_VALUE - 1024}. So {@link #start()} runs once the server listens (its port is
 * known) and {@link #stop(Runnable)} runs, and is waited for, before the graceful shutdown stops
 * accepting: clients are told the instance is gone while it still serves them. The 512 left above
 * and below let an application put its own lifecycles on either side.
 *
 * <p><b>Readiness.</b> {@link #start()} publishes {@link ReadinessState#REFUSING_TRAFFIC} and
 * waits for the registration (within {@code register-timeout}). Spring Boot publishes
 * {@code ACCEPTING_TRAFFIC} itself when the application is ready, which is after the context's
 * refresh, and so after this start returned: the readiness probe says REFUSING_TRAFFIC while
 * RegisterInstance is in flight (the registration's health says {@code REGISTERING} with the
 * operation's status), and ready only after SUCCESS. A FAIL or timeout stops startup with the
 * error code in the message, unless {@code fail-startup=false}; a timeout that stops startup
 * first deregisters (within {@code deregister-timeout}) what Cloud Map may still register.
 *
 * <p><b>Stop.</b> Deregisters within {@code deregister-timeout}; a failure or timeout is logged and
 * shutdown goes on; a second stop does nothing. Publishes {@link InstanceRegisteredEvent} and
 * {@link InstanceDeregisteredEvent} after each SUCCESS.
 *
 * <p>Thread-safe.
 */
public class CloudMapInstanceRegistration implements SmartLifecycle {

    /** {@code Integer.MAX_VALUE - 512}: after the web server starts, before its graceful shutdown. */
    public static final int PHASE = Integer.MAX_VALUE - 512;

    private static final Logger log = LoggerFactory.getLogger(CloudMapInstanceRegistration.class);

    private final InstanceRegistrar registrar;
    private final CloudMapRegistrationProperties properties;
    private final ApplicationEventPublisher events;
    private final Function<String, CustomHealthStatusUpdater> customHealth;

    private volatile Integer serverPort;
    private volatile String instanceId;
    private volatile RegistrationState state = RegistrationState.of(RegistrationState.Phase.NOT_STARTED);
    private volatile boolean running;
    private volatile Disposable customHealthUpdates;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param customHealth builds the custom health updater for an instance ID, or is null when
     *        the custom health status is off
     */
    CloudMapInstanceRegistration(InstanceRegistrar registrar, CloudMapRegistrationProperties properties,
            ApplicationEventPublisher events, Function<String, CustomHealthStatusUpdater> customHealth) {
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.events = Objects.requireNonNull(events, "events");
        this.customHealth = customHealth;
    }

    /** {@return where the registration stands now} */
    public RegistrationState state() {
        return state;
    }

    /** {@return the service registered into} */
    public String serviceId() {
        return registrar.serviceId();
    }

    /** {@return the instance's ID, or null before {@link #start()}} */
    public String instanceId() {
        return instanceId;
    }

    /** The web server's port, told by the web server's start ({@code WebServerInitializedEvent}). */
    void serverStarted(int port) {
        this.serverPort = port;
    }

    @Override
    public void start() {
        if (running || stopped.get()) {
            return;
        }
        Integer port = serverPort;
        String host = hostName();
        String id = properties.getInstanceId() != null ? properties.getInstanceId() : defaultInstanceId(host, port);
        Map<String, String> attributes = attributes(port);
        instanceId = id;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        state = RegistrationState.of(RegistrationState.Phase.REGISTERING);
        log.info("Registering instance {} in Cloud Map service {} with {}", id, serviceId(), attributes);
        try {
            Operation done = registrar.register(id, attributes, properties.getRegisterTimeout(),
                    op -> state = RegistrationState.of(RegistrationState.Phase.REGISTERING, op)).block();
            state = RegistrationState.of(RegistrationState.Phase.REGISTERED, done);
            running = true;
            log.info("Registered instance {} in Cloud Map service {} (operation {})", id, serviceId(), done.id());
            events.publishEvent(new InstanceRegisteredEvent(this, serviceId(), id, done));
            if (customHealth != null) {
                customHealthUpdates = customHealth.apply(id).start();
            }
        } catch (RuntimeException e) {
            String code = errorCode(e);
            state = state.failed(RegistrationState.Phase.FAILED, code, e.getMessage());
            String message = "Cloud Map registration of instance " + id + " in service " + serviceId()
                    + " failed: " + code + ": " + e.getMessage();
            if (properties.isFailStartup()) {
                if (!(e instanceof OperationFailedException)) {
                    // A timed-out (or otherwise unfinished) registration may still succeed in Cloud
                    // Map, and Spring stops no bean whose start failed: deregister now, within the
                    // deregister timeout, so a failed application leaves no instance listed.
                    running = true;
                    stop();
                }
                throw new ApplicationContextException(message + " (set " + CloudMapRegistrationProperties.PREFIX
                        + ".fail-startup=false to start unregistered)", e);
            }
            log.error("{}; starting unregistered ({}.fail-startup=false)", message, CloudMapRegistrationProperties.PREFIX);
            // A timed-out registration may still succeed in Cloud Map: deregister at shutdown anyway.
            running = !(e instanceof OperationFailedException);
        }
    }

    /** Deregisters, waiting at most the deregister timeout (plus a second for the callback). */
    @Override
    public void stop() {
        CountDownLatch done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            done.await(properties.getDeregisterTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends DeregisterInstance and calls {@code callback} when it ended, failed or timed out, on
     * a Reactor thread; at once when there is nothing to deregister or this already ran.
     */
    @Override
    public void stop(Runnable callback) {
        if (!running || !stopped.compareAndSet(false, true)) {
            callback.run();
            return;
        }
        Disposable updates = customHealthUpdates;
        if (updates != null) {
            updates.dispose();
        }
        String id = instanceId;
        state = RegistrationState.of(RegistrationState.Phase.DEREGISTERING);
        log.info("Deregistering instance {} from Cloud Map service {}", id, serviceId());
        Duration timeout = properties.getDeregisterTimeout();
        registrar.deregister(id, timeout, op -> state = RegistrationState.of(RegistrationState.Phase.DEREGISTERING, op))
                .doFinally(signal -> {
                    running = false;
                    callback.run();
                })
                .subscribe(op -> {
                    state = RegistrationState.of(RegistrationState.Phase.DEREGISTERED, op);
                    log.info("Deregistered instance {} from Cloud Map service {} (operation {})", id, serviceId(), op.id());
                    events.publishEvent(new InstanceDeregisteredEvent(this, serviceId(), id, op));
                }, error -> {
                    state = state.failed(RegistrationState.Phase.DEREGISTRATION_FAILED, errorCode(error), error.getMessage());
                    log.error("Deregistering instance {} from Cloud Map service {} failed ({}); shutdown goes on, and"
                            + " the instance may stay listed until it is deregistered by other means: {}",
                            id, serviceId(), errorCode(error), error.getMessage());
                });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private Map<String, String> attributes(Integer port) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String address = hostAddress();
        if (address != null) {
            attributes.put("AWS_INSTANCE_IPV4", address);
        }
        if (port != null && port > 0) {
            attributes.put("AWS_INSTANCE_PORT", Integer.toString(port));
        }
        attributes.putAll(properties.getAttributes());
        return attributes;
    }

    /**
     * {@code host-port}, reduced to the characters and length Cloud Map takes, so the same host
     * and port give the same ID after a restart (a restart then replaces its own instance).
     */
    static String defaultInstanceId(String host, Integer port) {
        String base = (host == null || host.isBlank() ? "instance" : host.toLowerCase(Locale.ROOT))
                .replaceAll("[^0-9a-z_/:.@-]", "-");
        String suffix = port != null && port > 0 ? "-" + port : "";
        int room = 64 - suffix.length();
        return (base.length() > room ? base.substring(0, room) : base) + suffix;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String hostAddress() {
        try {
            InetAddress address = InetAddress.getLocalHost();
            return address.getAddress().length == 4 ? address.getHostAddress() : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String errorCode(Throwable error) {
        if (error instanceof OperationFailedException failed) {
            return String.valueOf(failed.errorCode());
        }
        if (error instanceof InstanceRegistrar.RegistrationTimeoutException) {
            return "TIMEOUT";
        }
        return error.getClass().getSimpleName();
    }
}
