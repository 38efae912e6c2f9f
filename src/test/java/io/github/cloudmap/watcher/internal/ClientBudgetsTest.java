package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The per-client default budgets live no longer than their client: the map holds the client
 * weakly, so nothing the map holds strongly may lead back to the client.
 */
class ClientBudgetsTest {

    @Test
    void aClientWhoseWatchesAllGotTheirPermitsIsCollected() {
        WeakReference<Object> client = abandonClientWithWatches(5); // within the burst: none waits
        assertThat(collected(client)).as("the client was collected").isTrue();
    }

    @Test
    void aClientAbandonedWhileWatchesWaitForItsBudgetIsCollected() {
        // A test that ends with watches still queued on its fresh client's default budget (its
        // virtual clock never advanced again): the waiters' subscribers lead back to the client.
        WeakReference<Object> client = abandonClientWithWatches(50);
        assertThat(collected(client)).as("the client was collected").isTrue();
    }

    /** Starts {@code count} watches on a fresh client and drops every reference to them. */
    private static WeakReference<Object> abandonClientWithWatches(int count) {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock).build();
        for (int i = 0; i < count; i++) {
            client.script("op-" + i).pending();
            watcher.watch("op-" + i).subscribe(op -> { }, e -> { });
        }
        assertThat(watcher.pollBudget().waiting()).isEqualTo(Math.max(0, count - 10));
        return new WeakReference<>(client);
    }

    private static boolean collected(WeakReference<Object> reference) {
        for (int attempt = 0; attempt < 10 && reference.get() != null; attempt++) {
            System.gc();
            // WeakHashMap lets go of a collected key's entry on its next use.
            ClientBudgets.polls(new Object());
        }
        return reference.get() == null;
    }
}
