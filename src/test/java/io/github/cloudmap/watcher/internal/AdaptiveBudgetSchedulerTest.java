package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The budget's one timer lives on the scheduler of the waiter at the head of the queue; these
 * are the rules for when that scheduler cannot run it (disposed, or not time-capable).
 */
class AdaptiveBudgetSchedulerTest {

    private static AdaptiveBudget oneTokenPerSecond() {
        return new AdaptiveBudget(AdaptiveBudgetConfig.builder().slowStart(false).initialRate(1).burst(1).build(), "test");
    }

    @Test
    void aDisposedHeadSchedulerDoesNotStallWaitersOnOtherSchedulers() {
        // A budget shared through one client across two StepVerifier.withVirtualTime tests: the
        // first test's scheduler is disposed while one of its acquisitions still waits.
        AdaptiveBudget budget = oneTokenPerSecond();
        VirtualTimeScheduler first = VirtualTimeScheduler.create();
        VirtualTimeScheduler second = VirtualTimeScheduler.create();
        budget.acquire(first).subscribe(); // takes the only token
        AtomicReference<Throwable> leftBehind = new AtomicReference<>();
        budget.acquire(first).subscribe(p -> { }, leftBehind::set); // waits; the timer is on `first`
        first.dispose();

        AtomicLong grantedAtMillis = new AtomicLong(-1);
        budget.acquire(second).subscribe(p -> grantedAtMillis.set(second.now(TimeUnit.MILLISECONDS)));
        second.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(grantedAtMillis.get()).as("the waiter on a live scheduler is served").isEqualTo(1000);
        assertThat(leftBehind.get()).as("the waiter whose scheduler is gone is told so")
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(budget.waiting()).isZero();
    }

    @Test
    void aWaiterRefusedByItsSchedulerIsFailedOutsideTheBudgetsLock() throws Exception {
        AdaptiveBudget budget = oneTokenPerSecond();
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        budget.acquire(clock).subscribe(); // takes the only token
        Field lockField = AdaptiveBudget.class.getDeclaredField("lock");
        lockField.setAccessible(true);
        Object lock = lockField.get(budget);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean heldTheLock = new AtomicBoolean();
        // A disposed scheduler refuses the budget's timer.
        VirtualTimeScheduler gone = VirtualTimeScheduler.create();
        gone.dispose();
        budget.acquire(gone).subscribe(p -> { }, e -> {
            heldTheLock.set(Thread.holdsLock(lock));
            error.set(e);
        });

        assertThat(error.get()).isInstanceOf(RejectedExecutionException.class);
        assertThat(heldTheLock).as("a subscriber's onError runs while every other caller of the budget is blocked")
                .isFalse();
    }
}
