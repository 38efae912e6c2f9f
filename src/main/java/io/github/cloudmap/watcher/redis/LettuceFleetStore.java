package io.github.cloudmap.watcher.redis;

import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fleet's state in Redis, through Lettuce's asynchronous API: the token bucket is Bucket4j's
 * (compare-and-swap based, one key), the rate and its version are a hash changed only by
 * {@link #SCRIPT}, which decides each cut and raise atomically with a marker key that expires
 * after the rule's window.
 *
 * <p>Keys share one Redis Cluster hash tag, {@code {account:region}}, so the script may touch
 * them together on a cluster as well.
 *
 * <p>Thread-safe. Nothing here blocks: the connection is opened asynchronously on first use and
 * opened again on the next call after it failed (Lettuce reconnects an open one by itself).
 */
final class LettuceFleetStore implements FleetStore {

    /**
     * KEYS: state hash, cut marker, raise marker. ARGV: op (read, cut, raise), the caller's known
     * version, rate and slow-start flag (1 or 0), the proposed rate, the window in ms (the
     * marker's time to live). A cut marker also holds raises off for its window, as the local
     * adaptive budget does.
     *
     * <p>A caller that knows a higher version than Redis holds restores it: that happens only
     * when Redis lost the state (a restart without persistence, an eviction), and it keeps the
     * version growing, which Bucket4j's configuration replacement relies on. Rates travel as the
     * strings Java wrote: the script never does arithmetic on them.
     */
    static final String SCRIPT = String.join("\n",
            "local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')",
            "local rate = redis.call('HGET', KEYS[1], 'rate')",
            "local slow = redis.call('HGET', KEYS[1], 'slow')",
            "local known = tonumber(ARGV[2])",
            "if known > version then",
            "  version, rate, slow = known, ARGV[3], ARGV[4]",
            "  redis.call('HSET', KEYS[1], 'version', version, 'rate', rate, 'slow', slow)",
            "end",
            "redis.call('PEXPIRE', KEYS[1], 86400000)",
            "local outcome = 'read'",
            "local marker = nil",
            "if ARGV[1] == 'cut' then",
            "  if redis.call('EXISTS', KEYS[2]) == 1 then outcome = 'marked'",
            "  elseif version ~= known then outcome = 'stale'",
            "  else outcome = 'applied'; marker = KEYS[2]; slow = '0' end",
            "elseif ARGV[1] == 'raise' then",
            "  if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then outcome = 'marked'",
            "  elseif version ~= known then outcome = 'stale'",
            "  else outcome = 'applied'; marker = KEYS[3] end",
            "end",
            "if marker then",
            "  redis.call('SET', marker, '1', 'PX', ARGV[6])",
            "  version = version + 1",
            "  rate = ARGV[5]",
            "  redis.call('HSET', KEYS[1], 'version', version, 'rate', rate, 'slow', slow)",
            "end",
            "return {outcome, tostring(version), rate, slow}");

    /** An idle bucket's key expires once it would be full again, plus this. */
    private static final Duration BUCKET_IDLE_EXPIRY = Duration.ofSeconds(10);

    private final RedisClient client;
    private final RedisURI uri;
    private final boolean ownsClient;
    private final FleetRules rules;
    private final byte[] bucketKey;
    private final byte[][] stateKeys;
    private final AtomicReference<CompletableFuture<Link>> link = new AtomicReference<>();
    private final AtomicReference<VersionedBucket> bucket = new AtomicReference<>();
    private volatile boolean closed;

    /** One open connection and the Bucket4j proxy manager over it. */
    private record Link(StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> buckets) { }

    /** The proxy of the bucket at one fleet rate version. */
    private record VersionedBucket(long version, Link link, AsyncBucketProxy proxy) { }

    LettuceFleetStore(RedisClient client, RedisURI uri, boolean ownsClient, FleetKey key, FleetRules rules) {
        this.client = client;
        this.uri = uri;
        this.ownsClient = ownsClient;
        this.rules = rules;
        this.bucketKey = bytes(key.bucket());
        this.stateKeys = new byte[][] {bytes(key.state()), bytes(key.cutMarker()), bytes(key.raiseMarker())};
    }

    @Override
    public CompletableFuture<Long> tryTake(FleetRate rate) {
        return link().thenCompose(l -> bucketFor(l, rate).tryConsumeAndReturnRemaining(1))
                .thenApply(probe -> probe.isConsumed() ? 0L : Math.max(1L, probe.getNanosToWaitForRefill()));
    }

    @Override
    public CompletableFuture<Void> giveBack(FleetRate rate) {
        return link().thenCompose(l -> bucketFor(l, rate).addTokens(1));
    }

    @Override
    public CompletableFuture<Decision> change(Change change, FleetRate known, double proposed) {
        String op = switch (change) {
            case READ -> "read";
            case CUT -> "cut";
            case RAISE -> "raise";
        };
        long ttl = Math.max(1, rules.window().toMillis());
        return link().thenCompose(l -> l.connection().async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI,
                        stateKeys, bytes(op), bytes(Long.toString(known.version())), bytes(Double.toString(known.rate())),
                        bytes(known.slowStart() ? "1" : "0"), bytes(Double.toString(proposed)), bytes(Long.toString(ttl)))
                .toCompletableFuture())
                .thenApply(LettuceFleetStore::decision);
    }

    private static Decision decision(List<Object> reply) {
        String outcome = string(reply.get(0));
        FleetRate current = new FleetRate(Double.parseDouble(string(reply.get(2))), Long.parseLong(string(reply.get(1))),
                "1".equals(string(reply.get(3))));
        return new Decision(switch (outcome) {
            case "applied" -> Outcome.APPLIED;
            case "marked" -> Outcome.MARKED;
            case "stale" -> Outcome.STALE;
            default -> Outcome.READ;
        }, current);
    }

    /**
     * The bucket's proxy for {@code rate}'s version: Bucket4j replaces the stored configuration
     * when this version is higher than the stored one and leaves it alone otherwise, and rebuilds
     * the bucket from {@code rate} when the key is gone (Redis restarted, or the bucket idled out).
     */
    private AsyncBucketProxy bucketFor(Link l, FleetRate rate) {
        VersionedBucket current = bucket.get();
        if (current != null && current.link() == l && current.version() >= rate.version()) {
            return current.proxy();
        }
        BucketConfiguration configuration = configuration(rate.rate(), rules.burst());
        AsyncBucketProxy proxy = l.buckets().builder()
                .withImplicitConfigurationReplacement(rate.version(), TokensInheritanceStrategy.AS_IS)
                .build(bucketKey, () -> CompletableFuture.completedFuture(configuration));
        VersionedBucket fresh = new VersionedBucket(rate.version(), l, proxy);
        bucket.accumulateAndGet(fresh, (a, b) -> a != null && a.link() == b.link() && a.version() >= b.version() ? a : b);
        return proxy;
    }

    /**
     * A bucket that refills {@code rate} permits a second, smoothly (greedy refill), and holds
     * {@code burst}: what an idle fleet may send at once, as an idle local budget does. Bucket4j
     * counts whole tokens, so the refill is expressed per 1,000 s to keep three decimals of rate.
     */
    static BucketConfiguration configuration(double rate, int burst) {
        long perThousandSeconds = Math.max(1, Math.round(rate * 1000));
        return BucketConfiguration.builder()
                .addLimit(BandwidthBuilder.builder()
                        .capacity(burst)
                        .refillGreedy(perThousandSeconds, Duration.ofSeconds(1000))
                        .initialTokens(burst)
                        .build())
                .build();
    }

    @Override
    public void connect() {
        link();
    }

    private CompletableFuture<Link> link() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the fleet budget is closed"));
        }
        while (true) {
            CompletableFuture<Link> current = link.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<Link> fresh = new CompletableFuture<>();
            if (link.compareAndSet(current, fresh)) {
                client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                        .thenApply(connection -> new Link(connection, Bucket4jLettuce.casBasedBuilder(connection)
                                .expirationAfterWrite(
                                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(BUCKET_IDLE_EXPIRY))
                                .build()
                                .asAsync()))
                        .whenComplete((l, error) -> {
                            if (error != null) {
                                fresh.completeExceptionally(error);
                            } else if (closed) {
                                l.connection().closeAsync();
                                fresh.completeExceptionally(new IllegalStateException("the fleet budget is closed"));
                            } else {
                                fresh.complete(l);
                            }
                        });
                return fresh;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<Link> current = link.getAndSet(null);
        if (current != null) {
            current.thenAccept(l -> l.connection().closeAsync());
        }
        if (ownsClient) {
            // Asynchronous: close() may be called from any thread, a Reactor one included.
            client.shutdownAsync();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
