package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Probes from the review of the poll-loop hardening: each states a rule the code must keep,
 * in virtual time against the scripted client (or with a bound, never a sleep).
 */
class ReviewProbesTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Scheduler delivery = Schedulers.newSingle("probe-delivery");

    @AfterEach
    void tearDown() {
        clock.dispose();
        delivery.dispose();
    }

    private Mono<String> submission() {
        return Mono.fromFuture(() -> client.deregisterInstance(b -> b.serviceId("srv-1").instanceId("i-1")))
                .map(r -> r.operationId());
    }

    /**
     * The overall deadline of submitAndWatch must reach the subscriber on its delivery worker,
     * like every other signal: a subscriber that blocks in onError must not hold the timer
     * thread that every other watch's delays and deadlines run on.
     */
    @Test
    void theOverallDeadlineReachesTheSubscriberOnItsDeliveryWorkerNotOnTheTimerThread() throws Exception {
        client.submissions().operationIds("op-1");
        client.script("op-1").hang();
        OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).scheduler(clock)
                .deliveryScheduler(delivery).overallTimeout(Duration.ofSeconds(30)).build();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);

        Disposable watch = watcher.submitAndWatch(submission()).subscribe(op -> { }, e -> {
            error.set(e);
            thread.set(Thread.currentThread().getName());
            done.countDown();
        });
        try {
            clock.advanceTimeBy(Duration.ofSeconds(30));
            assertThat(done.await(10, TimeUnit.SECONDS)).as("the overall deadline fired").isTrue();
            assertThat(error.get()).isInstanceOf(OperationTimeoutException.class);
            assertThat(((OperationTimeoutException) error.get()).isOverall()).isTrue();
            assertThat(thread.get()).as("thread of onError").startsWith("probe-delivery");
        } finally {
            watch.dispose();
        }
    }

    /** A cause chain can loop; unwrap must still return, as hasCause does. */
    @Test
    void unwrapReturnsOnACompletionExceptionCycle() {
        CompletionException a = new CompletionException("a") { };
        CompletionException b = new CompletionException("b", a);
        a.initCause(b);

        Throwable unwrapped = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> CloudMapErrors.unwrap(a));

        assertThat(unwrapped).isIn(a, b);
    }

    /**
     * Cancelling a submitAndWatch while it waits to resubmit sends nothing more: no submission,
     * no poll, however long the clock then runs.
     */
    @Test
    void aCancelDuringTheResubmissionWaitSendsNothingMore() {
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").fail("THROTTLED_REQUEST", "throttled");
        client.script("op-2").success();
        AtomicInteger resubmits = new AtomicInteger();
        OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).scheduler(clock)
                .listener(new WatchListener() {
                    @Override
                    public void onResubmit(Operation failed, Throwable cause, int attempt) {
                        resubmits.incrementAndGet();
                    }
                }).build();
        AtomicReference<OperationStatus> last = new AtomicReference<>();

        Disposable watch = watcher.submitAndWatch(submission()).subscribe(op -> last.set(op.status()));
        clock.advanceTimeBy(Duration.ofMillis(500)); // the resubmission waits 1 s
        assertThat(last.get()).isEqualTo(OperationStatus.FAIL);
        assertThat(resubmits).hasValue(1);
        watch.dispose();
        clock.advanceTimeBy(Duration.ofHours(1));

        assertThat(client.submissionCount()).as("submissions").isEqualTo(1);
        assertThat(client.getOperationCount("op-1")).isEqualTo(1);
        assertThat(client.getOperationCount("op-2")).isZero();
    }

    /**
     * A watch cancelled while it waits for a permit of the shared rate budget must not keep the
     * permit: the next watch gets it ({@link RequestBudget}'s contract). The review probe was
     * written against Resilience4j's RateLimiter, which failed it (op-3 polled at 2 min, not
     * 1 min: a reserved permit cannot be given back); the budget that replaced it passes.
     */
    @Test
    void aWatchCancelledWhileWaitingForAPermitDoesNotKeepIt() {
        for (String id : java.util.List.of("op-1", "op-2", "op-3")) {
            client.script(id).success();
        }
        double onePerMinute = 1.0 / 60;
        RequestBudget budget = RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(onePerMinute).minRate(onePerMinute).maxRate(onePerMinute)
                .burst(1).slowStart(false).build());
        OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).scheduler(clock)
                .pollBudget(budget).timeout(Duration.ofMinutes(10)).build();
        AtomicReference<Operation> third = new AtomicReference<>();

        Disposable first = watcher.watch("op-1").subscribe(); // takes this minute's permit
        Disposable second = watcher.watch("op-2").subscribe(); // waits for the next minute's
        clock.advanceTimeBy(Duration.ofSeconds(10));
        second.dispose(); // gives up waiting
        Disposable watch = watcher.watch("op-3").subscribe(third::set);
        clock.advanceTimeBy(Duration.ofSeconds(60));
        try {
            assertThat(client.getOperationCount("op-2")).isZero();
            assertThat(third.get()).as("op-3 polled with the permit op-2 gave up, at 1 min").isNotNull();
        } finally {
            first.dispose();
            watch.dispose();
        }
    }
}
