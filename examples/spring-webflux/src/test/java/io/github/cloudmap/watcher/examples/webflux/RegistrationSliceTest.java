package io.github.cloudmap.watcher.examples.webflux;

import static io.github.cloudmap.watcher.emulator.RequestPattern.action;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.spring.test.AutoConfigureCloudMapEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The controller alone ({@code @WebFluxTest}) with the Cloud Map test slice: the emulator, its
 * client and the auto-configured watcher come from {@link AutoConfigureCloudMapEmulator}, with no
 * set-up of one's own.
 */
@WebFluxTest(RegistrationController.class)
@AutoConfigureCloudMapEmulator(submittedMillis = 300, pendingMillis = 300)
class RegistrationSliceTest {

    @Autowired
    WebTestClient http;

    @Autowired
    CloudMapEmulator emulator;

    @Autowired
    ServiceDiscoveryAsyncClient client;

    @Autowired
    OperationWatcher watcher;

    @Test
    void streamsARegistrationToSuccessThroughTheSlicesEmulator() {
        String namespaceId = watcher.awaitTerminal(client.createHttpNamespace(r -> r.name("slice.test")).join()
                .operationId()).block(Duration.ofSeconds(30)).targetsAsStrings().get("NAMESPACE");
        String serviceId = client.createService(r -> r.name("api").namespaceId(namespaceId)).join().service().id();

        List<ServerSentEvent<Map<String, Object>>> events = http.post()
                .uri("/services/{id}/instances", serviceId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("instanceId", "i-1", "attributes", Map.of("AWS_INSTANCE_IPV4", "10.0.0.1")))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody()
                .collectList()
                .block(Duration.ofSeconds(30));

        System.out.println("spring-boot-webflux @WebFluxTest with @AutoConfigureCloudMapEmulator streamed "
                + events.stream().map(e -> e.data().get("status")).toList());
        assertThat(events).last().satisfies(e -> assertThat(e.data()).containsEntry("status", "SUCCESS"));
        emulator.verify(action("RegisterInstance").withServiceId(serviceId).withInstanceId("i-1")).times(1);
        emulator.verify(action("GetOperation").withUserAgentContaining("cloudmap-operation-watcher/")).atLeast(1);
    }
}
