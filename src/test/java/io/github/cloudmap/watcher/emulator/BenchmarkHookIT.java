package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/** The scale benchmark's hook, driven through its line protocol and seen through the real SDK. */
class BenchmarkHookIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MutableClock clock = MutableClock.at("2024-05-01T10:00:00Z");
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeEach
    void start() {
        emulator = CloudMapEmulator.builder().clock(clock).seed(7L).start();
        client = SdkClients.client(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void createdOperationsTakeTheirOwnSeededDurationsAndEndWithTheirFinishTimeAsUpdateDate() throws Exception {
        JsonNode created = commands("create 20 2 42 2000 20000").get(0);
        assertThat(created.get("operations")).hasSize(20);
        long start = created.get("createdAtMillis").asLong();
        assertThat(start).isEqualTo(clock.instant().toEpochMilli());
        List<Long> durations = new ArrayList<>();
        for (JsonNode op : created.get("operations")) {
            long finish = op.get(2).asLong();
            durations.add(finish - start);
            assertThat(finish - start).isBetween(2_000L, 20_000L);
            assertThat(get(op.get(0).asText()).status()).isEqualTo(OperationStatus.SUBMITTED);
        }
        assertThat(durations.stream().distinct().count()).as("drawn, not one duration for all").isGreaterThan(10);
        // The same seed draws the same durations.
        JsonNode again = commands("create 20 2 42 2000 20000").get(0);
        for (int i = 0; i < 20; i++) {
            assertThat(again.get("operations").get(i).get(2).asLong() - again.get("createdAtMillis").asLong())
                    .isEqualTo(durations.get(i));
        }

        JsonNode first = created.get("operations").get(0);
        long firstDuration = durations.get(0);
        clock.advance(Duration.ofMillis(firstDuration / 2));
        assertThat(get(first.get(0).asText()).status()).isEqualTo(OperationStatus.PENDING);
        clock.advance(Duration.ofMillis(firstDuration));
        Operation done = get(first.get(0).asText());
        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(done.updateDate()).isEqualTo(Instant.ofEpochMilli(first.get(2).asLong()));
        assertThat(done.targets()).containsKey(
                software.amazon.awssdk.services.servicediscovery.model.OperationTargetType.NAMESPACE);
    }

    @Test
    void historyIsFinishedBeforeNowAndListOperationsPagesThroughItBeforeFiltering() throws Exception {
        JsonNode answers = commands("history 250 1 3").get(0);
        assertThat(answers.get("operations").asInt()).isEqualTo(250);
        long now = clock.instant().toEpochMilli();
        int pages = 0;
        int matched = 0;
        String token = null;
        do {
            String next = token;
            ListOperationsResponse page = join(client.listOperations(r -> r.nextToken(next).filters(
                    OperationFilter.builder().name(OperationFilterName.UPDATE_DATE).condition(FilterCondition.BETWEEN)
                            .values(Long.toString(now), Long.toString(now + 60_000)).build())));
            pages++;
            matched += page.operations().size();
            token = page.nextToken();
        } while (token != null);
        assertThat(pages).as("Cloud Map pages through the history before filtering").isEqualTo(3);
        assertThat(matched).isZero();
        List<OperationSummary> all = join(client.listOperations(r -> r.filters(OperationFilter.builder()
                .name(OperationFilterName.STATUS).condition(FilterCondition.EQ).values("SUCCESS").build()))).operations();
        assertThat(all).hasSize(100);
    }

    @Test
    void limitsAreTokenBucketsAndTheirThrottlesAreCountedApartFromCalls() throws Exception {
        String id = commands("create 1 1 1 5000 5000").get(0).get("operations").get(0).get(0).asText();
        commands("limits 1 2 1 1");
        get(id);
        get(id);
        assertThatThrownBy(() -> get(id)).hasCauseInstanceOf(ServiceDiscoveryException.class)
                .satisfies(e -> assertThat(((ServiceDiscoveryException) e.getCause()).isThrottlingException()).isTrue());
        JsonNode counts = commands("counts").get(0);
        assertThat(counts.get("GetOperation").asInt()).isEqualTo(3);
        assertThat(counts.get("GetOperationThrottled").asInt()).isEqualTo(1);
        assertThat(emulator.counters().throttled("GetOperation")).isEqualTo(1);

        JsonNode cleared = commands("clear").get(0);
        assertThat(cleared.get("GetOperation").asInt()).isZero();
        assertThat(cleared.get("GetOperationThrottled").asInt()).isZero();
        assertThat(emulator.operations()).isEmpty();
    }

    @Test
    void aBadCommandIsAnsweredWithAnErrorAndTheLoopGoesOn() throws Exception {
        List<JsonNode> answers = commands("bogus", "create 0 1 1 1 1", "counts");
        assertThat(answers.get(0).get("error").asText()).contains("unknown command 'bogus'");
        assertThat(answers.get(1).get("error").asText()).contains("count >= 1");
        assertThat(answers.get(2).has("GetOperation")).isTrue();
    }

    private Operation get(String id) {
        return join(client.getOperation(r -> r.operationId(id))).operation();
    }

    private List<JsonNode> commands(String... lines) throws Exception {
        StringWriter out = new StringWriter();
        BenchmarkHook.of(emulator).serve(new BufferedReader(new StringReader(String.join("\n", lines) + "\nquit\n")),
                new PrintWriter(out));
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            assertThat(line).startsWith(BenchmarkHook.PREFIX);
            answers.add(MAPPER.readTree(line.substring(BenchmarkHook.PREFIX.length())));
        }
        return answers;
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        return future.join();
    }
}
