package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void startsFullThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(2, 3, T0);
        assertThat(bucket.tryAcquire(T0)).isTrue();
        assertThat(bucket.tryAcquire(T0)).isTrue();
        assertThat(bucket.tryAcquire(T0)).isTrue();
        assertThat(bucket.tryAcquire(T0)).isFalse();
        assertThat(bucket.tryAcquire(T0.plusMillis(499))).isFalse();
        assertThat(bucket.tryAcquire(T0.plusMillis(500))).isTrue();
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 2, T0);
        assertThat(bucket.availableTokens(T0.plusSeconds(60))).isEqualTo(2.0);
    }

    @Test
    void aClockGoingBackwardsChangesNothing() {
        TokenBucket bucket = new TokenBucket(1, 1, T0);
        assertThat(bucket.tryAcquire(T0)).isTrue();
        assertThat(bucket.tryAcquire(T0.minusSeconds(10))).isFalse();
        assertThat(bucket.tryAcquire(T0.plusSeconds(1))).isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, T0)).hasMessageContaining("permitsPerSecond");
        assertThatThrownBy(() -> new TokenBucket(1, 0, T0)).hasMessageContaining("burst");
    }
}
