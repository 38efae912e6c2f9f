package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

class GuardedListenerTest {

    @Test
    void aListenerThatThrowsDoesNotEndTheWatch() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").submitted().throttle().success();
        WatchListener broken = new WatchListener() {
            @Override
            public void onPoll(String operationId) {
                throw new IllegalStateException("metrics bug");
            }

            @Override
            public void onThrottled(String operationId, Throwable error) {
                throw new IllegalStateException("metrics bug");
            }

            @Override
            public void onStatusChange(Operation operation) {
                throw new IllegalStateException("metrics bug");
            }
        };
        OperationWatcher watcher = OperationWatcher.builder(client).listener(broken).build();

        StepVerifier.withVirtualTime(() -> watcher.watch("op-1").map(Operation::status))
                .expectNext(OperationStatus.SUBMITTED)
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(OperationStatus.SUCCESS)
                .verifyComplete();
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
    }
}
