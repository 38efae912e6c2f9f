package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No secret of a Redis URI reaches any output, log lines included, for every hostile password of
 * {@link HostilePasswords}: a real {@code redis-server} (skipped, saying so, where it cannot be
 * found) holds one ACL user per password; a separate JVM with every logger at DEBUG (Lettuce's
 * and Netty's included) builds budgets on working connections and wrong passwords and runs
 * {@code watch --budget-redis}; two more run {@code watch} with the URI in
 * {@code CLOUDMAP_WATCHER_REDIS_URL}. Everything they write is searched for every form of every
 * password.
 */
class HostilePasswordsIT {

    private static final List<String> DEBUG = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");

    @Test
    void noPasswordReachesAnyOutputThroughTheApiTheCommandLineOrTheEnvironment() {
        try (RedisServer redis = RedisServer.start()) {
            RedisClient admin = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                List<String> passwords = HostilePasswords.PASSWORDS;
                for (int i = 0; i < passwords.size(); i++) {
                    connection.sync().aclSetuser("u" + i, user(passwords.get(i)));
                }
                connection.sync().aclSetuser(HostilePasswords.USER_WITH_AT, user(passwords.get(0)));
            } finally {
                admin.shutdown();
            }

            String output = ChildJvm.start("hostile-passwords", HostilePasswordProbe.class, DEBUG, "api",
                    Integer.toString(redis.port())).await(240);
            assertThat(output).as("the probe ran every path").contains("probe done");
            assertThat(output.split("onRedis=true", -1).length - 1).as("every working budget stayed on Redis")
                    .isEqualTo(HostilePasswords.PASSWORDS.size() + 1);
            assertThat(output).as("the wrong passwords fell back").contains("using the local budget");
            assertThat(output.split("watch exit 0", -1).length - 1).as("every watch succeeded")
                    .isEqualTo(HostilePasswords.PASSWORDS.size());
            assertThat(output).as("Lettuce logged at DEBUG, so its lines were searched too").contains("io.lettuce");
            // Passwords only: Lettuce's own DEBUG line names the user ("Trying to get a Redis
            // connection for: redis://user:*******@host"); our messages mask it with the password.
            HostilePasswords.assertNoSecret("the probe's output", output, HostilePasswords.PASSWORDS);

            for (int i : new int[] {0, 26}) {
                String password = HostilePasswords.PASSWORDS.get(i);
                String uri = HostilePasswordProbe.uri("u" + i, password, redis.port());
                String envOutput = ChildJvm.start("hostile-env-" + i, HostilePasswordProbe.class,
                        Map.of("CLOUDMAP_WATCHER_REDIS_URL", uri), DEBUG, "env").await(60);
                assertThat(envOutput).contains("probe done", "watch exit 0", "on Redis");
                HostilePasswords.assertNoSecret("watch with the URI in the environment", envOutput, List.of(password));
            }
        }
    }

    private static AclSetuserArgs user(String password) {
        return AclSetuserArgs.Builder.on().addPassword(password).allKeys().allChannels().allCommands();
    }
}
