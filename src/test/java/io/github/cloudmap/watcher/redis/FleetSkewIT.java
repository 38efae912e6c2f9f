package io.github.cloudmap.watcher.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * First come, first served across processes whose wall clocks disagree: two JVMs, one of them
 * a second behind under Debian's libfaketime (monotonic time left alone), each with a backlog on
 * one fleet budget, get permits within 10 % of each other. Needs {@code redis-server} and
 * {@code faketime} ({@code .ci/run} installs both; skipped, saying so, where either is missing).
 */
class FleetSkewIT {

    private static final int SECONDS = 6;
    private static final double RATE = 50;
    private static final Pattern RESULT = Pattern.compile("RESULT permits=(\\d+) onRedis=(\\w+)");

    static Path libfaketime() {
        return Stream.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
                        "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1", "/usr/lib/faketime/libfaketimeMT.so.1")
                .map(Path::of).filter(Files::isReadable).findFirst().orElse(null);
    }

    @Test
    void twoProcessesASecondApartShareTheFleetRateEvenly() {
        Path faketime = libfaketime();
        assumeTrue(faketime != null, "libfaketime not found (apt-get install -y faketime; .ci/run installs it)");
        try (RedisServer redis = RedisServer.start()) {
            String account = "skew" + System.nanoTime();
            Map<String, String> behind = Map.of("LD_PRELOAD", faketime.toString(), "FAKETIME", "-1s",
                    "DONT_FAKE_MONOTONIC", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1");
            String[] args = {redis.uri(), account, "2", Integer.toString(SECONDS), Double.toString(RATE)};
            List<ChildJvm> children = List.of(
                    ChildJvm.start("on-time", FleetSkewProcess.class, Map.of(), List.of(), args),
                    ChildJvm.start("behind", FleetSkewProcess.class, behind, List.of(), args));
            List<Integer> permits = children.stream().map(child -> {
                String output = child.await(90);
                Matcher m = RESULT.matcher(output);
                assertThat(m.find()).as("a RESULT line; it wrote:\n%s", output).isTrue();
                assertThat(m.group(2)).as("on Redis throughout").isEqualTo("true");
                return Integer.parseInt(m.group(1));
            }).toList();
            System.out.println("[skew] permits in " + SECONDS + " s at " + RATE + "/s, on time vs one second behind: "
                    + permits);
            int a = permits.get(0);
            int b = permits.get(1);
            assertThat(a + b).as("the fleet's rate is used").isGreaterThanOrEqualTo((int) (0.85 * RATE * SECONDS));
            assertThat(Math.abs(a - b)).as("within 10 %% of each other: %s", permits)
                    .isLessThanOrEqualTo((int) Math.ceil(0.1 * Math.max(a, b)));
        }
    }
}
