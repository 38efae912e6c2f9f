package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

class ListOperationsQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static ListOperationsQuery query(String json) throws Exception {
        return ListOperationsQuery.parse(JsonRequest.of(JSON.readTree(json)));
    }

    private static OperationEntry op(long seq, OperationType type, OperationStatus status, String serviceId,
                                     Instant updated) {
        OperationEntry entry = new OperationEntry(seq, "op-" + seq, type,
                serviceId == null ? Map.of("NAMESPACE", "ns-1") : Map.of("NAMESPACE", "ns-1", "SERVICE", serviceId),
                T0, T0, T0, "k" + seq, null, null, () -> { });
        entry.status = status;
        entry.updateDate = updated;
        return entry;
    }

    private final List<OperationEntry> store = List.of(
            op(1, OperationType.CREATE_NAMESPACE, OperationStatus.SUCCESS, null, T0),
            op(2, OperationType.REGISTER_INSTANCE, OperationStatus.SUCCESS, "srv-1", T0.plusSeconds(10)),
            op(3, OperationType.REGISTER_INSTANCE, OperationStatus.FAIL, "srv-1", T0.plusSeconds(20)),
            op(4, OperationType.DEREGISTER_INSTANCE, OperationStatus.PENDING, "srv-2", T0.plusSeconds(30)));

    @Test
    void readsTheWindowFirstAndFiltersAfterwards() throws Exception {
        String filter = "\"Filters\":[{\"Name\":\"TYPE\",\"Values\":[\"DEREGISTER_INSTANCE\"]}]";
        Page<OperationEntry> first = query("{\"MaxResults\":2," + filter + "}").page(store);
        assertThat(first.items()).isEmpty();
        assertThat(first.nextToken()).isNotNull();
        Page<OperationEntry> second = query("{\"MaxResults\":2,\"NextToken\":\"" + first.nextToken() + "\"," + filter + "}")
                .page(store);
        assertThat(second.items()).extracting(o -> o.id).containsExactly("op-4");
        assertThat(second.nextToken()).isNull();
    }

    @Test
    void pagesCoverEveryOperationOnceInOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            String body = token == null ? "{\"MaxResults\":3}" : "{\"MaxResults\":3,\"NextToken\":\"" + token + "\"}";
            Page<OperationEntry> page = query(body).page(store);
            page.items().forEach(o -> ids.add(o.id));
            token = page.nextToken();
        } while (token != null);
        assertThat(ids).containsExactly("op-1", "op-2", "op-3", "op-4");
    }

    @Test
    void filtersAreAnded() throws Exception {
        Page<OperationEntry> page = query("{\"Filters\":[{\"Name\":\"SERVICE_ID\",\"Values\":[\"srv-1\"],\"Condition\":\"EQ\"},"
                + "{\"Name\":\"STATUS\",\"Values\":[\"SUCCESS\",\"FAIL\"],\"Condition\":\"IN\"},"
                + "{\"Name\":\"UPDATE_DATE\",\"Values\":[\"" + T0.plusSeconds(15).getEpochSecond() + "\",\""
                + T0.plusSeconds(40).toEpochMilli() + "\"],\"Condition\":\"BETWEEN\"}]}").page(store);
        assertThat(page.items()).extracting(o -> o.id).containsExactly("op-3");
    }

    @Test
    void epochValuesAreSecondsOrMilliseconds() {
        assertThat(ListOperationsQuery.epoch("1587055860.121")).isEqualTo(Instant.ofEpochMilli(1587055860121L));
        assertThat(ListOperationsQuery.epoch("1587055860121")).isEqualTo(Instant.ofEpochMilli(1587055860121L));
        assertThat(ListOperationsQuery.epoch("1587055860")).isEqualTo(Instant.ofEpochSecond(1587055860L));
        assertThatThrownBy(() -> ListOperationsQuery.epoch("yesterday")).isInstanceOf(CloudMapError.class);
    }

    @Test
    void epochValuesBeyondTheRangeAreInvalidInputInsteadOfWrappingAround() {
        // 2^64 + 1000 ms would wrap to 1970-01-01T00:00:01Z with longValue().
        for (String value : List.of("18446744073709552616", "9223372036854775808", "1e999999999")) {
            assertThatThrownBy(() -> ListOperationsQuery.epoch(value))
                    .as(value)
                    .isInstanceOfSatisfying(CloudMapError.class, e -> {
                        assertThat(e.type()).isEqualTo("InvalidInput");
                        assertThat(e.getMessage()).contains("out of range");
                    });
        }
        assertThat(ListOperationsQuery.epoch("9223372036854775807")).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE));
        assertThat(ListOperationsQuery.epoch("1e-999999999")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void invalidCombinationsAreInvalidInput() {
        for (String filter : List.of(
                "{\"Name\":\"NAMESPACE_ID\",\"Values\":[\"a\",\"b\"]}",
                "{\"Name\":\"SERVICE_ID\",\"Values\":[\"a\"],\"Condition\":\"IN\"}",
                "{\"Name\":\"STATUS\",\"Values\":[\"SUCCESS\"],\"Condition\":\"BETWEEN\"}",
                "{\"Name\":\"TYPE\",\"Values\":[\"NOPE\"]}",
                "{\"Name\":\"UPDATE_DATE\",\"Values\":[\"1\"],\"Condition\":\"BETWEEN\"}",
                "{\"Name\":\"UPDATE_DATE\",\"Values\":[\"20\",\"10\"],\"Condition\":\"BETWEEN\"}",
                "{\"Name\":\"COLOUR\",\"Values\":[\"red\"]}",
                "{\"Name\":\"STATUS\"}")) {
            assertThatThrownBy(() -> query("{\"Filters\":[" + filter + "]}"))
                    .as(filter)
                    .isInstanceOfSatisfying(CloudMapError.class, e -> assertThat(e.type()).isEqualTo("InvalidInput"));
        }
        assertThatThrownBy(() -> query("{\"MaxResults\":101}")).isInstanceOf(CloudMapError.class);
        assertThatThrownBy(() -> query("{\"NextToken\":\"bm90LWEtdG9rZW4\"}").page(store))
                .isInstanceOf(CloudMapError.class).hasMessageContaining("NextToken");
    }
}
