package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cloudmap.watcher.OperationWatcher;
import io.netty.util.Version;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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

/** What a plain user gets: the library on the SDK's own Netty, the emulator in a process of its own. */
class PlainUserTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private static Process emulator;
    private static URI endpoint;

    @BeforeAll
    static void startEmulatorProcess() throws Exception {
        Path jar = Path.of(System.getProperty("emulator.jar"));
        assertTrue(Files.isRegularFile(jar), "the runnable jar was not copied: " + jar);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        emulator = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "emulator",
                "--operation-duration", "2s")
                .redirectErrorStream(true)
                .start();
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
                listening.completeExceptionally(new IllegalStateException("the emulator exited: "
                        + emulator.waitFor()));
            } catch (Exception e) {
                listening.completeExceptionally(e);
            }
        }, "emulator-output");
        reader.setDaemon(true);
        reader.start();
        endpoint = listening.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopEmulatorProcess() throws InterruptedException {
        if (emulator != null) {
            emulator.destroy();
            if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
    }

    @Test
    void runsOnTheSdksOwnNettyLine() {
        Set<String> versions = nettyVersions();
        System.out.println("plain-user runs on Netty " + versions + " (netty-common "
                + Version.identify().get("netty-common").artifactVersion() + ")");
        // No BOM imported: Maven picks the Netty that the SDK's netty-nio-client declares (4.1).
        // If this fails, the SDK moved its Netty line: update docs/dependencies.md and the README.
        assertEquals(1, versions.size(), "one Netty version on the classpath, not a mix: " + versions);
        assertTrue(versions.iterator().next().startsWith("4.1."), "the SDK's Netty 4.1 line: " + versions);
    }

    @Test
    void inheritsNoBlockingHttpClientAndNoOptionalDependency() {
        // The library is async-only: the SDK's Apache client and its Apache dependencies are excluded.
        for (String absent : List.of(
                "software.amazon.awssdk.http.apache.ApacheHttpClient",
                "org.apache.http.client.HttpClient",
                "org.apache.http.HttpRequest",
                "org.apache.commons.logging.Log",
                "org.apache.commons.codec.binary.Base64",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                // the emulator's, the command line's and the metrics' dependencies are optional
                "reactor.netty.http.server.HttpServer",
                "com.fasterxml.jackson.databind.ObjectMapper",
                "picocli.CommandLine",
                "io.micrometer.core.instrument.MeterRegistry",
                // observations are optional too: the watches below run with no Micrometer at all,
                // which is the proof that the core never loads an Observation type without a registry
                "io.micrometer.observation.ObservationRegistry")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(absent),
                    absent + " must not reach a plain user's classpath");
        }
    }

    @Test
    void watchesANamespaceBeingCreatedEndToEnd() {
        try (ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPLAIN", "plain-secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            OperationWatcher watcher = OperationWatcher.create(client);
            List<Operation> seen = watcher.submitAndWatch(
                            Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("plain-user")))
                                    .map(r -> r.operationId()))
                    .collectList()
                    .block(Duration.ofSeconds(30));
            List<OperationStatus> statuses = seen.stream().map(Operation::status).collect(Collectors.toList());
            System.out.println("plain-user watched " + statuses);
            // Which statuses a poll catches depends on timing (a loaded machine delays the first
            // poll); what the watcher promises is order without repeats, ending in one SUCCESS.
            List<OperationStatus> expected = new java.util.ArrayList<>(
                    List.of(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS));
            expected.retainAll(statuses);
            assertEquals(expected, statuses, "in order, each at most once");
            assertEquals(OperationStatus.SUCCESS, statuses.get(statuses.size() - 1), "ends in SUCCESS: " + statuses);
        }
    }

    static Set<String> nettyVersions() {
        return Version.identify().values().stream()
                .map(Version::artifactVersion)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
