package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/** The README's "Testing your code with StepVerifier" example, word for word, so it cannot rot. */
class ReadmeStepVerifierTest {

    @Test
    void aThrottledRequestFailureIsResubmittedInVirtualTime() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").submitted().fail("THROTTLED_REQUEST", "Rate exceeded");
        client.script("op-2").pending().throttle().success();
        OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).build();
        RegisterInstanceRequest request = RegisterInstanceRequest.builder()
                .serviceId("srv-1").instanceId("i-1").creatorRequestId("i-1-token").build();

        StepVerifier.withVirtualTime(() -> watcher.submitAndAwait(
                Mono.fromFuture(() -> client.registerInstance(request)).map(RegisterInstanceResponse::operationId)))
            .thenAwait(Duration.ofMinutes(1))
            .assertNext(op -> assertThat(op.id()).isEqualTo("op-2"))
            .verifyComplete();
        assertThat(client.submissionCount()).isEqualTo(2);
    }
}
