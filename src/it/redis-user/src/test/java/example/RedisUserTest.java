package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.redis.RedisBudget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.Version;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/** A fleet user: the library with Lettuce 7.7 on netty-bom 4.2, a watch on a Redis budget. */
class RedisUserTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private static Process emulator;
    private static Process redis;
    private static URI endpoint;
    private static int redisPort;

    @BeforeAll
    static void start() throws Exception {
        Path redisServer = Path.of("/usr/bin/redis-server");
        assumeTrue(Files.isExecutable(redisServer), "redis-server not installed (apt-get install -y redis-server)");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("redis-user-");
        redis = new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", redisPort), 200);
                break;
            } catch (java.io.IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "redis-server did not start");
                Thread.sleep(50);
            }
        }

        Path jar = Path.of(System.getProperty("emulator.jar"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        emulator = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "emulator", "--operation-duration", "2s")
                .redirectErrorStream(true).start();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[emulator] " + line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
                listening.completeExceptionally(new IllegalStateException("the emulator exited"));
            } catch (Exception e) {
                listening.completeExceptionally(e);
            }
        }, "emulator-output");
        reader.setDaemon(true);
        reader.start();
        endpoint = listening.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.destroyForcibly();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    @Test
    void runsOnOneNettyLine() {
        Set<String> versions = Version.identify().values().stream().map(Version::artifactVersion)
                .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("redis-user runs on Netty " + versions);
        assertEquals(1, versions.size(), "one Netty version on the classpath, not a mix: " + versions);
        assertTrue(versions.iterator().next().startsWith("4.2."), "Netty 4.2 from the BOM: " + versions);
    }

    @Test
    void watchesOnAFleetBudgetInRedis() {
        String uri = "redis://127.0.0.1:" + redisPort;
        try (ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDREDIS", "redis-secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
             RedisBudget budget = RedisBudget.builder(uri).key("123456789012", "us-east-1").build()) {
            OperationWatcher watcher = OperationWatcher.builder(client).pollBudget(budget).build();
            List<Operation> seen = watcher.submitAndWatch(
                            Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("redis-user")))
                                    .map(r -> r.operationId()))
                    .collectList()
                    .block(Duration.ofSeconds(30));
            List<OperationStatus> statuses = seen.stream().map(Operation::status).collect(Collectors.toList());
            System.out.println("redis-user watched " + statuses + " on " + budget);
            assertEquals(OperationStatus.SUCCESS, statuses.get(statuses.size() - 1), "ends in SUCCESS: " + statuses);
            assertTrue(budget.onRedis(), "the budget stayed on Redis: " + budget);
        }
        RedisClient redisClient = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            assertEquals(1L, connection.sync().exists("cloudmap-watcher:budget:{123456789012:us-east-1}:state"),
                    "the permits came from the fleet's bucket in Redis");
        } finally {
            redisClient.shutdown();
        }
    }
}
