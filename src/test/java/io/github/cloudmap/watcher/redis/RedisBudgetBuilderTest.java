package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad configuration is refused when it is given, with a message that never shows a password. */
class RedisBudgetBuilderTest {

    private static final String SECRET = "s3cr3t-Pa55";

    @Test
    void refusesAnUnparseableUriWithoutShowingItsPassword() {
        assertThatThrownBy(() -> RedisBudget.builder("redis://fleet:" + SECRET + "@host:notaport"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Redis URI is not valid")
                .hasMessageContaining("redis://***@host:notaport")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void refusesOtherSchemesAndEmptyUris() {
        assertThatThrownBy(() -> RedisBudget.builder("http://user:" + SECRET + "@host:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis:// or rediss://")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> RedisBudget.builder("localhost:6379"))
                .hasMessageContaining("redis:// or rediss://");
        assertThatThrownBy(() -> RedisBudget.builder(" ")).hasMessage("Redis URI must not be empty");
        assertThatThrownBy(() -> RedisBudget.builder((String) null)).hasMessage("Redis URI must not be empty");
    }

    @Test
    void refusesAnEmptyOrMissingKey() {
        RedisBudget.Builder builder = RedisBudget.builder("redis://127.0.0.1:6379");
        assertThatThrownBy(() -> builder.key("", "eu-west-1")).hasMessage("account must not be empty");
        assertThatThrownBy(() -> builder.key("123456789012", " ")).hasMessage("region must not be empty");
        assertThatThrownBy(() -> builder.key("1234 5678", "eu-west-1")).hasMessageContaining("must not contain spaces");
        assertThatThrownBy(() -> builder.keyPrefix("")).hasMessage("key prefix must not be empty");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key(account, region) must be given");
    }

    @Test
    void refusesWaitsOutOfBounds() {
        RedisBudget.Builder builder = RedisBudget.builder("redis://127.0.0.1:6379");
        assertThatThrownBy(() -> builder.redisTimeout(Duration.ZERO)).hasMessageContaining("between 1 ms and 10 s");
        assertThatThrownBy(() -> builder.retryInterval(Duration.ofHours(1))).hasMessageContaining("between 10 ms and 1 min");
    }

    @Test
    void acceptsUsersPasswordsAndTlsAndNeverPrintsThePassword() {
        for (String uri : new String[] {"redis://fleet:" + SECRET + "@cache.internal:6380/2",
            "rediss://fleet:" + SECRET + "@cache.internal:6380", "redis://:" + SECRET + "@cache.internal"}) {
            RedisBudget.Builder builder = RedisBudget.builder(uri);
            assertThat(builder.toString()).doesNotContain(SECRET);
            try (RedisBudget budget = builder.key("123456789012", "eu-west-1").build()) {
                assertThat(budget.toString()).doesNotContain(SECRET).contains("cache.internal")
                        .contains("{123456789012:eu-west-1}");
                assertThat(budget.toString()).contains(uri.startsWith("rediss") ? "rediss://" : "redis://");
            }
        }
    }

    @Test
    void scrubsThePasswordFromErrorDescriptions() {
        RedisBudget.Secrets secrets = new RedisBudget.Secrets(SECRET);
        assertThat(secrets.scrub(new IllegalStateException("AUTH " + SECRET + " failed")))
                .isEqualTo("IllegalStateException: AUTH *** failed");
        assertThat(secrets.toString()).doesNotContain(SECRET);
    }
}
