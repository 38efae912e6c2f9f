package io.github.cloudmap.watcher.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * A client for benchmarks: answers GetOperation at once from a fixed sequence of statuses per
 * operation ID (the last one repeating), and records nothing, so that a long run measures the
 * watcher and not the fake.
 */
final class CyclingClient implements ServiceDiscoveryAsyncClient {

    private final List<OperationStatus> statuses;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    CyclingClient(OperationStatus... statuses) {
        this.statuses = List.of(statuses);
    }

    /** Starts every operation's sequence from its beginning again. */
    void restart() {
        calls.clear();
    }

    @Override
    public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
        int call = calls.computeIfAbsent(request.operationId(), id -> new AtomicInteger()).getAndIncrement();
        OperationStatus status = statuses.get(Math.min(call, statuses.size() - 1));
        return CompletableFuture.completedFuture(GetOperationResponse.builder()
                .operation(Operation.builder().id(request.operationId()).status(status)
                        .createDate(Instant.EPOCH).updateDate(Instant.EPOCH).build())
                .build());
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
