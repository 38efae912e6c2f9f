package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.RequestPattern.action;
import static io.github.cloudmap.watcher.emulator.RequestPattern.getOperation;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The journal as the real SDK fills it over HTTP, and its read-only JSON view. */
class RequestJournalIT {

    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = CloudMapEmulatorExtension.builder()
            .emulator(b -> b.journalCapacity(4).serveJournal(true))
            // No call timeout shorter than a loaded machine's first request: a call given up on
            // would reach the emulator late and land in the next test's journal.
            .client(c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallTimeout(Duration.ofSeconds(20))))
            .build();

    @Test
    void recordsEachSdkRequestWithItsIdsAnswerAndUserAgent(CloudMapEmulator emulator, ServiceDiscoveryAsyncClient client) {
        Instant before = Instant.now();
        String operationId = client.createHttpNamespace(r -> r.name("j.local")).join().operationId();
        emulator.faults().throttleNext("GetOperation", 1);
        assertThat(client.getOperation(r -> r.operationId(operationId))).failsWithin(Duration.ofSeconds(25));
        client.getOperation(r -> r.operationId(operationId)).join();

        assertThat(emulator.journal().entries()).extracting(JournalEntry::action, JournalEntry::operationId,
                        JournalEntry::status, JournalEntry::errorCode, JournalEntry::throttled)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CreateHttpNamespace", null, 200, null, false),
                        org.assertj.core.groups.Tuple.tuple("GetOperation", operationId, 400, "ThrottlingException", true),
                        org.assertj.core.groups.Tuple.tuple("GetOperation", operationId, 200, null, false));
        assertThat(emulator.journal().entries()).allSatisfy(e -> {
            assertThat(e.userAgent()).contains("aws-sdk-java/");
            assertThat(e.arrival()).isAfterOrEqualTo(before.minusSeconds(1));
        });
        emulator.verify(getOperation(operationId)).times(2);
        emulator.verify(getOperation(operationId).throttled()).times(1);
    }

    @Test
    void aResetConnectionIsRecordedWithoutAnAnswer(CloudMapEmulator emulator, ServiceDiscoveryAsyncClient client) {
        emulator.faults().resetNext("ListServices", 1);
        assertThat(client.listServices()).failsWithin(Duration.ofSeconds(25));
        assertThat(emulator.journal().entries()).singleElement()
                .satisfies(e -> assertThat(e.status()).as("no answer").isZero())
                .satisfies(e -> assertThat(e.action()).isEqualTo("ListServices"));
    }

    @Test
    void servesTheJournalAsJsonOnGetOnly(CloudMapEmulator emulator, ServiceDiscoveryAsyncClient client) throws Exception {
        for (int i = 0; i < 6; i++) {
            client.listNamespaces().join();
        }
        emulator.verify(action("ListNamespaces")).times(4);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(emulator.journalEndpoint().orElseThrow()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        JsonNode journal = new ObjectMapper().readTree(got.body());
        assertThat(journal.get("capacity").asInt()).isEqualTo(4);
        assertThat(journal.get("recorded").asLong()).isEqualTo(6);
        assertThat(journal.get("dropped").asLong()).isEqualTo(2);
        assertThat(journal.get("entries")).hasSize(4);
        assertThat(journal.get("entries").get(0).get("sequence").asLong()).isEqualTo(3);
        assertThat(journal.get("entries").get(0).get("action").asText()).isEqualTo("ListNamespaces");

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(emulator.journalEndpoint().orElseThrow())
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as("read-only").isEqualTo(405);
        assertThat(emulator.journal().recorded()).isEqualTo(6);
    }

    @Test
    void anEmulatorServesNoJournalUnlessAsked() {
        try (CloudMapEmulator plain = CloudMapEmulator.builder().start()) {
            assertThat(plain.journalEndpoint()).isEmpty();
        }
    }
}
