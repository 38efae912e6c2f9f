package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;

/**
 * The rate budget at the watcher level: the regressions of the old {@code rateLimiter(...)}
 * (found in review) and the default sharing per client, in virtual time.
 */
class BudgetedWatchTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

    private static RequestBudget fixed(double rate, int burst) {
        return RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(rate).minRate(rate).maxRate(rate).burst(burst).build());
    }

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).scheduler(scheduler);
    }

    /** Virtual millis of each GetOperation of {@code operationId}, recorded by the listener. */
    private final class FirstPolls implements WatchListener {
        final List<String> polled = new CopyOnWriteArrayList<>();
        final List<Long> at = new CopyOnWriteArrayList<>();
        final List<String> budgetWaits = new CopyOnWriteArrayList<>();

        @Override
        public void onPoll(String operationId) {
            polled.add(operationId);
            at.add(scheduler.now(TimeUnit.MILLISECONDS));
        }

        @Override
        public void onBudgetWait(String operationId, Duration waited) {
            budgetWaits.add(operationId + ":" + waited.toMillis());
        }

        long firstPollOf(String operationId) {
            int i = polled.indexOf(operationId);
            return i < 0 ? -1 : at.get(i);
        }
    }

    @Test
    void cancelledWatchesLeaveNoPermitsBehindForALoneWatch() {
        // Review finding: 40 watches at 2 permits/s, 38 of them cancelled, left a new lone watch
        // waiting 19.8 s with nothing in flight (their reserved permits were never given back).
        FirstPolls polls = new FirstPolls();
        OperationWatcher watcher = watcher().pollBudget(fixed(2, 2)).listener(polls).build();
        List<Disposable> watches = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            client.script("op-" + i).pending();
            watches.add(watcher.watch("op-" + i).subscribe());
        }
        client.script("lone").pending();
        watches.subList(2, 40).forEach(Disposable::dispose);

        scheduler.advanceTimeBy(Duration.ofMillis(100));
        watcher.watch("lone").subscribe();
        scheduler.advanceTimeBy(Duration.ofSeconds(3));

        // Ahead of it only the two live watches' next polls (due at 0.5 s): at 2/s it is served
        // by about 1.5 s, not after the cancelled watches' 38 permits.
        assertThat(polls.firstPollOf("lone")).isBetween(100L, 1_500L);
        assertThat(polls.polled).filteredOn(id -> !id.equals("lone") && !id.equals("op-0") && !id.equals("op-1"))
                .as("no cancelled watch ever sent a request").isEmpty();
    }

    @Test
    void aLoneWatchBehindASlowBudgetTimesOutWithAMessageThatSaysSo() {
        // Review finding: with a 60 s limiter timeout and a 3 s deadline, a lone watch timed out
        // having sent no request, and its message did not say why.
        RequestBudget slow = fixed(0.1, 1);
        client.script("first").pending();
        client.script("lone").success();
        OperationWatcher watcher = watcher().pollBudget(slow).timeout(Duration.ofSeconds(3)).build();
        watcher.watch("first").subscribe(op -> { }, e -> { }); // takes the only token

        AtomicReference<Throwable> error = new AtomicReference<>();
        watcher.watch("lone").subscribe(op -> { }, error::set);
        scheduler.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(error.get()).isInstanceOf(OperationTimeoutException.class)
                .hasMessageContaining("did not finish within PT3S")
                .hasMessageContaining("waiting for its rate budget");
        assertThat(client.getOperationCount("lone")).isZero();
        assertThat(slow.waiting()).as("the timed-out watches left the queue").isZero();
    }

    @Test
    void aLoneWatchWithADeadlineSendsWithinItWhenTheBudgetAllows() {
        RequestBudget slow = fixed(1, 1);
        client.script("first").pending();
        client.script("lone").success();
        FirstPolls polls = new FirstPolls();
        OperationWatcher watcher = watcher().pollBudget(slow).timeout(Duration.ofSeconds(3)).listener(polls).build();
        watcher.watch("first").subscribe(op -> { }, e -> { });
        AtomicReference<Object> outcome = new AtomicReference<>();
        watcher.watch("lone").subscribe(outcome::set, outcome::set);
        scheduler.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(polls.firstPollOf("lone")).isEqualTo(1_000L);
        assertThat(outcome.get()).isNotInstanceOf(Throwable.class);
        assertThat(polls.budgetWaits).contains("lone:1000");
    }

    @Test
    void noResilience4jRateLimiterCanBeGivenAnyMore() {
        // Review finding: a SemaphoreBasedRateLimiter was accepted, and its reservePermission()
        // throws, so every watch failed. The budget is now a RequestBudget: no builder method
        // takes a Resilience4j RateLimiter.
        List<Method> takingALimiter = Arrays.stream(OperationWatcherBuilder.class.getMethods())
                .filter(m -> Arrays.stream(m.getParameterTypes())
                        .anyMatch(t -> t.getName().startsWith("io.github.resilience4j.ratelimiter")))
                .toList();
        assertThat(takingALimiter).isEmpty();
    }

    @Test
    void watchersOnOneClientShareOneDefaultBudget() {
        FirstPolls polls = new FirstPolls();
        OperationWatcher a = watcher().listener(polls).build();
        OperationWatcher b = watcher().listener(polls).build();
        for (int i = 0; i < 30; i++) {
            client.script("op-" + i).pending();
            (i % 2 == 0 ? a : b).watch("op-" + i).subscribe();
        }
        assertThat(polls.polled).as("one default burst for the client, not one per watcher")
                .hasSize(AdaptiveBudgetConfig.DEFAULT_BURST);

        ScriptedServiceDiscoveryClient other = ScriptedServiceDiscoveryClient.create();
        other.script("x").pending();
        FirstPolls otherPolls = new FirstPolls();
        OperationWatcher.builder(other).scheduler(scheduler).listener(otherPolls).build().watch("x").subscribe();
        assertThat(otherPolls.polled).as("another client has its own budget").containsExactly("x");
    }

    @Test
    void theUnlimitedBudgetOptsOut() {
        OperationWatcher watcher = watcher().pollBudget(RequestBudget.unlimited()).build();
        for (int i = 0; i < 30; i++) {
            client.script("op-" + i).pending();
            watcher.watch("op-" + i).subscribe();
        }
        assertThat(client.getOperationRequests()).hasSize(30);
    }

    @Test
    void aThrottledPollCutsTheBudgetOnceAndOtherAnswersDoNot() {
        RequestBudget budget = RequestBudget.adaptive();
        client.script("op-1").throttle().throttle().pending().success();
        OperationWatcher watcher = watcher().pollBudget(budget).build();
        watcher.watch("op-1").subscribe();
        scheduler.advanceTimeBy(Duration.ofMillis(999));
        assertThat(budget.cuts()).isEqualTo(1);
        scheduler.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(budget.cuts()).isEqualTo(2);
        assertThat(client.getOperationRequests()).extracting(GetOperationRequest::operationId).hasSize(4);
    }

    @Test
    void submissionsDrawFromTheSubmissionBudget() {
        RequestBudget submissions = fixed(1, 1);
        client.submissions().operationIds("s-1", "s-2");
        client.script("s-1").success();
        client.script("s-2").success();
        OperationWatcher watcher = watcher().submissionBudget(submissions).build();
        List<Object> seen = new CopyOnWriteArrayList<>();
        watcher.submitAndWatch(reactor.core.publisher.Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("s").instanceId("i")))
                .map(r -> r.operationId())).subscribe(seen::add);
        watcher.submitAndWatch(reactor.core.publisher.Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId("s").instanceId("i")))
                .map(r -> r.operationId())).subscribe(seen::add);
        assertThat(client.submissionCount()).isEqualTo(1);
        scheduler.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(client.submissionCount()).isEqualTo(2);
        assertThat(seen).hasSize(2);
    }
}
