package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.RequestBudget.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The rules of the adaptive budget, in virtual time. */
class AdaptiveBudgetTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    private static AdaptiveBudgetConfig.Builder config() {
        return AdaptiveBudgetConfig.builder().slowStart(false);
    }

    private static AdaptiveBudget budget(AdaptiveBudgetConfig.Builder config) {
        return new AdaptiveBudget(config.build(), "test");
    }

    /** Subscribes one acquisition and records when (virtual ms) and in what order it was granted. */
    private final class Acquisition {
        final String name;
        volatile Permit permit;
        volatile long grantedAtMillis = -1;
        final Disposable subscription;

        Acquisition(RequestBudget budget, String name, List<String> order) {
            this.name = name;
            this.subscription = budget.acquire(clock).subscribe(p -> {
                permit = p;
                grantedAtMillis = clock.now(TimeUnit.MILLISECONDS);
                order.add(name);
            });
        }
    }

    @Nested
    class Granting {

        @Test
        void anIdleBudgetGrantsItsBurstAtOnceSoALoneWatchNeverWaits() {
            AdaptiveBudget budget = budget(config().initialRate(1).burst(3));
            List<String> order = new ArrayList<>();
            Acquisition a = new Acquisition(budget, "a", order);
            Acquisition b = new Acquisition(budget, "b", order);
            Acquisition c = new Acquisition(budget, "c", order);
            Acquisition d = new Acquisition(budget, "d", order);

            assertThat(order).containsExactly("a", "b", "c");
            assertThat(budget.waiting()).isEqualTo(1);
            clock.advanceTimeBy(Duration.ofMillis(999));
            assertThat(d.permit).isNull();
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertThat(d.grantedAtMillis).isEqualTo(1000);
            assertThat(budget.waiting()).isZero();
        }

        @Test
        void theDefaultsLetALoneWatchPollOnItsOwnScheduleIncludingTransientRetries() {
            // Polls at 0, 0.5, 1.5 s with two retries 200 and 400 ms after each: the budget
            // must never be what delays them, even at its floor.
            AdaptiveBudget budget = new AdaptiveBudget(AdaptiveBudgetConfig.defaults().toBuilder()
                    .initialRate(AdaptiveBudgetConfig.DEFAULT_MIN_RATE).build(), "test");
            List<String> order = new ArrayList<>();
            long[] at = {0, 200, 600, 1100, 1300, 1700, 3200, 3400, 3800};
            long now = 0;
            for (long t : at) {
                clock.advanceTimeBy(Duration.ofMillis(t - now));
                now = t;
                Acquisition a = new Acquisition(budget, "at" + t, order);
                assertThat(a.grantedAtMillis).as("poll at %d ms", t).isEqualTo(t);
            }
        }

        @Test
        void waitersAreServedInTheOrderTheyStartedToWait() {
            AdaptiveBudget budget = budget(config().initialRate(2).burst(1));
            List<String> order = new ArrayList<>();
            List<Acquisition> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(new Acquisition(budget, "w" + i, order));
                clock.advanceTimeBy(Duration.ofMillis(10));
            }
            clock.advanceTimeBy(Duration.ofSeconds(5));

            assertThat(order).containsExactly("w0", "w1", "w2", "w3", "w4", "w5");
            assertThat(all).extracting(a -> a.grantedAtMillis).containsExactly(0L, 500L, 1000L, 1500L, 2000L, 2500L);
        }

        @Test
        void anAcquisitionIsLazy() {
            AdaptiveBudget budget = budget(config().initialRate(1).burst(1));
            Mono<Permit> notSubscribed = budget.acquire(clock);
            assertThat(notSubscribed).isNotNull();
            assertThat(budget.waiting()).isZero();
            List<String> order = new ArrayList<>();
            assertThat(new Acquisition(budget, "a", order).grantedAtMillis).as("the token is still there").isZero();
        }

        @Test
        void worksUnderStepVerifierWithVirtualTime() {
            AdaptiveBudget budget = budget(config().initialRate(1).burst(1));
            StepVerifier.withVirtualTime(() -> Flux.range(0, 3)
                            .concatMap(i -> budget.acquire(reactor.core.scheduler.Schedulers.parallel()).thenReturn(i)))
                    .expectNext(0)
                    .expectNoEvent(Duration.ofMillis(999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(1)
                    .expectNoEvent(Duration.ofMillis(999))
                    .thenAwait(Duration.ofMillis(1))
                    .expectNext(2)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Nested
    class Cancellation {

        @Test
        void aCancelledWaiterLeavesTheQueueAndTakesNoPermit() {
            AdaptiveBudget budget = budget(config().initialRate(1).burst(1));
            List<String> order = new ArrayList<>();
            new Acquisition(budget, "first", order);
            Acquisition cancelled = new Acquisition(budget, "cancelled", order);
            Acquisition next = new Acquisition(budget, "next", order);
            assertThat(budget.waiting()).isEqualTo(2);

            cancelled.subscription.dispose();
            assertThat(budget.waiting()).isEqualTo(1);
            clock.advanceTimeBy(Duration.ofSeconds(1));

            assertThat(order).containsExactly("first", "next");
            assertThat(next.grantedAtMillis).as("the cancelled waiter's slot goes to the next").isEqualTo(1000);
            assertThat(cancelled.permit).isNull();
        }

        @Test
        void whenEveryWaiterIsCancelledTheBucketRefillsForTheNextCaller() {
            AdaptiveBudget budget = budget(config().initialRate(2).burst(2));
            List<String> order = new ArrayList<>();
            List<Acquisition> crowd = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                crowd.add(new Acquisition(budget, "w" + i, order));
            }
            crowd.subList(2, 40).forEach(a -> a.subscription.dispose());
            assertThat(budget.waiting()).isZero();

            clock.advanceTimeBy(Duration.ofSeconds(1));
            Acquisition lone = new Acquisition(budget, "lone", order);
            assertThat(lone.grantedAtMillis).isEqualTo(1000);
            assertThat(order).containsExactly("w0", "w1", "lone");
        }
    }

    @Nested
    class Adaptation {

        @Test
        void aBurstOfThrottlesIsOneCutPerWindow() {
            AdaptiveBudget budget = budget(config().initialRate(10).decreaseFactor(0.5).cutWindow(Duration.ofSeconds(1)));
            List<Permit> permits = acquireNow(budget, 5);
            permits.subList(0, 3).forEach(Permit::onThrottled);
            assertThat(budget.currentRate()).isEqualTo(5.0);
            assertThat(budget.cuts()).isEqualTo(1);

            clock.advanceTimeBy(Duration.ofMillis(200));   // the cut spent the saved tokens: one interval at 5/s
            Permit afterCut = acquireNow(budget, 1).get(0);
            clock.advanceTimeBy(Duration.ofMillis(799));
            afterCut.onThrottled();
            assertThat(budget.currentRate()).as("still the same window").isEqualTo(5.0);
            Permit alsoAfterCut = acquireNow(budget, 1).get(0);
            clock.advanceTimeBy(Duration.ofMillis(1));
            alsoAfterCut.onThrottled();
            assertThat(budget.currentRate()).as("granted at the new rate, throttled after the window").isEqualTo(2.5);
            assertThat(budget.cuts()).isEqualTo(2);
        }

        @Test
        void aThrottleOfAPermitGrantedBeforeTheLastCutDoesNotCutAgainHoweverLateItComes() {
            // Found by the limits sweep (docs/scale.md): at small quotas the answers to a volley
            // sent at the old rate arrive over several windows, and each cut again, down to a
            // fraction of the quota that takes minutes to climb back from.
            AdaptiveBudget budget = budget(config().initialRate(10).decreaseFactor(0.5).cutWindow(Duration.ofSeconds(1)));
            List<Permit> volley = acquireNow(budget, 5);
            volley.get(0).onThrottled();
            for (Permit late : volley.subList(1, 5)) {
                clock.advanceTimeBy(Duration.ofSeconds(2));
                late.onThrottled();
            }
            assertThat(budget.currentRate()).as("one cut for one volley").isEqualTo(5.0);
            assertThat(budget.cuts()).isEqualTo(1);
        }

        @Test
        void aCutSpendsNoSavedTokensTheAccountsBucketIsEmpty() {
            AdaptiveBudget budget = budget(config().initialRate(10).decreaseFactor(0.5).burst(10));
            Permit first = acquireNow(budget, 1).get(0);
            first.onThrottled();
            AtomicInteger granted = new AtomicInteger();
            budget.acquire(clock).subscribe(p -> granted.incrementAndGet());
            assertThat(granted.get()).as("nine tokens were saved, but the account has none left").isZero();
            clock.advanceTimeBy(Duration.ofMillis(199));
            assertThat(granted.get()).isZero();
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertThat(granted.get()).as("one interval of the new rate (5/s) later").isEqualTo(1);
        }

        @Test
        void theBucketHoldsAtMostTwoSecondsOfTheCeiling() {
            AdaptiveBudget budget = budget(config().initialRate(0.5).minRate(0.1).maxRate(0.5).burst(10));
            AtomicInteger granted = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                budget.acquire(clock).subscribe(p -> granted.incrementAndGet());
            }
            assertThat(granted.get()).as("a quota of 0.5/s holds one request, not ten").isEqualTo(1);
        }

        @Test
        void aPermitReportsOnlyOnce() {
            AdaptiveBudget budget = budget(config().initialRate(10).decreaseFactor(0.5).cutWindow(Duration.ofMillis(1)));
            Permit permit = acquireNow(budget, 1).get(0);
            permit.onThrottled();
            clock.advanceTimeBy(Duration.ofSeconds(1));
            permit.onThrottled();
            permit.onAnswered();
            assertThat(budget.cuts()).isEqualTo(1);
        }

        @Test
        void theRateNeverFallsBelowTheFloor() {
            AdaptiveBudget budget = budget(config().initialRate(4).minRate(1).decreaseFactor(0.5)
                    .cutWindow(Duration.ofMillis(100)));
            for (int i = 0; i < 10; i++) {
                acquireNow(budget, 1).get(0).onThrottled();
                clock.advanceTimeBy(Duration.ofSeconds(2));
            }
            assertThat(budget.currentRate()).isEqualTo(1.0);
            assertThat(budget.cuts()).isEqualTo(10);
        }

        @Test
        void theRateRisesByTheStepPerWindowWhileRequestsQueueAndSucceedUpToTheCeiling() {
            AdaptiveBudget budget = budget(config().initialRate(2).maxRate(5).increaseStep(1).burst(1));
            List<Double> rates = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            // A steady queue: forty waiters, each answered as soon as it is granted.
            for (int i = 0; i < 40; i++) {
                budget.acquire(clock).subscribe(p -> {
                    p.onAnswered();
                    answered.incrementAndGet();
                });
            }
            clock.advanceTimeBy(Duration.ofMillis(500)); // sample mid-window, away from the raises
            for (int s = 0; s < 6; s++) {
                clock.advanceTimeBy(Duration.ofSeconds(1));
                rates.add(budget.currentRate());
            }
            assertThat(rates).containsExactly(3.0, 4.0, 5.0, 5.0, 5.0, 5.0);
            assertThat(answered.get()).isGreaterThan(1 + 2 + 3 + 4);
        }

        @Test
        void aRequestWithoutAnAnswerNeitherRaisesNorCuts() {
            AdaptiveBudget budget = budget(config().initialRate(2).increaseStep(1).burst(1));
            List<Permit> unanswered = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                budget.acquire(clock).subscribe(p -> {
                    p.onUnanswered();
                    unanswered.add(p);
                });
            }
            clock.advanceTimeBy(Duration.ofSeconds(5));
            unanswered.forEach(Permit::onThrottled); // already reported: ignored

            assertThat(unanswered).hasSizeGreaterThan(5);
            assertThat(budget.currentRate()).isEqualTo(2.0);
            assertThat(budget.cuts()).isZero();
        }

        @Test
        void readingsOfTwoProductionSchedulersShareOneClockAndNeverRestartTheBucket() {
            // parallel and boundedElastic are both read through System.nanoTime(): a reading from
            // the other one is later time on the same line, not a new clock to start afresh on.
            AdaptiveBudget budget = budget(config().initialRate(0.01).minRate(0.01).maxRate(0.01).burst(1));
            AtomicInteger granted = new AtomicInteger();
            budget.acquire(reactor.core.scheduler.Schedulers.parallel()).subscribe(p -> granted.incrementAndGet());
            Disposable third = budget.acquire(reactor.core.scheduler.Schedulers.boundedElastic())
                    .subscribe(p -> granted.incrementAndGet());

            assertThat(granted.get()).isEqualTo(1);
            assertThat(budget.waiting()).isEqualTo(1);
            third.dispose();
        }

        @Test
        void anIdleBudgetDoesNotDriftUpward() {
            AdaptiveBudget budget = budget(config().initialRate(2).increaseStep(1).burst(5));
            for (int s = 0; s < 10; s++) {
                acquireNow(budget, 1).get(0).onAnswered();
                clock.advanceTimeBy(Duration.ofSeconds(1));
            }
            assertThat(budget.currentRate()).as("never limited, so nothing learnt").isEqualTo(2.0);
        }

        @Test
        void slowStartDoublesPerWindowUntilTheFirstCutThenTheRiseScalesWithTheRateOfTheCut() {
            AdaptiveBudget budget = new AdaptiveBudget(AdaptiveBudgetConfig.builder().slowStart(true)
                    .initialRate(2).maxRate(100).increaseStep(1).decreaseFactor(0.5).burst(1).build(), "test");
            List<Permit> granted = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                budget.acquire(clock).subscribe(p -> {
                    granted.add(p);
                    if (budget.cuts() == 0 && budget.currentRate() >= 16) {
                        p.onThrottled();
                    } else {
                        p.onAnswered();
                    }
                });
            }
            List<Double> rates = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                clock.advanceTimeBy(Duration.ofSeconds(1));
                rates.add(budget.currentRate());
            }
            // 2 -> 4 -> 8 -> 16, throttled at 16: cut to 8, then a step per window that climbs back
            // to 16 in about 100 permits: 16^2 x (1 - 0.5^2) x 1 s / 200 = 0.96/s (under the step of 1).
            assertThat(rates.subList(0, 4)).containsExactly(4.0, 8.0, 16.0, 8.0);
            assertThat(rates.get(4)).isCloseTo(8.96, within(1e-9));
            assertThat(rates.get(5)).isCloseTo(9.92, within(1e-9));
            assertThat(budget.cuts()).isEqualTo(1);
        }

        @Test
        void aClockThatGoesBackwardsRestartsTheBucketFull() {
            AdaptiveBudget budget = budget(config().initialRate(1).burst(2));
            clock.advanceTimeBy(Duration.ofMinutes(5));
            acquireNow(budget, 2);
            VirtualTimeScheduler fresh = VirtualTimeScheduler.create();
            AtomicInteger granted = new AtomicInteger();
            budget.acquire(fresh).subscribe(p -> granted.incrementAndGet());
            budget.acquire(fresh).subscribe(p -> granted.incrementAndGet());
            assertThat(granted.get()).isEqualTo(2);
        }

        @Test
        void aReadingABitBehindOnTheSameClockIsNoTimeElapsedNotAFullBucket() {
            // One scheduler's clock can read behind its previous reading: a wall clock stepped
            // back, or a VirtualTimeScheduler that another thread advances while a task is
            // scheduled (it then runs that task at the task's older time). That must not refill.
            AdaptiveBudget budget = budget(config().initialRate(1).burst(2));
            clock.advanceTimeBy(Duration.ofMinutes(5));
            LaggingClock lagging = new LaggingClock(clock);
            AtomicInteger granted = new AtomicInteger();
            budget.acquire(lagging).subscribe(p -> granted.incrementAndGet());
            budget.acquire(lagging).subscribe(p -> granted.incrementAndGet());
            lagging.lagNanos = TimeUnit.MILLISECONDS.toNanos(5);
            budget.acquire(lagging).subscribe(p -> granted.incrementAndGet());
            budget.acquire(lagging).subscribe(p -> granted.incrementAndGet());
            assertThat(granted.get()).as("the bucket was empty; 5 ms earlier it was empty too").isEqualTo(2);
            assertThat(budget.waiting()).isEqualTo(2);
        }

        private List<Permit> acquireNow(AdaptiveBudget budget, int n) {
            List<Permit> permits = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Permit p = budget.acquire(clock).block(Duration.ofSeconds(1));
                permits.add(p);
            }
            return permits;
        }
    }

    @Nested
    class Concurrency {

        @Test
        void manyThreadsAcquiringAndCancellingNeitherLoseNorDuplicatePermits() throws Exception {
            long seed = System.nanoTime();
            Random random = new Random(seed);
            int threads = 8;
            int perThread = 500;
            double rate = 50;
            int burst = 10;
            AdaptiveBudget budget = budget(config().initialRate(rate).minRate(rate).maxRate(rate).burst(burst));
            AtomicInteger delivered = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            ConcurrentLinkedQueue<Disposable> kept = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<AtomicInteger> keptCounts = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            long[] seeds = random.longs(threads).toArray();
            for (int t = 0; t < threads; t++) {
                long threadSeed = seeds[t];
                Thread worker = new Thread(() -> {
                    Random r = new Random(threadSeed);
                    await(start);
                    for (int i = 0; i < perThread; i++) {
                        AtomicInteger count = new AtomicInteger();
                        Disposable d = budget.acquire(clock).subscribe(p -> {
                            if (count.incrementAndGet() > 1) {
                                duplicates.incrementAndGet();
                            }
                            delivered.incrementAndGet();
                        });
                        if (r.nextInt(3) == 0) {
                            d.dispose();
                            if (count.get() > 0) {
                                // granted before the cancel: it counts as delivered, like a sent request
                                continue;
                            }
                        } else {
                            kept.add(d);
                            keptCounts.add(count);
                        }
                    }
                });
                workers.add(worker);
                worker.start();
            }
            Thread ticker = new Thread(() -> {
                await(start);
                for (int i = 0; i < 200; i++) {
                    clock.advanceTimeBy(Duration.ofMillis(5));
                    Thread.onSpinWait();
                }
            });
            ticker.start();
            start.countDown();
            for (Thread w : workers) {
                w.join(30_000);
            }
            ticker.join(30_000);
            long elapsedMillis = clock.now(TimeUnit.MILLISECONDS);

            // No duplicate and never more than the bucket allows.
            assertThat(duplicates.get()).as("seed %d", seed).isZero();
            assertThat((double) delivered.get()).as("seed %d", seed)
                    .isLessThanOrEqualTo(burst + rate * elapsedMillis / 1000.0 + 1e-9);

            // No loss: every kept acquisition is granted in time, exactly once, and then the
            // queue is empty.
            int keptNotYet = (int) keptCounts.stream().filter(c -> c.get() == 0).count();
            clock.advanceTimeBy(Duration.ofMillis((long) Math.ceil(keptNotYet / rate * 1000) + 1000));
            assertThat(keptCounts).as("seed %d", seed).allMatch(c -> c.get() == 1);
            assertThat(budget.waiting()).as("seed %d", seed).isZero();

            // And the bucket is whole again: the burst is there at once.
            clock.advanceTimeBy(Duration.ofSeconds(1));
            AtomicInteger atOnce = new AtomicInteger();
            for (int i = 0; i < burst; i++) {
                budget.acquire(clock).subscribe(p -> atOnce.incrementAndGet());
            }
            assertThat(atOnce.get()).as("seed %d", seed).isEqualTo(burst);
            kept.forEach(Disposable::dispose);
        }

        private void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The time of a VirtualTimeScheduler, read {@code lagNanos} behind; scheduling goes to it. */
    private static final class LaggingClock implements Scheduler {
        final VirtualTimeScheduler delegate;
        volatile long lagNanos;

        LaggingClock(VirtualTimeScheduler delegate) {
            this.delegate = delegate;
        }

        @Override
        public long now(TimeUnit unit) {
            return unit.convert(delegate.now(TimeUnit.NANOSECONDS) - lagNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return delegate.schedule(task, delay, unit);
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }
    }
}
