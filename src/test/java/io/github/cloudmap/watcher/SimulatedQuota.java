package io.github.cloudmap.watcher;

import io.github.cloudmap.watcher.testing.SdkErrors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * GetOperation behind a token bucket on a virtual clock, answering at once: operation
 * {@code op-i} is PENDING until {@code doneAtMillis[i]}, then SUCCESS. Counts calls and throttles,
 * in all and after a given instant (the steady state, once the budget has found the quota).
 * Public for the fleet's simulation in the {@code redis} tests.
 */
public final class SimulatedQuota implements ServiceDiscoveryAsyncClient {

    private final VirtualTimeScheduler clock;
    private final double rate;
    private final double burst;
    private final long[] doneAtMillis;
    private final long steadyFromMillis;
    private double tokens;
    private long last;
    long calls;
    long throttled;
    long steadyCalls;
    long steadyThrottled;

    /**
     * @param rate the quota, requests/s
     * @param burst the bucket's size (at least 1)
     * @param steadyFromMillis calls from this virtual instant on are also counted as steady
     */
    public SimulatedQuota(VirtualTimeScheduler clock, double rate, double burst, long[] doneAtMillis, long steadyFromMillis) {
        this.clock = clock;
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.doneAtMillis = doneAtMillis;
        this.steadyFromMillis = steadyFromMillis;
    }

    @Override
    public synchronized CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
        long now = clock.now(TimeUnit.NANOSECONDS);
        boolean steady = now >= TimeUnit.MILLISECONDS.toNanos(steadyFromMillis);
        calls++;
        steadyCalls += steady ? 1 : 0;
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens < 1) {
            throttled++;
            steadyThrottled += steady ? 1 : 0;
            return CompletableFuture.failedFuture(SdkErrors.throttling("GetOperation"));
        }
        tokens -= 1;
        int op = Integer.parseInt(request.operationId().substring(3));
        OperationStatus status = now / 1_000_000 >= doneAtMillis[op] ? OperationStatus.SUCCESS : OperationStatus.PENDING;
        return CompletableFuture.completedFuture(GetOperationResponse.builder()
                .operation(Operation.builder().id(request.operationId()).status(status).build()).build());
    }

    /** Calls received, and of them throttled, in all and from the steady instant on. */
    public synchronized long[] counts() {
        return new long[] {calls, throttled, steadyCalls, steadyThrottled};
    }

    /** Percent of the calls from the steady instant on that were throttled. */
    public synchronized double steadyThrottledPercent() {
        return 100.0 * steadyThrottled / Math.max(1, steadyCalls);
    }

    @Override
    public String serviceName() {
        return "servicediscovery";
    }

    @Override
    public void close() { }
}
