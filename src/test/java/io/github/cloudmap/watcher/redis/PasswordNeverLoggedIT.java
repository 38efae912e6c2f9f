package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password given in the Redis URI never reaches the logs (needs {@code redis-server}; skipped
 * where it cannot be found). A separate JVM runs the budget through a working connection, a
 * wrong password, an unreachable server and a bad URI, with every logger (Lettuce's and Netty's
 * included) at DEBUG; everything it writes is captured and searched.
 */
class PasswordNeverLoggedIT {

    private static final String PASSWORD = "Fl33t-Pa55word-7731";

    @Test
    void thePasswordNeverAppearsInAnyLogLineOrMessage() {
        try (RedisServer redis = RedisServer.start("--user", "default", "off", "--user", "fleet", "on", ">" + PASSWORD,
                "~*", "&*", "+@all")) {
            String working = redis.uri("fleet:" + PASSWORD);
            String wrong = redis.uri("fleet:" + PASSWORD + "-wrong");
            String unreachable = "redis://fleet:" + PASSWORD + "@127.0.0.1:1";
            ChildJvm child = ChildJvm.start("password-probe", PasswordProbe.class,
                    List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), working, wrong, unreachable);
            String output = child.await(60);

            assertThat(output).as("the probe ran every path").contains("probe done")
                    .contains("refused: Redis URI is not valid: redis://***@127.0.0.1:x");
            assertThat(output).as("the working budget stayed on Redis").contains("onRedis=true");
            assertThat(output).as("the failing budgets logged their fallback").contains("using the local budget");
            assertThat(output).as("Lettuce logged at DEBUG, so its lines were searched too").contains("io.lettuce");
            assertThat(output).doesNotContain(PASSWORD);
        }
    }
}
