package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
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

    @Test
    void anErrorThrownByAListenerEndsNoWatchOfTheSharedLoop() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.script("op-1").submitted().pending().success();
        WatchListener asserting = new WatchListener() {
            @Override
            public void onPoll(String operationId) {
                throw new AssertionError("a test's listener asserting in the wrong place");
            }

            @Override
            public void onStatusChange(Operation operation) {
                throw new AssertionError("a test's listener asserting in the wrong place");
            }
        };
        OperationWatcher watcher = OperationWatcher.builder(client).listener(asserting).build();

        StepVerifier.withVirtualTime(() -> Flux.merge(
                        watcher.watch("op-1").map(op -> "a:" + op.status()),
                        watcher.awaitTerminal("op-1").map(op -> "b:" + op.status())))
                .expectNext("a:SUBMITTED")
                .thenAwait(Duration.ofMinutes(1))
                .expectNext("a:PENDING", "a:SUCCESS", "b:SUCCESS")
                .verifyComplete();
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
    }

    @Test
    void everythingButJvmFatalErrorsIsContained() {
        for (Throwable thrown : List.of(new IllegalStateException(), new AssertionError(), new Exception("checked"),
                new NoSuchFieldError() { }, new Error("plain"))) {
            WatchListener guarded = GuardedListener.guard(throwing(thrown));
            if (thrown instanceof LinkageError) {
                assertThatThrownBy(() -> guarded.onPoll("op-1")).as("%s", thrown).isSameAs(thrown);
            } else {
                guarded.onPoll("op-1");
                guarded.onStatusChange(Operation.builder().id("op-1").build());
                guarded.onResubmit(null, thrown, 2);
            }
        }
    }

    @Test
    void virtualMachineErrorsAreRethrown() {
        for (Throwable fatal : List.of(new OutOfMemoryError("test"), new StackOverflowError())) {
            WatchListener guarded = GuardedListener.guard(throwing(fatal));
            assertThatThrownBy(() -> guarded.onPoll("op-1")).isSameAs(fatal);
            assertThatThrownBy(() -> guarded.onThrottled("op-1", null)).isSameAs(fatal);
        }
    }

    /** A listener that throws {@code thrown} from every method, checked exceptions included. */
    private static WatchListener throwing(Throwable thrown) {
        return new WatchListener() {
            @Override
            public void onPoll(String operationId) {
                sneakyThrow(thrown);
            }

            @Override
            public void onThrottled(String operationId, Throwable error) {
                sneakyThrow(thrown);
            }

            @Override
            public void onStatusChange(Operation operation) {
                sneakyThrow(thrown);
            }

            @Override
            public void onResubmit(Operation failed, Throwable cause, int attempt) {
                sneakyThrow(thrown);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
