package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.Disposables;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * {@code watcher} and {@code watcher-tuned}: one {@link OperationWatcher#watch} per operation,
 * all subscribed at once; every terminal element is counted (a second one is a duplicate).
 */
final class WatcherContender implements Contender {

    private final ServiceDiscoveryAsyncClient client;
    private final OperationWatcher watcher;
    private final Disposable.Composite watches = Disposables.composite();

    WatcherContender(ServiceDiscoveryAsyncClient client, OperationWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        for (PendingOperation op : operations) {
            watches.add(watcher.watch(op.id()).subscribe(observations::saw, error -> {
                if (error instanceof OperationTimeoutException) {
                    observations.timedOut(op.id());
                } else {
                    observations.error(op.id(), error);
                }
            }));
        }
    }

    @Override
    public void close() {
        watches.dispose();
        client.close();
    }
}
