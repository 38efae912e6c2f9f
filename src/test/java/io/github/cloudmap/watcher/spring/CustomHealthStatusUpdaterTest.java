package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.UpdateInstanceCustomHealthStatusRequest;
import software.amazon.awssdk.services.servicediscovery.model.UpdateInstanceCustomHealthStatusResponse;

/** The custom health status follows the application's health, at most one update per interval, in virtual time. */
class CustomHealthStatusUpdaterTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    /** Records UpdateInstanceCustomHealthStatus; fails the calls it is told to. */
    private static final class HealthClient implements ServiceDiscoveryAsyncClient {
        final List<UpdateInstanceCustomHealthStatusRequest> updates = new CopyOnWriteArrayList<>();
        final AtomicInteger failNext = new AtomicInteger();

        @Override
        public CompletableFuture<UpdateInstanceCustomHealthStatusResponse> updateInstanceCustomHealthStatus(
                UpdateInstanceCustomHealthStatusRequest request) {
            updates.add(request);
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(CustomHealthNotFoundException.builder().message("no custom health").build());
            }
            return CompletableFuture.completedFuture(UpdateInstanceCustomHealthStatusResponse.builder().build());
        }

        List<CustomHealthStatus> sent() {
            return updates.stream().map(UpdateInstanceCustomHealthStatusRequest::status).toList();
        }

        @Override
        public String serviceName() {
            return "servicediscovery";
        }

        @Override
        public void close() {}
    }

    @Test
    void sendsAtOnceThenOnlyChangesAtMostOncePerInterval() {
        HealthClient client = new HealthClient();
        AtomicReference<String> health = new AtomicReference<>("UP");
        CustomHealthStatusUpdater updater = new CustomHealthStatusUpdater(client, "srv-1", "i-1", health::get, INTERVAL);

        StepVerifier.withVirtualTime(updater::updates)
                .expectSubscription()
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.HEALTHY))
                .then(() -> assertThat(client.sent()).containsExactly(CustomHealthStatus.HEALTHY))
                // unchanged: read each interval, nothing sent
                .thenAwait(INTERVAL.multipliedBy(3))
                .expectNextCount(3)
                .then(() -> assertThat(client.sent()).hasSize(1))
                // DOWN, then UP and DOWN again within one interval: only the reads count
                .then(() -> health.set("DOWN"))
                .expectNoEvent(INTERVAL.minusMillis(1))
                .then(() -> assertThat(client.sent()).as("not before the next read").hasSize(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.UNHEALTHY))
                .then(() -> health.set("OUT_OF_SERVICE"))
                .thenAwait(INTERVAL)
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.UNHEALTHY))
                .then(() -> health.set("UP"))
                .thenAwait(INTERVAL)
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.HEALTHY))
                .thenCancel()
                .verify();

        assertThat(client.sent()).containsExactly(CustomHealthStatus.HEALTHY, CustomHealthStatus.UNHEALTHY,
                CustomHealthStatus.HEALTHY);
        assertThat(client.updates).allSatisfy(r -> {
            assertThat(r.serviceId()).isEqualTo("srv-1");
            assertThat(r.instanceId()).isEqualTo("i-1");
        });
    }

    @Test
    void aHealthCheckThatThrowsIsUnhealthyAndAFailedUpdateIsTriedAgainAtTheNextRead() {
        HealthClient client = new HealthClient();
        client.failNext.set(1);
        CustomHealthStatusUpdater updater = new CustomHealthStatusUpdater(client, "srv-1", "i-1",
                () -> { throw new IllegalStateException("database gone"); }, INTERVAL);

        StepVerifier.withVirtualTime(updater::updates)
                .expectSubscription()
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.UNHEALTHY))
                .then(() -> assertThat(updater.lastSent()).as("refused, not recorded").isNull())
                .thenAwait(INTERVAL)
                .assertNext(s -> assertThat(s).isEqualTo(CustomHealthStatus.UNHEALTHY))
                .thenAwait(INTERVAL)
                .expectNextCount(1)
                .thenCancel()
                .verify();

        assertThat(client.sent()).containsExactly(CustomHealthStatus.UNHEALTHY, CustomHealthStatus.UNHEALTHY);
        assertThat(updater.lastSent()).isEqualTo(CustomHealthStatus.UNHEALTHY);
    }

    @Test
    void disposingStopsTheReads() {
        HealthClient client = new HealthClient();
        AtomicInteger reads = new AtomicInteger();
        CustomHealthStatusUpdater updater = new CustomHealthStatusUpdater(client, "srv-1", "i-1",
                () -> { reads.incrementAndGet(); return "UP"; }, INTERVAL);
        reactor.test.scheduler.VirtualTimeScheduler time = reactor.test.scheduler.VirtualTimeScheduler.getOrSet();
        try {
            reactor.core.Disposable running = updater.start();
            time.advanceTimeBy(INTERVAL.multipliedBy(2));
            assertThat(reads.get()).as("at once, then after each interval").isEqualTo(3);
            running.dispose();
            time.advanceTimeBy(INTERVAL.multipliedBy(5));
            assertThat(reads.get()).isEqualTo(3);
            assertThat(client.sent()).containsExactly(CustomHealthStatus.HEALTHY);
        } finally {
            reactor.test.scheduler.VirtualTimeScheduler.reset();
        }
    }

    @Test
    void aHealthCheckThatHangsHoldsOneThreadNotOnePerInterval() {
        // A hung check (a blocking read that ignores interrupts) must not start a new blocked
        // boundedElastic thread every interval: they are the application's too, and run out.
        HealthClient client = new HealthClient();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        java.util.function.Supplier<String> hung = () -> {
            entered.incrementAndGet();
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return "UP";
        };
        CustomHealthStatusUpdater updater = new CustomHealthStatusUpdater(client, "srv-1", "i-1", hung,
                Duration.ofMillis(20));
        try {
            List<CustomHealthStatus> reads = updater.updates().take(6).collectList().block(Duration.ofSeconds(20));
            assertThat(reads).as("each interval without an answer is UNHEALTHY").containsOnly(CustomHealthStatus.UNHEALTHY);
            assertThat(entered.get()).as("health checks running at once").isLessThanOrEqualTo(1);
        } finally {
            release.countDown();
        }
    }
}
