package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.examples.webflux.RegistrationApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.InstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The WebFlux application registering itself in Cloud Map (the emulator) with nothing but
 * {@code cloudmap.watcher.registration.*} properties, started with {@link SpringApplicationBuilder}
 * (real Reactor Netty server, Actuator, Spring Boot's own readiness events): in a JVM of its own
 * stopped with SIGTERM, and in this JVM for a failed start.
 */
class SelfRegistrationTest {

    /** RegisterInstance takes 2 s (1 s SUBMITTED, 1 s PENDING); DeregisterInstance 1 s. */
    private static final CloudMapEmulator EMULATOR = CloudMapEmulator.builder()
            .operationTimings(OperationTimings.uniform(Duration.ofMillis(200), Duration.ofMillis(200))
                    .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .with(OperationType.DEREGISTER_INSTANCE, Duration.ofMillis(500), Duration.ofMillis(500)))
            .start();

    private static final ServiceDiscoveryAsyncClient CLIENT = ServiceDiscoveryAsyncClient.builder()
            .endpointOverride(EMULATOR.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();

    private static final String SERVICE_ID = createService();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterAll
    static void stopEmulator() {
        CLIENT.close();
        EMULATOR.close();
    }

    private static String createService() {
        String namespaceId = OperationWatcher.create(CLIENT)
                .awaitTerminal(CLIENT.createHttpNamespace(r -> r.name("self.test")).join().operationId())
                .block(Duration.ofSeconds(30)).targetsAsStrings().get("NAMESPACE");
        return CLIENT.createService(r -> r.name("self").namespaceId(namespaceId)).join().service().id();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String[] args(int port) {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return new String[] {
                "--server.port=" + port,
                "--cloudmap.watcher.endpoint-url=" + EMULATOR.endpoint(),
                "--cloudmap.watcher.region=us-east-1",
                "--cloudmap.watcher.poll-interval.initial=100ms",
                "--cloudmap.watcher.poll-interval.max=200ms",
                "--cloudmap.watcher.registration.enabled=true",
                "--cloudmap.watcher.registration.service-id=" + SERVICE_ID,
                "--management.endpoint.health.probes.enabled=true",
                "--management.endpoint.health.group.readiness.include=readinessState,cloudMapRegistration",
                "--management.endpoint.health.group.readiness.show-details=always"};
    }

    private List<InstanceSummary> instances() {
        return CLIENT.listInstances(r -> r.serviceId(SERVICE_ID)).join().instances();
    }

    private HttpResponse<String> readiness(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The application in a JVM of its own, stopped with SIGTERM as a container runtime stops it:
     * its shutdown hook closes the context (graceful shutdown is Spring Boot's default).
     */
    @Test
    void notReadyBeforeTheRegistrationSucceedsReadyAfterAndGoneBeforeTheProcessExits() throws Exception {
        int port = freePort();
        // In the consumer's target/, where the build log points a reader.
        Path log = Files.createDirectories(Path.of("target")).resolve("self-registration-app.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test",
                RegistrationApplication.class.getName()));
        command.addAll(List.of(args(port)));
        Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // 1. The web server answers while RegisterInstance (2 s) is in flight: not ready, and why.
            AtomicReference<HttpResponse<String>> early = new AtomicReference<>();
            await("the application's web server answers").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().until(() -> {
                        if (!app.isAlive()) {
                            throw new AssertionError("the application ended: " + Files.readString(log));
                        }
                        early.set(readiness(port));
                        return true;
                    });
            List<InstanceSummary> listedWhileRefusing = instances();
            System.out.println("spring-boot-webflux readiness while registering: " + early.get().statusCode() + " "
                    + early.get().body());
            assertThat(early.get().statusCode()).isEqualTo(503);
            assertThat(early.get().body()).contains("OUT_OF_SERVICE").contains("REGISTERING");
            assertThat(listedWhileRefusing).as("not listed yet").isEmpty();

            // 2. Ready after SUCCESS, listed with this host's address and the server's port.
            AtomicReference<HttpResponse<String>> ready = new AtomicReference<>();
            await("ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        ready.set(readiness(port));
                        return ready.get().statusCode() == 200;
                    });
            System.out.println("spring-boot-webflux readiness after registering: " + ready.get().body());
            assertThat(ready.get().body()).contains("\"UP\"").contains("REGISTERED");
            List<InstanceSummary> listed = instances();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).id()).endsWith("-" + port);
            assertThat(listed.get(0).attributes()).containsEntry("AWS_INSTANCE_PORT", Integer.toString(port))
                    .containsEntry("AWS_INSTANCE_IPV4", InetAddress.getLocalHost().getHostAddress());

            // 3. SIGTERM: deregistered (a 1 s operation) before the process exits.
            app.destroy();
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the process exits").isTrue();
            List<InstanceSummary> afterExit = instances();
            String output = Files.readString(log);
            System.out.println("spring-boot-webflux after SIGTERM: exit " + app.exitValue() + ", instances " + afterExit);
            assertThat(afterExit).as("gone when the process has exited").isEmpty();
            assertThat(EMULATOR.counters().count("DeregisterInstance")).isEqualTo(1);
            assertThat(output).contains("Deregistered instance " + listed.get(0).id());
            assertThat(output).contains("Commencing graceful shutdown");
            assertThat(output.indexOf("Deregistered instance")).as("deregistered before the server stops accepting")
                    .isLessThan(output.indexOf("Commencing graceful shutdown"));
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void aFailedRegistrationStopsStartupNamingTheErrorCode() throws Exception {
        int before = EMULATOR.counters().count("RegisterInstance");
        EMULATOR.faults().failNextOperations(OperationType.REGISTER_INSTANCE, 1, "INTERNAL_FAILURE", "Route 53 said no");
        Throwable failure = null;
        try {
            new SpringApplicationBuilder(RegistrationApplication.class).run(args(freePort())).close();
        } catch (Throwable e) {
            failure = e;
        }
        assertThat(failure).as("startup stopped").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        System.out.println("spring-boot-webflux startup failure: " + failure.getMessage());
        assertThat(messages.toString()).contains("INTERNAL_FAILURE").contains(SERVICE_ID)
                .contains("cloudmap.watcher.registration.fail-startup=false");
        assertThat(EMULATOR.counters().count("RegisterInstance") - before).isEqualTo(1);
        assertThat(instances()).isEmpty();
    }
}
