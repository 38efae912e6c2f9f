package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;

/**
 * Keeps Cloud Map's custom health status of the application's instance in step with the
 * application's own health: UP is HEALTHY, anything else (DOWN, OUT_OF_SERVICE, UNKNOWN, a health
 * check that throws or takes longer than the interval) is UNHEALTHY.
 *
 * <p>Rate-limited by construction: the health is read at once, then once per interval, and
 * UpdateInstanceCustomHealthStatus is sent only when the status differs from the last one Cloud
 * Map accepted, so at most one update per interval and none while nothing changes. A failed
 * update is logged and tried again at the next read. The health is read on
 * {@link Schedulers#boundedElastic()} (health checks may block), one read at a time: a check
 * that hangs is UNHEALTHY at every interval and holds one thread; the waits run on
 * {@link Schedulers#parallel()}, both looked up at subscription (virtual time works).
 *
 * <p>Thread-safe. Not part of the public API.
 */
final class CustomHealthStatusUpdater {

    private static final Logger log = LoggerFactory.getLogger(CustomHealthStatusUpdater.class);

    private final ServiceDiscoveryAsyncClient client;
    private final String serviceId;
    private final String instanceId;
    private final Supplier<String> applicationStatus;
    private final Duration interval;
    private final AtomicReference<CustomHealthStatus> lastSent = new AtomicReference<>();
    /** The read of the application's health under way (or the last one, done). */
    private final AtomicReference<CompletableFuture<CustomHealthStatus>> running = new AtomicReference<>();

    /**
     * @param applicationStatus the application's health status code ("UP", "DOWN", ...); may block
     */
    CustomHealthStatusUpdater(ServiceDiscoveryAsyncClient client, String serviceId, String instanceId,
            Supplier<String> applicationStatus, Duration interval) {
        this.client = Objects.requireNonNull(client, "client");
        this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.applicationStatus = Objects.requireNonNull(applicationStatus, "applicationStatus");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Runs until the returned {@code Disposable} is disposed. */
    Disposable start() {
        return updates().subscribe();
    }

    /** The endless loop of reads and updates; each element is one read (for tests). */
    Flux<CustomHealthStatus> updates() {
        return Flux.defer(() -> readAndUpdate()
                .concatWith(Mono.delay(interval, Schedulers.parallel()).then(Mono.<CustomHealthStatus>empty()))
                .repeat());
    }

    /** The status Cloud Map accepted last, or null before the first update. */
    CustomHealthStatus lastSent() {
        return lastSent.get();
    }

    private Mono<CustomHealthStatus> readAndUpdate() {
        return read()
                .timeout(interval, Schedulers.parallel())
                .onErrorResume(e -> {
                    log.warn("Reading the application's health failed; Cloud Map hears UNHEALTHY: {}", e.toString());
                    return Mono.just(CustomHealthStatus.UNHEALTHY);
                })
                .flatMap(status -> status == lastSent.get() ? Mono.just(status) : send(status));
    }

    /**
     * The application's health, read on {@link Schedulers#boundedElastic()}. A read still running
     * (a check that hangs) is waited for again instead of starting another: a hung check holds
     * one thread, not one more per interval of the application's shared pool. A timeout does not
     * cancel the read (suppressCancel), so the next interval finds it.
     */
    private Mono<CustomHealthStatus> read() {
        return Mono.defer(() -> {
            CompletableFuture<CustomHealthStatus> current = running.get();
            if (current == null || current.isDone()) {
                CompletableFuture<CustomHealthStatus> fresh = new CompletableFuture<>();
                if (running.compareAndSet(current, fresh)) {
                    start(fresh);
                    current = fresh;
                } else {
                    current = running.get();
                }
            }
            return Mono.fromFuture(current, true);
        });
    }

    private void start(CompletableFuture<CustomHealthStatus> read) {
        try {
            Schedulers.boundedElastic().schedule(() -> {
                try {
                    read.complete("UP".equals(applicationStatus.get())
                            ? CustomHealthStatus.HEALTHY : CustomHealthStatus.UNHEALTHY);
                } catch (Throwable e) {
                    read.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            read.completeExceptionally(rejected);
        }
    }

    private Mono<CustomHealthStatus> send(CustomHealthStatus status) {
        return Mono.fromFuture(() -> client.updateInstanceCustomHealthStatus(r -> r
                        .serviceId(serviceId).instanceId(instanceId).status(status)
                        .overrideConfiguration(OperationWatcher.requestOverrides())))
                .timeout(interval, Schedulers.parallel())
                .doOnSuccess(response -> {
                    lastSent.set(status);
                    log.info("Cloud Map custom health of instance {} in {}: {}", instanceId, serviceId, status);
                })
                .thenReturn(status)
                .onErrorResume(e -> {
                    log.warn("UpdateInstanceCustomHealthStatus({}) for instance {} in {} failed; tried again in {}: {}",
                            status, instanceId, serviceId, interval, e.toString());
                    return Mono.just(status);
                });
    }
}
