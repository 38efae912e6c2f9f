package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.redis.FleetStore.Change;
import io.github.cloudmap.watcher.redis.FleetStore.Decision;
import io.github.cloudmap.watcher.redis.FleetStore.Grant;
import io.github.cloudmap.watcher.redis.FleetStore.Outcome;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The fleet's state in a real Redis (needs {@code redis-server}; skipped where it cannot be
 * found): the Lua script's atomic decisions and its bucket on Redis's clock, through Lettuce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LettuceFleetStoreIT {

    private static final FleetRules RULES = new FleetRules(50, 1, 100, 5, 0.5, Duration.ofSeconds(1), 2, false);

    private RedisServer redis;
    private final List<RedisClient> clients = new ArrayList<>();
    private final List<LettuceFleetStore> stores = new ArrayList<>();

    @BeforeAll
    void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(LettuceFleetStore::close);
        stores.clear();
        clients.clear();
    }

    /** A store as one process of the fleet has it: its own client and connection. */
    private LettuceFleetStore process(String key) {
        RedisClient client = RedisClient.create();
        clients.add(client);
        LettuceFleetStore store = new LettuceFleetStore(client, RedisURI.create(redis.uri()), true,
                new FleetKey("test", key, "eu-west-1"), RULES);
        stores.add(store);
        return store;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void threeProcessesThrottledInTheSameInstantCutOnce(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        List<LettuceFleetStore> fleet = List.of(process(key), process(key), process(key));
        FleetRate initial = new FleetRate(50, 0, false);
        for (LettuceFleetStore store : fleet) {
            await(store.change(Change.READ, initial, 50));   // connected, so the three cuts race for real
        }

        List<CompletableFuture<Decision>> cuts = fleet.stream()
                .map(store -> store.change(Change.CUT, initial, RULES.cut(50))).toList();
        CompletableFuture.allOf(cuts.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        List<Outcome> outcomes = cuts.stream().map(f -> f.join().outcome()).toList();
        assertThat(outcomes).containsOnlyOnce(Outcome.APPLIED).containsOnly(Outcome.APPLIED, Outcome.MARKED);
        assertThat(await(fleet.get(0).change(Change.READ, initial, 0)).current()).isEqualTo(new FleetRate(25, 1, false, 50));
    }

    @Test
    void aCutWaitsOutTheWindowAndAStaleProposalIsRefused(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        LettuceFleetStore a = process(key);
        LettuceFleetStore b = process(key);
        await(b.change(Change.READ, new FleetRate(50, 0, false), 0));   // connected: the window is not spent connecting
        assertThat(await(a.change(Change.CUT, new FleetRate(50, 0, false), 25)).outcome()).isEqualTo(Outcome.APPLIED);
        // b still believes in 50/s v0: within the window its throttle is the same event.
        assertThat(await(b.change(Change.CUT, new FleetRate(50, 0, false), 25)).outcome()).isEqualTo(Outcome.MARKED);
        // A raise is refused while the cut's window lasts.
        assertThat(await(a.change(Change.RAISE, new FleetRate(25, 1, false), 30)).outcome()).isEqualTo(Outcome.MARKED);

        Decision stale = awaitOutcomeOtherThan(Outcome.MARKED, () -> b.change(Change.CUT, new FleetRate(50, 0, false), 25));
        assertThat(stale.outcome()).isEqualTo(Outcome.STALE);
        assertThat(stale.current()).isEqualTo(new FleetRate(25, 1, false, 50));
        Decision cut = await(b.change(Change.CUT, stale.current(), 12.5));
        assertThat(cut.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(cut.current()).as("the rate before this cut is kept for the climb").isEqualTo(new FleetRate(12.5, 2, false, 25));
    }

    @Test
    void aThrottleOfAPermitGrantedBeforeTheLastCutIsMarkedAndACutEmptiesTheSavedTokens(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        LettuceFleetStore a = process(key);
        LettuceFleetStore b = process(key);
        FleetRate initial = new FleetRate(2, 0, false);   // slow: a token a second after the cut
        Grant reserved = await(b.take(initial, 1));
        assertThat(reserved.tokensBefore()).as("a new bucket is full").isGreaterThanOrEqualTo(1);
        Decision cut = await(a.change(Change.CUT, initial, 1, 0));
        assertThat(cut.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(await(a.take(cut.current(), 1)).tokensBefore())
                .as("the account's bucket is empty after a throttle: no saved token is handed out at once")
                .isLessThan(1);
        Thread.sleep(RULES.window().toMillis() + 50);   // past the cut marker: only the grant's version can refuse now
        Decision late = await(b.change(Change.CUT, cut.current(), 0.5, reserved.current().version()));
        assertThat(late.outcome()).as("reserved under version 0, before the cut to version 1").isEqualTo(Outcome.MARKED);
        Decision fresh = await(b.change(Change.CUT, cut.current(), 0.5, cut.current().version()));
        assertThat(fresh.outcome()).as("reserved at the new rate: a new excess").isEqualTo(Outcome.APPLIED);
        assertThat(fresh.current().rate()).isEqualTo(0.5);
    }

    @Test
    void raisesAreAdditiveAndOncePerIntervalForTheWholeFleet(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        List<LettuceFleetStore> fleet = List.of(process(key), process(key), process(key));
        FleetRate initial = new FleetRate(50, 0, false);
        List<CompletableFuture<Decision>> raises = fleet.stream()
                .map(store -> store.change(Change.RAISE, initial, RULES.raise(initial))).toList();
        CompletableFuture.allOf(raises.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(raises.stream().map(f -> f.join().outcome()).toList())
                .containsOnlyOnce(Outcome.APPLIED).containsOnly(Outcome.APPLIED, Outcome.MARKED);
        assertThat(await(fleet.get(2).change(Change.READ, initial, 0)).current()).isEqualTo(new FleetRate(55, 1, false));
    }

    @Test
    void theBucketRunsOnRedisTimeReservesAheadAndFollowsACut(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        LettuceFleetStore a = process(key);
        LettuceFleetStore b = process(key);
        FleetRate two = new FleetRate(2, 0, false);
        await(b.change(Change.READ, two, 0));
        FleetStore.Grant first = await(a.take(two, 3));
        assertThat(first.granted()).as("reserved ahead of the refill").isEqualTo(3);
        assertThat(first.dueNanos(0)).isZero();
        assertThat(first.dueNanos(1)).as("a full bucket holds the burst (2), for the fleet").isZero();
        assertThat(first.dueNanos(2)).as("the third permit is due in about 1/2 s").isBetween(
                TimeUnit.MILLISECONDS.toNanos(400), TimeUnit.MILLISECONDS.toNanos(501));
        FleetStore.Grant second = await(b.take(two, 1));
        assertThat(second.dueNanos(0)).as("b's reservation queues behind a's: first come, first served")
                .isBetween(TimeUnit.MILLISECONDS.toNanos(900), TimeUnit.MILLISECONDS.toNanos(1001));
        assertThat(second.live()).as("two processes seen").isEqualTo(2);

        // A cut to 0.2/s: the next reservation is spaced at the new rate, for everyone.
        Decision cut = await(a.change(Change.CUT, two, 0.2));
        assertThat(cut.outcome()).isEqualTo(Outcome.APPLIED);
        FleetStore.Grant slower = await(b.take(two, 1));
        assertThat(slower.current().rate()).as("b learns the cut from its take").isEqualTo(0.2);
        assertThat(slower.dueNanos(0)).as("due at 0.2/s").isGreaterThan(TimeUnit.SECONDS.toNanos(5));
        // Giving back brings the reservations forward.
        await(a.giveBack(cut.current(), 3));
        assertThat(await(b.take(cut.current(), 1)).dueNanos(0)).isLessThan(slower.dueNanos(0));
    }

    @Test
    void stateLostInARestartIsRebuiltFromWhatTheProcessesKnow(TestInfo test) throws Exception {
        String key = test.getTestMethod().orElseThrow().getName();
        LettuceFleetStore a = process(key);
        assertThat(await(a.change(Change.CUT, new FleetRate(50, 0, false), 25)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(await(a.take(new FleetRate(25, 1, false), 1)).granted()).isEqualTo(1);

        redis.restart();   // no persistence: every key is gone

        FleetRate known = new FleetRate(25, 1, false, 50);
        Decision read = awaitAnswer(() -> a.change(Change.READ, known, 0));
        assertThat(read.current()).as("restored from the process's knowledge, version kept").isEqualTo(known);
        assertThat(await(a.take(known, 1)).dueNanos(0)).as("the bucket is rebuilt full, not an error").isZero();
        // A process that joins now, knowing only the defaults, learns the restored rate.
        assertThat(await(process(key).change(Change.READ, new FleetRate(50, 0, false), 0)).current()).isEqualTo(known);
    }

    private static Decision awaitOutcomeOtherThan(Outcome outcome,
            java.util.function.Supplier<CompletableFuture<Decision>> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Decision last;
        do {
            last = await(call.get());
            if (last.outcome() != outcome) {
                return last;
            }
            Thread.sleep(50);   // a real window in a real Redis: bounded
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** Retries while the connection re-establishes after a restart (Lettuce reconnects by itself). */
    private static Decision awaitAnswer(java.util.function.Supplier<CompletableFuture<Decision>> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return await(call.get());
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
