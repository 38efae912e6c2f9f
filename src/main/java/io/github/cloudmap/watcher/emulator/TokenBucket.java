package io.github.cloudmap.watcher.emulator;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket driven by the emulator clock, so rate limits are deterministic under a test clock.
 *
 * <p>Starts full ({@code burst} tokens) and refills continuously at {@code permitsPerSecond}, as
 * AWS describes its own request limits. Not thread-safe: {@link FaultInjector} guards it.
 */
final class TokenBucket {

    private final double permitsPerSecond;
    private final int burst;
    private double tokens;
    private Instant last;

    TokenBucket(double permitsPerSecond, int burst, Instant now) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be > 0 and finite, got " + permitsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        this.permitsPerSecond = permitsPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token if there is one; refills first for the time passed since the last call. */
    boolean tryAcquire(Instant now) {
        refill(now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    double availableTokens(Instant now) {
        refill(now);
        return tokens;
    }

    private void refill(Instant now) {
        // A clock that goes backwards (a test clock reset) must never add or remove tokens.
        if (now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + seconds * permitsPerSecond);
            last = now;
        }
    }
}
