package io.github.cloudmap.watcher.bench.scale;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.core.waiters.AsyncWaiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * {@code sdk-waiter}: the SDK's generic {@link AsyncWaiter} on GetOperation, what a user picks
 * when no waiter ships for Cloud Map: exponential backoff (full jitter) from 200 ms to 10 s, no
 * attempt cap, the run's bound as its timeout, SUCCESS or FAIL ends it, and a throttle is retried
 * (without that acceptor the waiter fails on the first throttle that survives the SDK's retries).
 * The client keeps the SDK's defaults.
 */
final class SdkWaiterContender implements Contender {

    private final ServiceDiscoveryAsyncClient client;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "sdk-waiter-timer");
        t.setDaemon(true);
        return t;
    });
    private final AsyncWaiter<GetOperationResponse> waiter;

    SdkWaiterContender(ServiceDiscoveryAsyncClient client, Duration bound) {
        this.client = client;
        this.waiter = AsyncWaiter.builder(GetOperationResponse.class)
                .acceptors(List.of(
                        WaiterAcceptor.successOnResponseAcceptor(r -> r.operation().status() == OperationStatus.SUCCESS
                                || r.operation().status() == OperationStatus.FAIL),
                        WaiterAcceptor.retryOnResponseAcceptor(r -> true),
                        WaiterAcceptor.retryOnExceptionAcceptor(Clients::isThrottle)))
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10)))
                        .maxAttempts(Integer.MAX_VALUE)
                        .waitTimeout(bound)
                        .build())
                .scheduledExecutorService(timer)
                .build();
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        for (PendingOperation op : operations) {
            waiter.runAsync(() -> client.getOperation(r -> r.operationId(op.id()))).whenComplete((response, error) -> {
                if (error == null && response.matched().response().isPresent()) {
                    observations.saw(response.matched().response().get().operation());
                } else if (System.currentTimeMillis() >= deadlineMillis - 50) {
                    observations.timedOut(op.id());
                } else {
                    Throwable cause = error != null ? error : response.matched().exception().orElse(null);
                    observations.error(op.id(), cause == null ? new IllegalStateException("no match") : Clients.unwrap(cause));
                }
            });
        }
    }

    @Override
    public void close() {
        // Cancelling a waiter's future does not stop its polling: ending its timer does.
        timer.shutdownNow();
        client.close();
    }
}
