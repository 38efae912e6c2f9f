package io.github.cloudmap.watcher.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.micrometer.MicrometerWatchListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The example over real HTTP with {@link WebTestClient}, on the versions Spring Boot resolves,
 * with the auto-configured client and watcher talking to the embedded emulator.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistrationStreamTest {

    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
            new ParameterizedTypeReference<>() {};

    @DynamicPropertySource
    static void emulator(DynamicPropertyRegistry registry) {
        TestEmulator.properties(registry);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    OperationWatcher watcher;

    @Autowired
    MeterRegistry meters;

    WebTestClient http;

    @BeforeEach
    void connect() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    private Flux<ServerSentEvent<Map<String, Object>>> register(String instanceId) {
        return http.post().uri("/services/{serviceId}/instances", TestEmulator.SERVICE_ID)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(Map.of("instanceId", instanceId, "attributes", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1")))
                .exchange()
                .expectStatus().isOk()
                .returnResult(EVENT).getResponseBody();
    }

    private static List<String> describe(List<ServerSentEvent<Map<String, Object>>> events) {
        return events.stream().map(e -> e.event() + " " + e.data().get("status")
                + (e.data().get("errorCode") != null ? " " + e.data().get("errorCode") : "")).toList();
    }

    @Test
    void aRegistrationStreamsEachStatusThenSucceeded() {
        List<ServerSentEvent<Map<String, Object>>> events =
                register(TestEmulator.newInstanceId()).collectList().block(Duration.ofSeconds(60));

        assertThat(describe(events)).containsExactly(
                "status SUBMITTED", "status PENDING", "status SUCCESS", "succeeded SUCCESS");
        assertThat(events).extracting(e -> e.data().get("operationId")).containsOnly(events.get(0).data().get("operationId"));
        assertThat(events.get(0).data()).containsEntry("type", "REGISTER_INSTANCE");
    }

    @Test
    void aThrottledRequestFailIsResubmittedAndTheStreamShowsIt() {
        int before = TestEmulator.EMULATOR.counters().count("RegisterInstance");
        TestEmulator.EMULATOR.faults()
                .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST", "Rate exceeded");

        List<ServerSentEvent<Map<String, Object>>> events =
                register(TestEmulator.newInstanceId()).collectList().block(Duration.ofSeconds(60));

        List<String> described = describe(events);
        assertThat(described).contains("status FAIL THROTTLED_REQUEST")
                .endsWith("status SUCCESS", "succeeded SUCCESS");
        int fail = described.indexOf("status FAIL THROTTLED_REQUEST");
        assertThat(events.get(fail + 1).data().get("operationId")).as("a new operation after the FAIL")
                .isNotEqualTo(events.get(fail).data().get("operationId"));
        assertThat(TestEmulator.EMULATOR.counters().count("RegisterInstance") - before).isEqualTo(2);
    }

    @Test
    void aFailThatIsNotRetryableEndsWithAFailedEvent() {
        TestEmulator.EMULATOR.faults()
                .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "INTERNAL_FAILURE", "Route 53 said no");

        List<ServerSentEvent<Map<String, Object>>> events =
                register(TestEmulator.newInstanceId()).collectList().block(Duration.ofSeconds(60));

        ServerSentEvent<Map<String, Object>> last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo("failed");
        assertThat(last.data()).containsEntry("status", "FAIL").containsEntry("errorCode", "INTERNAL_FAILURE")
                .containsEntry("errorMessage", "Route 53 said no");
    }

    @Test
    void aClientThatDisconnectsStopsThePollingOfItsWatch() {
        String operationId = TestEmulator.longRunningOperation();
        Flux<ServerSentEvent<Map<String, Object>>> stream = http.get().uri("/operations/{id}", operationId)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(EVENT).getResponseBody();

        StepVerifier.create(stream)
                .assertNext(event -> assertThat(event.data()).containsEntry("status", "SUBMITTED"))
                .then(() -> {
                    assertThat(watcher.runningPollLoops()).isEqualTo(1);
                    assertThat(health()).containsEntry("runningPollLoops", 1);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        await("the poll loop ends once the client has gone").atMost(Duration.ofSeconds(10))
                .until(() -> watcher.runningPollLoops() == 0);
        assertThat(health()).containsEntry("runningPollLoops", 0);
        int polls = TestEmulator.EMULATOR.counters().count("GetOperation");
        // Polls were 200 ms apart: a watch still polling would be seen within a second.
        await("no GetOperation after the loop ended").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> TestEmulator.EMULATOR.counters().count("GetOperation") == polls);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> health() {
        Map<String, Object> body = http.get().uri("/actuator/health/cloudMapWatcher").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(body).containsEntry("status", "UP");
        return (Map<String, Object>) body.get("details");
    }

    @Test
    void anUnknownOperationEndsWithAnErrorEvent() {
        List<ServerSentEvent<Map<String, Object>>> events = http.get()
                .uri("/operations/{id}", "no-such-operation")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(EVENT).getResponseBody().collectList().block(Duration.ofSeconds(60));
        // Not found is tolerated for the grace window (20 s by default) before it is believed.
        assertThat(events).hasSize(1);
        assertThat(events.get(0).event()).isEqualTo("error");
        assertThat(events.get(0).data()).containsEntry("error", "not-found");
    }

    @Test
    void aBadOperationIdIsRefusedBeforeAnyRequest() {
        http.get().uri("/operations/{id}", "x".repeat(256)).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void theWatcherIsAutoConfiguredWithMetricsAndInfoOnSpringBootsVersions() {
        Set<String> netty = Version.identify().values().stream().map(Version::artifactVersion)
                .collect(Collectors.toCollection(TreeSet::new));
        String reactor = Flux.class.getPackage().getImplementationVersion();
        System.out.println("spring-boot-webflux runs on Spring Boot " + SpringBootVersion.getVersion()
                + ", Netty " + netty + ", Reactor " + reactor + ", Micrometer "
                + MeterRegistry.class.getPackage().getImplementationVersion());
        assertThat(SpringBootVersion.getVersion()).isEqualTo("4.0.7");
        assertThat(netty).as("one Netty, Spring Boot's 4.2 line").hasSize(1);
        assertThat(netty.iterator().next()).startsWith("4.2.");

        register(TestEmulator.newInstanceId()).blockLast(Duration.ofSeconds(60));
        assertThat(meters.find("cloudmap.watcher.polls").counter()).isNotNull()
                .satisfies(c -> assertThat(c.count()).isPositive());
        http.get().uri("/actuator/info").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$['cloudmap-watcher'].timeout").isEqualTo("PT5M");
    }
}
