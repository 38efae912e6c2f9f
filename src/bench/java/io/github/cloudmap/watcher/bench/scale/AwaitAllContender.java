package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.OperationOutcome;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * {@code await-all}: one {@link OperationWatcher#awaitAll} over every operation, with the
 * {@code watcher} contender's settings (every default, the run's bound as deadline). The Mono
 * yields only at the end, so each terminal status is recorded when the watcher's
 * {@link WatchListener#onStatusChange} hears it (the poll loop's thread, a few microseconds before
 * a watch's subscriber would get it); the batch's outcome then reports each timeout and error.
 */
final class AwaitAllContender implements Contender {

    private final ServiceDiscoveryAsyncClient client;
    private final OperationWatcher watcher;
    private final AtomicReference<Observations> current = new AtomicReference<>();
    private Disposable batch;

    AwaitAllContender(ServiceDiscoveryAsyncClient client, Duration bound) {
        this.client = client;
        this.watcher = OperationWatcher.builder(client).timeout(bound).listener(new WatchListener() {
            @Override
            public void onStatusChange(Operation operation) {
                Observations observations = current.get();
                if (observations != null && (operation.status() == OperationStatus.SUCCESS
                        || operation.status() == OperationStatus.FAIL)) {
                    observations.saw(operation);
                }
            }
        }).build();
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        current.set(observations);
        List<String> ids = operations.stream().map(PendingOperation::id).toList();
        batch = watcher.awaitAll(ids).subscribe(outcome -> {
            outcome.timedOut().forEach(t -> observations.timedOut(t.operationId()));
            for (OperationOutcome error : outcome.errors()) {
                observations.error(error.operationId(), error.error());
            }
        });
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.dispose();
        }
        client.close();
    }
}
