package io.github.cloudmap.watcher.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fleet's state in Redis, through Lettuce's asynchronous API: one hash holds the rate, its
 * version and the token bucket, and {@link #SCRIPT} changes it atomically on Redis's own clock
 * ({@code TIME}), so hosts whose clocks disagree still share the bucket first come, first served.
 * A sorted set counts the processes seen within {@link #LIVE_TTL}, on the same clock.
 *
 * <p>Keys share one Redis Cluster hash tag, {@code {account:region}}, so the script may touch
 * them together on a cluster as well. The script reads {@code TIME}, which Redis 5 and later
 * allow since they replicate a script by its effects.
 *
 * <p>Thread-safe. Nothing here blocks: the connection is opened asynchronously on first use and
 * opened again on the next call after it failed or after Redis said it is a replica
 * ({@code READONLY}: a failover moved the primary). While the connection is down, calls fail at
 * once instead of queueing, whatever the client's own options: a take or give-back replayed
 * after an outage would be stale.
 */
final class LettuceFleetStore implements FleetStore {

    /**
     * KEYS: state hash, cut marker, raise marker, live set. ARGV: 1 op (read, take, give, cut,
     * raise), 2-5 the caller's known version, rate, slow-start flag (1 or 0) and rate before the
     * last cut ('' for none), 6 the proposed rate, 7 the window in ms (the markers' time to live),
     * 8 permits wanted (take) or given back (give), 9 the burst, 10 the process's id, 11 the live
     * set's time to live in ms, 12 how far ahead, in seconds, permits may be reserved at most, 13
     * (cut) the version under which the throttled permit was granted.
     *
     * <p>The bucket refills at the rate from the last call's Redis time to this one's; a take
     * reserves permits ahead of the refill (tokens go negative), so a caller learns when each is
     * due without asking again. A caller that knows a higher version than Redis holds restores
     * it: that happens only when Redis lost the state (a restart without persistence, an
     * eviction). A cut marker also holds raises off for its window, as the local budget does. A cut
     * is also refused for a permit granted before the last cut ({@code cutv}, the version that cut
     * made), and it empties the saved tokens (not the reservations): the account's bucket is empty.
     * Numbers travel as strings: Redis would truncate a script's numbers to integers.
     */
    static final String SCRIPT = String.join("\n",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000",
            "local s = redis.call('HMGET', KEYS[1], 'version', 'rate', 'slow', 'before', 'tokens', 'at', 'cutv')",
            "local version = tonumber(s[1] or '-1')",
            "local rate, slow, before = s[2], s[3], s[4] or ''",
            "local tokens, at, cutv = tonumber(s[5] or ''), tonumber(s[6] or ''), s[7] or ''",
            "local known = tonumber(ARGV[2])",
            "if known > version then",
            "  version, rate, slow, before = known, ARGV[3], ARGV[4], ARGV[5]",
            "end",
            "local r = tonumber(rate)",
            "local burst = tonumber(ARGV[9])",
            "if not tokens or not at then tokens, at = burst, now end",
            "if now > at then tokens = math.min(burst, tokens + (now - at) * r / 1000) end",
            "at = now",
            "local op = ARGV[1]",
            "local outcome, marker, granted, held = 'read', nil, 0, tokens",
            "if op == 'take' then",
            "  local room = math.floor(tokens + r * tonumber(ARGV[12]))",
            "  granted = math.max(0, math.min(tonumber(ARGV[8]), room))",
            "  tokens = tokens - granted",
            "elseif op == 'give' then",
            "  tokens = math.min(burst, tokens + tonumber(ARGV[8]))",
            "elseif op == 'cut' then",
            "  if redis.call('EXISTS', KEYS[2]) == 1 then outcome = 'marked'",
            "  elseif cutv ~= '' and tonumber(ARGV[13]) < tonumber(cutv) then outcome = 'marked'",
            "  elseif version ~= known then outcome = 'stale'",
            "  else outcome = 'applied'; marker = KEYS[2]; slow = '0'; before = rate; tokens = math.min(tokens, 0) end",
            "elseif op == 'raise' then",
            "  if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then outcome = 'marked'",
            "  elseif version ~= known then outcome = 'stale'",
            "  else outcome = 'applied'; marker = KEYS[3] end",
            "end",
            "if marker then",
            "  redis.call('SET', marker, '1', 'PX', ARGV[7])",
            "  version = version + 1",
            "  rate = ARGV[6]",
            "  if op == 'cut' then cutv = tostring(version) end",
            "end",
            "redis.call('HSET', KEYS[1], 'version', tostring(version), 'rate', rate, 'slow', slow, 'before', before,",
            "  'tokens', tostring(tokens), 'at', tostring(at), 'cutv', cutv)",
            "redis.call('PEXPIRE', KEYS[1], 86400000)",
            "redis.call('ZADD', KEYS[4], now, ARGV[10])",
            "redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[11]))",
            "redis.call('PEXPIRE', KEYS[4], ARGV[11])",
            "local live = redis.call('ZCARD', KEYS[4])",
            "return {outcome, tostring(version), rate, slow, before, tostring(held), tostring(granted), tostring(live)}");

    /** A process that has not called for this long no longer counts as live. */
    static final Duration LIVE_TTL = Duration.ofSeconds(30);
    /** The furthest ahead a permit may be reserved: a bound on what a runaway caller could hold. */
    static final Duration MAX_AHEAD = Duration.ofSeconds(60);

    private final RedisClient client;
    private final RedisURI uri;
    private final boolean ownsClient;
    private final FleetRules rules;
    private final byte[][] keys;
    private final byte[] processId = bytes(UUID.randomUUID().toString());
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> link =
            new AtomicReference<>();
    private volatile boolean closed;

    LettuceFleetStore(RedisClient client, RedisURI uri, boolean ownsClient, FleetKey key, FleetRules rules) {
        this.client = client;
        this.uri = uri;
        this.ownsClient = ownsClient;
        this.rules = rules;
        this.keys = new byte[][] {bytes(key.state()), bytes(key.cutMarker()), bytes(key.raiseMarker()),
            bytes(key.live())};
    }

    @Override
    public CompletableFuture<Grant> take(FleetRate known, int wanted) {
        return run("take", known, known.rate(), wanted, Long.MAX_VALUE).thenApply(reply -> {
            Decision d = decision(reply);
            return new Grant(d.current(), Integer.parseInt(string(reply.get(6))),
                    Double.parseDouble(string(reply.get(5))), d.live());
        });
    }

    @Override
    public CompletableFuture<Void> giveBack(FleetRate known, int permits) {
        return run("give", known, known.rate(), permits, Long.MAX_VALUE).thenApply(reply -> null);
    }

    @Override
    public CompletableFuture<Decision> change(Change change, FleetRate known, double proposed, long grantedAt) {
        String op = switch (change) {
            case READ -> "read";
            case CUT -> "cut";
            case RAISE -> "raise";
        };
        return run(op, known, proposed, 0, grantedAt).thenApply(LettuceFleetStore::decision);
    }

    private CompletableFuture<List<Object>> run(String op, FleetRate known, double proposed, int permits, long grantedAt) {
        long window = Math.max(1, rules.window().toMillis());
        byte[][] args = {bytes(op), bytes(Long.toString(known.version())), bytes(Double.toString(known.rate())),
            bytes(known.slowStart() ? "1" : "0"), bytes(Double.isNaN(known.beforeCut()) ? "" : Double.toString(known.beforeCut())),
            bytes(Double.toString(proposed)), bytes(Long.toString(window)), bytes(Integer.toString(permits)),
            bytes(Integer.toString(rules.burst())), processId, bytes(Long.toString(LIVE_TTL.toMillis())),
            bytes(Long.toString(MAX_AHEAD.toSeconds())), bytes(Long.toString(grantedAt))};
        return link().thenCompose(connection -> {
            if (!connection.isOpen()) {
                // Lettuce would queue the command and replay it after reconnecting: stale by then.
                return CompletableFuture.failedFuture(new RedisConnectionException("not connected to Redis"));
            }
            return connection.async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
        }).whenComplete((reply, error) -> {
            if (error != null && isReadOnly(error)) {
                dropLink();
            }
        });
    }

    /** {@code READONLY}: the node was demoted to replica; a new connection finds the primary. */
    private static boolean isReadOnly(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof RedisCommandExecutionException && e.getMessage() != null && e.getMessage().contains("READONLY");
    }

    private void dropLink() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = link.getAndSet(null);
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::closeAsync);
        }
    }

    private static Decision decision(List<Object> reply) {
        String outcome = string(reply.get(0));
        String before = string(reply.get(4));
        FleetRate current = new FleetRate(Double.parseDouble(string(reply.get(2))), Long.parseLong(string(reply.get(1))),
                "1".equals(string(reply.get(3))), before.isEmpty() ? Double.NaN : Double.parseDouble(before));
        return new Decision(switch (outcome) {
            case "applied" -> Outcome.APPLIED;
            case "marked" -> Outcome.MARKED;
            case "stale" -> Outcome.STALE;
            default -> Outcome.READ;
        }, current, Integer.parseInt(string(reply.get(7))));
    }

    @Override
    public void connect() {
        link();
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> link() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the fleet budget is closed"));
        }
        while (true) {
            CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = link.get();
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            CompletableFuture<StatefulRedisConnection<byte[], byte[]>> fresh = new CompletableFuture<>();
            if (link.compareAndSet(current, fresh)) {
                client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().whenComplete((connection, error) -> {
                    if (error != null) {
                        fresh.completeExceptionally(error);
                    } else if (closed) {
                        connection.closeAsync();
                        fresh.completeExceptionally(new IllegalStateException("the fleet budget is closed"));
                    } else {
                        fresh.complete(connection);
                    }
                });
                return fresh;
            }
        }
    }

    /**
     * Closes the connection, then (when the store opened it) the client, in that order and
     * without blocking: the client shuts down only once its connection is closed, so Lettuce has
     * nothing left to warn about.
     */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = link.getAndSet(null);
        CompletableFuture<Void> connectionClosed = current == null ? CompletableFuture.completedFuture(null)
                : current.handle((connection, error) -> connection)
                        .thenCompose(connection -> connection == null ? CompletableFuture.<Void>completedFuture(null)
                                : connection.closeAsync());
        if (ownsClient) {
            connectionClosed.whenComplete((ignored, error) -> client.shutdownAsync());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
