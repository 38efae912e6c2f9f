package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Redis URI is written down without its secrets whatever they hold: every hostile password of
 * {@link HostilePasswords} (at least 30), in every way a person could write it, through
 * {@link RedisBudget#builder(String)}: its exceptions, the builder's {@code toString()}, and
 * whatever was printed meanwhile. Nothing connects here; {@code HostilePasswordsIT} connects.
 */
class RedisUrisTest {

    @Test
    void thereAreAtLeastThirtyHostilePasswords() {
        assertThat(HostilePasswords.PASSWORDS).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
    }

    @Test
    void noMessageOrToStringOfTheBuilderShowsASecret() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int refused = 0;
        int accepted = 0;
        List<String> seen = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        System.setOut(capture);
        System.setErr(capture);
        try {
            for (HostilePasswords.Case c : HostilePasswords.allCases()) {
                String text;
                try {
                    RedisBudget.Builder builder = RedisBudget.builder(c.uri()).key("123456789012", "eu-west-1");
                    text = builder.toString();
                    accepted++;
                } catch (IllegalArgumentException e) {
                    text = e.getMessage() + " " + e;
                    assertThat(e.getCause()).as("a refusal carries no cause that could quote the URI").isNull();
                    refused++;
                }
                seen.add(text);
                try {
                    HostilePasswords.assertNoSecret("RedisBudget.builder(" + c + ")", text, c.secrets());
                } catch (AssertionError leak) {
                    leaks.add(leak.getMessage());
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(leaks).as("%d of %d URIs leaked a secret; first: %s", leaks.size(), seen.size(),
                String.join("\n", leaks)).isEmpty();
        HostilePasswords.assertNoSecret("what was printed", printed.toString(StandardCharsets.UTF_8),
                HostilePasswords.PASSWORDS);
        System.out.println(accepted + " URIs accepted, " + refused + " refused; e.g. " + seen.get(0) + " | " + seen.get(2));
        assertThat(accepted).as("valid URIs are still accepted").isGreaterThan(HostilePasswords.PASSWORDS.size());
        assertThat(refused).as("invalid URIs are still refused").isGreaterThan(HostilePasswords.PASSWORDS.size());
    }

    @Test
    void aRefusedUriStillSaysWhichHostItNamedWhenThatIsSafe() {
        assertThat(refusal("redis://:Zx9#Qw7@cache.internal:6379"))
                .isEqualTo("Redis URI is not valid: redis://***@cache.internal:6379"
                        + " (expected redis[s]://[[user]:password@]host[:port][/database])");
        assertThat(refusal("redis://:Zx9#Qw7@cache.internal:6379/0?timeout=x#y"))
                .contains("redis://***@cache.internal:6379/0 ").doesNotContain("timeout");
        assertThat(refusal("http://u:Zx9#Qw7@cache.internal:6379"))
                .isEqualTo("Redis URI must start with redis:// or rediss:// (TLS), got http://***@cache.internal:6379");
        assertThat(refusal("redis://:Zx9Qw7")).as("no @: what follows the scheme may be the password")
                .startsWith("Redis URI is not valid: redis://(not shown) ");
        assertThat(refusal(":Zx9Qw7@cache.internal")).as("no scheme at all")
                .isEqualTo("Redis URI must start with redis:// or rediss:// (TLS), got a value that does not"
                        + " (not shown: it may hold a password)");
    }

    @Test
    void aValidUriIsDescribedByItsHostPortAndDatabaseOnly() {
        RedisURI uri = RedisUris.parse("rediss://Jr5Nd%40ops:Kq7Wm%23Vb3Tp@cache.internal:6380/3");
        assertThat(RedisUris.describe(uri)).isEqualTo("rediss://cache.internal:6380/3");
        io.lettuce.core.RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getUsername()).as("Lettuce decodes the user").isEqualTo("Jr5Nd@ops");
        assertThat(new String(credentials.getPassword())).as("and the password").isEqualTo("Kq7Wm#Vb3Tp");
    }

    private static String refusal(String uri) {
        try {
            RedisUris.parse(uri);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + uri);
    }
}
