package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationFailedException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;

/** The registration's requests, their resubmission and their timeouts, in virtual time. */
class InstanceRegistrarTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();

    /** Built inside each virtual-time supplier, as the watcher's own tests do. */
    private InstanceRegistrar registrar() {
        return new InstanceRegistrar(client, OperationWatcher.builder(client).jitter(0).build(), "srv-1");
    }

    private List<RegisterInstanceRequest> registrations() {
        return client.requests().stream().filter(RegisterInstanceRequest.class::isInstance)
                .map(RegisterInstanceRequest.class::cast).toList();
    }

    @Test
    void registersWithTheAttributesAndACreatorRequestIdAndHearsEachStatus() {
        client.submissions().operationIds("op-1");
        client.script("op-1").submitted().pending().success();
        List<OperationStatus> seen = new ArrayList<>();

        StepVerifier.withVirtualTime(() -> registrar().register("host-8080",
                        Map.of("AWS_INSTANCE_IPV4", "10.0.0.7", "AWS_INSTANCE_PORT", "8080"), Duration.ofMinutes(1),
                        op -> seen.add(op.status())))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(op -> assertThat(op.status()).isEqualTo(OperationStatus.SUCCESS))
                .expectComplete().verify(Duration.ofSeconds(20));

        assertThat(seen).containsExactly(OperationStatus.SUBMITTED, OperationStatus.PENDING, OperationStatus.SUCCESS);
        RegisterInstanceRequest request = registrations().get(0);
        assertThat(request.serviceId()).isEqualTo("srv-1");
        assertThat(request.instanceId()).isEqualTo("host-8080");
        assertThat(request.attributes()).containsEntry("AWS_INSTANCE_IPV4", "10.0.0.7").containsEntry("AWS_INSTANCE_PORT", "8080");
        assertThat(request.creatorRequestId()).isNotBlank();
    }

    @Test
    void aThrottledRequestFailIsResubmittedWithTheSameCreatorRequestId() {
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").fail("THROTTLED_REQUEST", "Rate exceeded");
        client.script("op-2").success();

        StepVerifier.withVirtualTime(() -> registrar().register("i-1", Map.of(), Duration.ofMinutes(1), op -> { }))
                .thenAwait(Duration.ofSeconds(10))
                .assertNext(op -> assertThat(op.id()).isEqualTo("op-2"))
                .expectComplete().verify(Duration.ofSeconds(20));

        assertThat(registrations()).hasSize(2);
        assertThat(registrations().get(1).creatorRequestId()).isEqualTo(registrations().get(0).creatorRequestId());
    }

    @Test
    void eachRegistrationHasItsOwnCreatorRequestId() {
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").success();
        client.script("op-2").success();
        StepVerifier.withVirtualTime(() -> registrar().register("i-1", Map.of(), Duration.ofMinutes(1), op -> { })
                        .then(registrar().register("i-1", Map.of(), Duration.ofMinutes(1), op -> { })))
                .thenAwait(Duration.ofSeconds(5))
                .expectNextCount(1)
                .expectComplete().verify(Duration.ofSeconds(20));
        assertThat(registrations().get(0).creatorRequestId()).isNotEqualTo(registrations().get(1).creatorRequestId());
    }

    @Test
    void aDuplicateRequestFollowsTheRunningOperation() {
        client.submissions().duplicateRequest("op-running");
        client.script("op-running").pending().success();

        StepVerifier.withVirtualTime(() -> registrar().register("i-1", Map.of(), Duration.ofMinutes(1), op -> { }))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(op -> assertThat(op.id()).isEqualTo("op-running"))
                .expectComplete().verify(Duration.ofSeconds(20));
    }

    @Test
    void aFailThatIsNotRetryableEndsWithItsErrorCode() {
        client.submissions().operationIds("op-1");
        client.script("op-1").submitted().fail("INTERNAL_FAILURE", "Route 53 said no");

        StepVerifier.withVirtualTime(() -> registrar().register("i-1", Map.of(), Duration.ofMinutes(1), op -> { }))
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OperationFailedException.class)
                        .satisfies(f -> assertThat(((OperationFailedException) f).errorCode()).isEqualTo("INTERNAL_FAILURE")))
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void theRegisterTimeoutFiresAtItsDeadlineEvenWhileAPollHangs() {
        client.submissions().operationIds("op-1");
        client.script("op-1").submitted().hang();

        StepVerifier.withVirtualTime(() -> registrar().register("i-1", Map.of(), Duration.ofSeconds(30), op -> { }))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(29))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InstanceRegistrar.RegistrationTimeoutException.class)
                        .hasMessageContaining("RegisterInstance of i-1 in srv-1").hasMessageContaining("PT30S"))
                .verify(Duration.ofSeconds(20));
        assertThat(client.hangingRequests()).as("the hung poll was cancelled").isZero();
    }

    @Test
    void deregistersAndItsTimeoutFiresAtItsDeadline() {
        client.submissions().operationIds("op-d1", "op-d2");
        client.script("op-d1").type(OperationType.DEREGISTER_INSTANCE).pending().success();
        client.script("op-d2").type(OperationType.DEREGISTER_INSTANCE).pending();

        StepVerifier.withVirtualTime(() -> registrar().deregister("i-1", Duration.ofSeconds(20), op -> { }))
                .thenAwait(Duration.ofSeconds(2))
                .assertNext(op -> assertThat(op.id()).isEqualTo("op-d1"))
                .expectComplete().verify(Duration.ofSeconds(20));
        DeregisterInstanceRequest request = (DeregisterInstanceRequest) client.requests().stream()
                .filter(DeregisterInstanceRequest.class::isInstance).findFirst().orElseThrow();
        assertThat(request.serviceId()).isEqualTo("srv-1");
        assertThat(request.instanceId()).isEqualTo("i-1");

        StepVerifier.withVirtualTime(() -> registrar().deregister("i-1", Duration.ofSeconds(20), op -> { }))
                .thenAwait(Duration.ofSeconds(20))
                .expectError(InstanceRegistrar.RegistrationTimeoutException.class)
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void nothingIsSentBeforeSubscription() {
        registrar().register("i-1", Map.of(), Duration.ofSeconds(1), op -> { });
        registrar().deregister("i-1", Duration.ofSeconds(1), op -> { });
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void theDefaultInstanceIdIsHostAndPortInCloudMapsAlphabet() {
        assertThat(CloudMapInstanceRegistration.defaultInstanceId("Web-1.Example.internal", 8080))
                .isEqualTo("web-1.example.internal-8080");
        assertThat(CloudMapInstanceRegistration.defaultInstanceId("host with spaces", null)).isEqualTo("host-with-spaces");
        assertThat(CloudMapInstanceRegistration.defaultInstanceId(null, 80)).isEqualTo("instance-80");
        String id = CloudMapInstanceRegistration.defaultInstanceId("h".repeat(100), 65535);
        assertThat(id).hasSize(64).endsWith("-65535");
        assertThat(RegistrationPropertiesCheck.INSTANCE_ID.matcher(id).matches()).isTrue();
        assertThat(CloudMapInstanceRegistration.defaultInstanceId("a", 1)).as("stable")
                .isEqualTo(CloudMapInstanceRegistration.defaultInstanceId("a", 1));
    }

}
