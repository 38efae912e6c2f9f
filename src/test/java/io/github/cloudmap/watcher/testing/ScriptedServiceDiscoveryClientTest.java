package io.github.cloudmap.watcher.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

class ScriptedServiceDiscoveryClientTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();

    private GetOperationResponse get(String id) {
        return client.getOperation(b -> b.operationId(id)).join();
    }

    @Test
    void answersStepByStepAndRepeatsTheLastStep() {
        client.script("op-1").type(OperationType.CREATE_NAMESPACE).target(OperationTargetType.NAMESPACE, "ns-1")
                .submitted().success();

        assertThat(get("op-1").operation().status()).isEqualTo(OperationStatus.SUBMITTED);
        assertThat(get("op-1").operation().status()).isEqualTo(OperationStatus.SUCCESS);
        GetOperationResponse again = get("op-1");
        assertThat(again.operation().status()).isEqualTo(OperationStatus.SUCCESS);
        assertThat(again.operation().type()).isEqualTo(OperationType.CREATE_NAMESPACE);
        assertThat(again.operation().targets()).containsEntry(OperationTargetType.NAMESPACE, "ns-1");
        assertThat(client.getOperationCount("op-1")).isEqualTo(3);
    }

    @Test
    void failuresArriveWrappedInCompletionExceptionLikeTheRealClients() {
        client.script("op-1").throttle().serverError(503);

        assertThatThrownBy(() -> get("op-1")).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ServiceDiscoveryException.class)
                .satisfies(e -> assertThat(((ServiceDiscoveryException) e).isThrottlingException()).isTrue());
        assertThatThrownBy(() -> get("op-1")).cause()
                .satisfies(e -> assertThat(((ServiceDiscoveryException) e).statusCode()).isEqualTo(503));
    }

    @Test
    void anUnscriptedOperationIsNotFound() {
        assertThatThrownBy(() -> get("unknown")).cause().isInstanceOf(OperationNotFoundException.class)
                .hasMessageContaining("unknown");
    }

    @Test
    void hungRequestsAreTrackedUntilCancelled() {
        client.script("op-1").hang();

        CompletableFuture<GetOperationResponse> pending = client.getOperation(b -> b.operationId("op-1"));
        assertThat(client.hangingRequests()).isEqualTo(1);
        pending.cancel(true);
        assertThat(client.hangingRequests()).isZero();
        assertThat(client.cancelledRequests()).isEqualTo(1);
    }

    @Test
    void submissionsAnswerInOrderAndFailLoudlyWhenUnscripted() {
        client.submissions().operationIds("op-1").throttle();

        assertThat(client.registerInstance(b -> b.serviceId("srv").instanceId("i")).join().operationId())
                .isEqualTo("op-1");
        assertThatThrownBy(() -> client.deregisterInstance(b -> b.serviceId("srv").instanceId("i")).join())
                .cause().isInstanceOf(ServiceDiscoveryException.class);
        assertThatThrownBy(() -> client.createHttpNamespace(b -> b.name("ns")).join())
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("CreateHttpNamespaceRequest");
        assertThat(client.submissionCount()).isEqualTo(3);
    }

    @Test
    void scriptArgumentsAreChecked() {
        assertThatThrownBy(() -> client.script("op-1").times(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.script("op-1").serverError(404)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5xx");
        assertThatThrownBy(() -> client.script(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void unparsableAndWronglyTypedBodiesFailAsTheSdkDoes() {
        client.script("op-1").garbageBody().wronglyTypedBody();

        // Measured with SDK 2.40.2 against a loopback server answering HTTP 200 "not json{":
        // SdkClientException < UncheckedIOException < the JSON parser's IOException.
        assertThatThrownBy(() -> get("op-1")).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SdkClientException.class).hasMessageStartingWith("Unable to execute HTTP request")
                .cause().isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class);
        // ... and for {"CreateDate": "yesterday"}: "Unable to parse date" < NumberFormatException.
        assertThatThrownBy(() -> get("op-1")).cause().isInstanceOf(SdkClientException.class)
                .hasMessageContaining("Unable to parse date").cause().isInstanceOf(NumberFormatException.class);
    }

    @Test
    void forgettingTheHistoryKeepsScriptsAndWhatIsInFlight() {
        client.script("op-1").submitted().hang();
        get("op-1");
        CompletableFuture<GetOperationResponse> cancelled = client.getOperation(b -> b.operationId("op-1"));
        cancelled.cancel(true);
        CompletableFuture<GetOperationResponse> inFlight = client.getOperation(b -> b.operationId("op-1"));

        client.forgetHistory();

        assertThat(client.requests()).isEmpty();
        assertThat(client.cancelledRequests()).isZero();
        assertThat(client.hangingRequests()).isEqualTo(1);
        inFlight.cancel(true);
        assertThat(client.cancelledRequests()).isEqualTo(1);
        assertThat(client.getOperation(b -> b.operationId("op-1"))).isNotDone();
    }
}
