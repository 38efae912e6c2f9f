package io.github.cloudmap.watcher.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A watch that outlives {@code cloudmap.watcher.timeout} ends with an error event carrying the last status. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cloudmap.watcher.timeout=1500ms")
class WatchTimeoutTest {

    @DynamicPropertySource
    static void emulator(DynamicPropertyRegistry registry) {
        TestEmulator.properties(registry);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aTimeoutEndsTheStreamWithAnErrorEventAndTheLastStatus() {
        String operationId = TestEmulator.longRunningOperation();
        List<ServerSentEvent<Map<String, Object>>> events = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/operations/{id}", operationId)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
                .getResponseBody().collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(ServerSentEvent::event).containsExactly("status", "error");
        Map<String, Object> error = events.get(1).data();
        assertThat(error).containsEntry("error", "timeout");
        assertThat(error.get("message").toString()).contains(operationId);
        assertThat(error.get("lastStatus")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("operationId", operationId).containsEntry("status", "SUBMITTED");
    }
}
