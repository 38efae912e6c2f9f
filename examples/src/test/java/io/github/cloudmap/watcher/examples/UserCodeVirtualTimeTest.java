package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationFailedException;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;

/**
 * Tests your own code that waits for Cloud Map ({@link Registrar}) with no network and no
 * sleeping: a {@link ScriptedServiceDiscoveryClient} answers from a script, and
 * {@code StepVerifier.withVirtualTime} moves the clock, so minutes of backoff take microseconds.
 */
class UserCodeVirtualTimeTest {

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final Registrar registrar = new Registrar(client, Duration.ofMinutes(2));

    @Test
    void registersThroughNotFoundThrottlingAndAThrottledRequestFailure() {
        client.submissions().operationIds("op-1", "op-2");
        client.script("op-1").notFound().throttle().submitted().fail("THROTTLED_REQUEST", "Rate exceeded");
        client.script("op-2").pending().success();

        StepVerifier.withVirtualTime(() -> registrar.register("srv-1", "i-1", Map.of("AWS_INSTANCE_PORT", "80")))
                .thenAwait(Duration.ofMinutes(1))
                .assertNext(op -> {
                    assertThat(op.id()).isEqualTo("op-2");
                    assertThat(op.status()).isEqualTo(OperationStatus.SUCCESS);
                })
                .verifyComplete();

        // Resubmitted once, with the same idempotency token.
        assertThat(client.requests()).filteredOn(RegisterInstanceRequest.class::isInstance)
                .extracting(r -> ((RegisterInstanceRequest) r).creatorRequestId())
                .hasSize(2).doesNotContainNull()
                .satisfies(tokens -> assertThat(tokens.get(1)).isEqualTo(tokens.get(0)));
    }

    @Test
    void aNonRetryableFailureReachesTheCallerWithItsErrorCode() {
        client.submissions().operationIds("op-1");
        client.script("op-1").submitted().fail("ACCESS_DENIED", "not allowed");

        StepVerifier.withVirtualTime(() -> registrar.register("srv-1", "i-1", Map.of()))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(((OperationFailedException) e).errorCode())
                        .isEqualTo("ACCESS_DENIED"))
                .verify(Duration.ofSeconds(10));
        assertThat(client.submissionCount()).isEqualTo(1);
    }

    @Test
    void givesUpAtTheTimeoutWithTheLastStatusSeen() {
        client.submissions().operationIds("op-1");
        client.script("op-1").pending();

        StepVerifier.withVirtualTime(() -> registrar.register("srv-1", "i-1", Map.of()))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(119))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> assertThat(((OperationTimeoutException) e).lastObserved().status())
                        .isEqualTo(OperationStatus.PENDING))
                .verify(Duration.ofSeconds(10));
    }
}
