package io.github.cloudmap.watcher.bench.scale;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * {@code fixed-2s} and {@code sdk-adaptive}: one loop per operation, a GetOperation every 2 s
 * after the previous answer, throttles ignored (Spring Cloud AWS, AWS's own controller). Which
 * retries the client adds is the difference between the two.
 */
final class FixedIntervalContender implements Contender {

    private static final long INTERVAL_MILLIS = 2_000;

    private final ServiceDiscoveryAsyncClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fixed-2s-timer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger throttlesSeen = new AtomicInteger();
    private volatile boolean stopped;

    FixedIntervalContender(ServiceDiscoveryAsyncClient client) {
        this.client = client;
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        operations.forEach(op -> poll(op.id(), observations, deadlineMillis));
    }

    private void poll(String id, Observations observations, long deadlineMillis) {
        if (stopped) {
            return;
        }
        if (System.currentTimeMillis() >= deadlineMillis) {
            observations.timedOut(id);
            return;
        }
        client.getOperation(r -> r.operationId(id)).whenComplete((response, error) -> {
            if (error == null && Observations.isTerminal(response.operation())) {
                observations.saw(response.operation());
                return;
            }
            if (error != null && !Clients.isThrottle(error)) {
                observations.error(id, Clients.unwrap(error));
                return;
            }
            if (error != null) {
                throttlesSeen.incrementAndGet(); // ignored, as the loops this stands for do
            }
            if (!stopped) {
                timer.schedule(() -> poll(id, observations, deadlineMillis), INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        stopped = true;
        timer.shutdownNow();
        client.close();
    }
}
