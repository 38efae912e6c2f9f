package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.InstanceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/** Operation progress with a hand-moved clock, GetOperation and ListOperations, and failed operations. */
// The SDK's filter and record builders take generic varargs of consumers.
@SuppressWarnings("unchecked")
class OperationProgressIT {

    private final MutableClock clock = MutableClock.at("2024-05-01T10:00:00Z");
    private final OperationTimings timings = OperationTimings.instant()
            .with(OperationType.CREATE_NAMESPACE, Duration.ofSeconds(2), Duration.ofSeconds(3))
            .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(100), Duration.ofMillis(200));
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeEach
    void start() {
        emulator = CloudMapEmulator.builder().clock(clock).operationTimings(timings).start();
        client = SdkClients.client(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private Operation operation(String id) {
        return join(client.getOperation(r -> r.operationId(id))).operation();
    }

    @Test
    void createNamespaceGoesSubmittedPendingSuccessWithTheClock() {
        Instant start = clock.instant();
        String id = join(client.createHttpNamespace(r -> r.name("slow"))).operationId();
        assertThat(id).matches("[a-z0-9]{32}-[a-z0-9]{8}");
        Operation submitted = operation(id);
        assertThat(submitted.status()).isEqualTo(OperationStatus.SUBMITTED);
        assertThat(submitted.updateDate()).isEqualTo(start);
        String nsId = submitted.targets().get(OperationTargetType.NAMESPACE);
        assertThatThrownBy(() -> join(client.getNamespace(r -> r.id(nsId))))
                .as("the namespace appears only when its operation succeeds")
                .isInstanceOf(NamespaceNotFoundException.class);

        clock.advance(Duration.ofMillis(2500));
        Operation pending = operation(id);
        assertThat(pending.status()).isEqualTo(OperationStatus.PENDING);
        assertThat(pending.updateDate()).isEqualTo(start.plusSeconds(2));

        clock.advance(Duration.ofMillis(2500));
        Operation done = operation(id);
        assertThat(done.status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(done.updateDate()).isEqualTo(start.plusSeconds(5));
        assertThat(done.createDate()).isEqualTo(start);
        assertThat(join(client.getNamespace(r -> r.id(nsId))).namespace().name()).isEqualTo("slow");
        assertThat(emulator.operation(id)).hasValueSatisfying(op -> assertThat(op.status()).isEqualTo(OperationStatus.SUCCESS));
    }

    @Test
    void unknownOperationIsOperationNotFound() {
        assertThatThrownBy(() -> operation("nope"))
                .isInstanceOfSatisfying(OperationNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("OperationNotFound");
                });
        assertThat(emulator.operation("nope")).isEmpty();
    }

    @Test
    void failNextOperationsEndsFailWithTheCodeAndSkipsTheEffect() {
        emulator.faults().failNextOperations(OperationType.CREATE_NAMESPACE, 1, "THROTTLED_REQUEST",
                "Rate exceeded for Route 53");
        String failed = join(client.createHttpNamespace(r -> r.name("t").creatorRequestId("same"))).operationId();
        clock.advance(Duration.ofSeconds(10));
        Operation op = operation(failed);
        assertThat(op.status()).isEqualTo(OperationStatus.FAIL);
        assertThat(op.errorCode()).isEqualTo("THROTTLED_REQUEST");
        assertThat(op.errorMessage()).isEqualTo("Rate exceeded for Route 53");
        String nsId = op.targets().get(OperationTargetType.NAMESPACE);
        assertThatThrownBy(() -> join(client.getNamespace(r -> r.id(nsId)))).isInstanceOf(NamespaceNotFoundException.class);

        // Sending the failed request again, even with the same CreatorRequestId, runs it again.
        String retried = join(client.createHttpNamespace(r -> r.name("t").creatorRequestId("same"))).operationId();
        assertThat(retried).isNotEqualTo(failed);
        clock.advance(Duration.ofSeconds(10));
        assertThat(operation(retried).status()).isEqualTo(OperationStatus.SUCCESS);
    }

    @Test
    void failedRegistrationLeavesNoInstance() {
        String nsId = createNamespace("n");
        String serviceId = join(client.createService(r -> r.name("s").namespaceId(nsId))).service().id();
        emulator.faults().failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST", null);
        String op = join(client.registerInstance(r -> r.serviceId(serviceId).instanceId("i").attributes(Map.of())))
                .operationId();
        clock.advance(Duration.ofSeconds(1));
        assertThat(operation(op).errorCode()).isEqualTo("THROTTLED_REQUEST");
        assertThatThrownBy(() -> join(client.getInstance(r -> r.serviceId(serviceId).instanceId("i"))))
                .isInstanceOf(InstanceNotFoundException.class);
    }

    @Test
    void listOperationsReadsMaxResultsThenFiltersSoAPageCanBeEmptyWithANextToken() {
        String nsId = createNamespace("n");
        String serviceId = join(client.createService(r -> r.name("s").namespaceId(nsId))).service().id();
        List<String> registrations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            registrations.add(join(client.registerInstance(r -> r.serviceId(serviceId).instanceId("i" + n)
                    .attributes(Map.of()))).operationId());
        }
        clock.advance(Duration.ofSeconds(1));
        // Operations in order: CREATE_NAMESPACE, then three REGISTER_INSTANCE.
        ListOperationsResponse first = join(client.listOperations(r -> r.maxResults(1)
                .filters(f -> f.name(OperationFilterName.TYPE).values("REGISTER_INSTANCE"))));
        assertThat(first.operations()).isEmpty();
        assertThat(first.nextToken()).isNotNull();

        List<String> seen = new ArrayList<>();
        String token = first.nextToken();
        while (token != null) {
            String current = token;
            ListOperationsResponse page = join(client.listOperations(r -> r.maxResults(1).nextToken(current)
                    .filters(f -> f.name(OperationFilterName.TYPE).values("REGISTER_INSTANCE"))));
            page.operations().forEach(o -> seen.add(o.id()));
            token = page.nextToken();
        }
        assertThat(seen).containsExactlyElementsOf(registrations);

        List<OperationSummary> byService = join(client.listOperations(r -> r.filters(
                f -> f.name(OperationFilterName.SERVICE_ID).values(serviceId),
                f -> f.name(OperationFilterName.STATUS).condition("IN").values("SUCCESS", "FAIL")))).operations();
        assertThat(byService).extracting(OperationSummary::id).containsExactlyElementsOf(registrations);
        assertThat(byService).extracting(OperationSummary::status).containsOnly(OperationStatus.SUCCESS);

        long startMillis = clock.instant().minusSeconds(1).toEpochMilli(); // after the namespace finished
        long endMillis = clock.instant().toEpochMilli();
        List<OperationSummary> byDate = join(client.listOperations(r -> r.filters(f -> f.name(OperationFilterName.UPDATE_DATE)
                .condition("BETWEEN").values(Long.toString(startMillis), Long.toString(endMillis))))).operations();
        assertThat(byDate).extracting(OperationSummary::id).containsExactlyElementsOf(registrations);
        List<OperationSummary> byNamespace = join(client.listOperations(r -> r.filters(
                f -> f.name(OperationFilterName.NAMESPACE_ID).values(nsId)))).operations();
        assertThat(byNamespace).hasSize(4);
    }

    @Test
    void listOperationsRejectsInvalidFilters() {
        assertThatThrownBy(() -> join(client.listOperations(r -> r.filters(f -> f.name(OperationFilterName.UPDATE_DATE)
                .condition("EQ").values("1")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("UPDATE_DATE");
        assertThatThrownBy(() -> join(client.listOperations(r -> r.filters(f -> f.name(OperationFilterName.SERVICE_ID)
                .condition("IN").values("a", "b")))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> join(client.listOperations(r -> r.filters(f -> f.name(OperationFilterName.STATUS)
                .values("DONE")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("DONE");
        assertThatThrownBy(() -> join(client.listOperations(r -> r.maxResults(0))))
                .isInstanceOf(InvalidInputException.class);
    }

    private String createNamespace(String name) {
        String op = join(client.createHttpNamespace(r -> r.name(name))).operationId();
        clock.advance(Duration.ofSeconds(6));
        return operation(op).targets().get(OperationTargetType.NAMESPACE);
    }
}
