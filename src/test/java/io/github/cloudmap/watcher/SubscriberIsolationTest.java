package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUCCESS;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * One slow, stingy or blocking subscriber harms only itself: the watches of one operation share
 * a poll loop, but each takes what it asks for at its own pace, on a thread of its own. Each test
 * here failed on the code before the fix (the loop shared through {@code replay(1)}, and
 * delivery on the loop's thread).
 */
class SubscriberIsolationTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final ExecutorService sdkThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "sdk-response"));

    @AfterEach
    void tearDown() {
        clock.dispose();
        sdkThread.shutdownNow();
    }

    /** Polls at 0, 0.5, 1.5, 3.5, 7.5 s; delivery on the test's virtual clock. */
    private OperationWatcher watcherOnTheClock() {
        return OperationWatcher.builder(client).jitter(0).scheduler(clock).build();
    }

    @Test
    void aWatchThatRequestsOneStatusDoesNotStallAnotherWatchOfTheSameOperation() {
        client.script("op-1").submitted().submitted().pending().pending().success();
        OperationWatcher watcher = watcherOnTheClock();
        StingySubscriber stingy = new StingySubscriber();
        AtomicReference<Operation> done = new AtomicReference<>();

        watcher.watch("op-1").subscribe(stingy);
        watcher.awaitTerminal("op-1").subscribe(done::set);
        clock.advanceTimeBy(Duration.ofMillis(7_500));

        assertThat(done.get()).as("SUCCESS was readable at 7.5 s").isNotNull();
        assertThat(done.get().status()).isEqualTo(SUCCESS);
        assertThat(client.getOperationCount("op-1")).as("one loop, polling on").isEqualTo(5);
        assertThat(stingy.seen).containsExactly(SUBMITTED);

        // The stingy watch still gets everything, in order, when it asks.
        stingy.request(10);
        assertThat(stingy.seen).containsExactly(SUBMITTED, PENDING, SUCCESS);
        assertThat(stingy.completed).isTrue();
        clock.advanceTimeBy(Duration.ofHours(1));
        assertThat(client.getOperationCount("op-1")).as("no request after the end").isEqualTo(5);
    }

    @Test
    void aSlowSubscriberDoesNotDelayAnotherCallersAwaitTerminal() {
        client.script("op-1").submitted().pending().success();
        OperationWatcher watcher = watcherOnTheClock();
        List<OperationStatus> slow = new CopyOnWriteArrayList<>();
        AtomicReference<Operation> done = new AtomicReference<>();

        watcher.watch("op-1").delayElements(Duration.ofSeconds(100), clock).map(Operation::status)
                .subscribe(slow::add);
        watcher.awaitTerminal("op-1").subscribe(done::set);
        clock.advanceTimeBy(Duration.ofMillis(1_500));

        assertThat(done.get()).as("SUCCESS was readable at 1.5 s").isNotNull();
        assertThat(slow).isEmpty();
        clock.advanceTimeBy(Duration.ofSeconds(300));
        assertThat(slow).containsExactly(SUBMITTED, PENDING, SUCCESS);
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
    }

    @Test
    void aSubscriberThatBlocksDoesNotDelayAnotherWatchOfTheSameLoop() throws InterruptedException {
        // Real threads (the default delivery), but no sleep and no timing: the first subscriber
        // blocks until the second has its status, or gives up after a bound and records that.
        client.script("op-1").submitted().pending().success();
        OperationWatcher watcher = OperationWatcher.builder(client).build();
        CountDownLatch secondGotItsStatus = new CountDownLatch(1);
        AtomicBoolean otherServedWhileBlocked = new AtomicBoolean();
        CountDownLatch firstUnblocked = new CountDownLatch(1);

        Disposable blocking = watcher.watch("op-1").take(1).subscribe(op -> {
            otherServedWhileBlocked.set(await(secondGotItsStatus));
            firstUnblocked.countDown();
        });
        Disposable other = watcher.watch("op-1").subscribe(op -> secondGotItsStatus.countDown());
        try {
            assertThat(firstUnblocked.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(otherServedWhileBlocked).as("the second watch was served while the first blocked").isTrue();
            assertThat(client.getOperationCount("op-1")).as("one loop for both").isEqualTo(1);
        } finally {
            blocking.dispose();
            other.dispose();
        }
    }

    @Test
    void subscribersNeverRunOnTheSdksResponseThread() {
        client.script("op-1").success();
        OperationWatcher watcher = OperationWatcher.builder(new RespondingOn(client, sdkThread)).build();

        List<String> threads = watcher.watch("op-1")
                .map(op -> Thread.currentThread().getName())
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(threads).hasSize(1);
        assertThat(threads.get(0)).doesNotStartWith("sdk-response").startsWith("boundedElastic");
    }

    @Test
    void anExplicitDeliverySchedulerIsUsed() {
        client.script("op-1").success();
        OperationWatcher watcher = OperationWatcher.builder(client)
                .deliveryScheduler(Schedulers.single()).build();

        String thread = watcher.watch("op-1").map(op -> Thread.currentThread().getName())
                .blockLast(Duration.ofSeconds(30));

        assertThat(thread).startsWith("single");
    }

    @Test
    void aNullDeliverySchedulerIsRefused() {
        assertThatThrownBy(() -> OperationWatcher.builder(client).deliveryScheduler(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("deliveryScheduler");
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Requests one status, then only when told to. */
    private static final class StingySubscriber extends BaseSubscriber<Operation> {
        final List<OperationStatus> seen = new CopyOnWriteArrayList<>();
        volatile boolean completed;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(1);
        }

        @Override
        protected void hookOnNext(Operation operation) {
            seen.add(operation.status());
        }

        @Override
        protected void hookOnComplete() {
            completed = true;
        }
    }

    /** Completes every GetOperation on another thread, the way the SDK's Netty client does. */
    private record RespondingOn(ServiceDiscoveryAsyncClient delegate, ExecutorService thread)
            implements ServiceDiscoveryAsyncClient {

        @Override
        public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
            return delegate.getOperation(request).thenApplyAsync(response -> response, thread);
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
