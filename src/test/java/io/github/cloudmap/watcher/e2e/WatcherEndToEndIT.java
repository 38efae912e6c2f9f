package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUCCESS;

import io.github.cloudmap.watcher.CountingListener;
import io.github.cloudmap.watcher.OperationFailedException;
import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import io.github.cloudmap.watcher.junit.CloudMapEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * The watcher's rules end to end: the real SDK async client with its Netty HTTP client, over
 * loopback HTTP, against the embedded emulator. Real time, scaled down; every wait is bounded.
 * One emulator and one client serve the whole class (starting and stopping Netty takes
 * seconds); the extension resets it before each test, which then makes a service of its own.
 */
class WatcherEndToEndIT {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    static final CloudMapEmulatorExtension CLOUD_MAP = E2eClients.emulator(OperationTimings.instant()
                    .with(OperationType.REGISTER_INSTANCE, Duration.ofMillis(300), Duration.ofMillis(300)))
            .client(c -> c.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(Duration.ofSeconds(10))))
            .build();

    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private final CountingListener listener = new CountingListener();
    private String serviceId;

    /** The extension has reset the emulator: a service of this test's own. */
    @BeforeEach
    void newService() {
        listener.reset();
        serviceId = E2eClients.newService(client);
    }

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client)
                .pollInterval(Duration.ofMillis(50), Duration.ofMillis(200))
                .jitter(0)
                .listener(listener);
    }

    private Mono<String> register(String instanceId) {
        return Mono.fromFuture(() -> client.registerInstance(b -> b.serviceId(serviceId).instanceId(instanceId)
                        .creatorRequestId(UUID.randomUUID().toString())
                        .attributes(java.util.Map.of("AWS_INSTANCE_IPV4", "10.0.0.1"))))
                .map(RegisterInstanceResponse::operationId);
    }

    private static String newInstanceId() {
        return "i-" + UUID.randomUUID();
    }

    private String registerNow(String instanceId) {
        return register(instanceId).block(BOUND);
    }

    @Test
    void emitsEachStatusChangeOnceAndStopsPollingAtTheEnd() {
        String id = registerNow(newInstanceId());

        List<OperationStatus> statuses = watcher().build().watch(id).map(Operation::status).collectList().block(BOUND);

        assertThat(statuses).containsExactly(SUBMITTED, PENDING, SUCCESS);
        int atSuccess = emulator.counters().getOperationCount(id);
        assertThat(atSuccess).as("every poll reached the emulator").isEqualTo(listener.polls.get());
        // Longer than the 200 ms cap between polls: a loop still running would poll again.
        Mono.delay(Duration.ofMillis(500)).block();
        assertThat(emulator.counters().getOperationCount(id)).as("none after SUCCESS").isEqualTo(atSuccess);
        // 600 ms of work polled at 0, 50, 150, 350, 550, 750 ms: a handful of polls, not a storm
        assertThat(listener.polls.get()).isBetween(4, 9);
    }

    @Test
    void throttledPollsAreAbsorbed() {
        String id = registerNow(newInstanceId());
        emulator.faults().throttleNext("GetOperation", 3);

        StepVerifier.create(watcher().build().awaitTerminal(id))
                .assertNext(op -> assertThat(op.status()).isEqualTo(SUCCESS))
                .expectComplete()
                .verify(BOUND);
        assertThat(listener.throttled.get()).isEqualTo(3);
    }

    @Test
    void serverErrorsAndConnectionResetsAreRetried() {
        String id = registerNow(newInstanceId());
        // two failures in a row: within the default three attempts of one poll
        emulator.faults().serverErrorNext("GetOperation", 1).resetNext("GetOperation", 1);

        StepVerifier.create(watcher().build().awaitTerminal(id))
                .assertNext(op -> assertThat(op.status()).isEqualTo(SUCCESS))
                .expectComplete()
                .verify(BOUND);
        assertThat(listener.transientErrors.get()).isEqualTo(2);
    }

    @Test
    void persistentServerErrorsSurfaceAsTheSdkException() {
        String id = registerNow(newInstanceId());
        emulator.faults().serverErrorNext("GetOperation", 100);

        StepVerifier.create(watcher().build().awaitTerminal(id))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(software.amazon.awssdk.awscore.exception.AwsServiceException.class)
                        .satisfies(e -> assertThat(((software.amazon.awssdk.awscore.exception.AwsServiceException) e)
                                .statusCode()).isGreaterThanOrEqualTo(500)))
                .verify(BOUND);
    }

    @Test
    void anUnknownOperationSurfacesAfterTheGraceWindow() {
        StepVerifier.create(watcher().notFoundGrace(Duration.ofSeconds(2)).build().watch("no-such-operation"))
                .expectError(OperationNotFoundException.class)
                .verify(BOUND);
        assertThat(listener.notFound.get()).as("tolerated within the window").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFailCarriesErrorCodeAndMessage() {
        emulator.faults().failNextOperations(OperationType.REGISTER_INSTANCE, 1, "ACCESS_DENIED", "no access to Route 53");
        String id = registerNow(newInstanceId());

        StepVerifier.create(watcher().build().awaitTerminal(id))
                .expectErrorSatisfies(error -> {
                    OperationFailedException failed = (OperationFailedException) error;
                    assertThat(failed.errorCode()).isEqualTo("ACCESS_DENIED");
                    assertThat(failed.errorMessage()).isEqualTo("no access to Route 53");
                    assertThat(failed.isRetryable()).isFalse();
                })
                .verify(BOUND);
    }

    @Test
    void aThrottledRequestFailureIsResubmitted() {
        emulator.faults().failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST", "Rate exceeded");
        OperationWatcher watcher = watcher()
                .resubmission(io.github.resilience4j.retry.RetryConfig.custom()
                        .maxAttempts(3).waitDuration(Duration.ofMillis(100)).build())
                .build();

        List<Operation> seen = watcher.submitAndWatch(register(newInstanceId())).collectList().block(BOUND);

        assertThat(seen).extracting(Operation::status).containsExactly(SUBMITTED, PENDING, OperationStatus.FAIL,
                SUBMITTED, PENDING, SUCCESS);
        assertThat(seen.get(2).errorCode()).isEqualTo("THROTTLED_REQUEST");
        assertThat(seen.get(5).id()).isNotEqualTo(seen.get(0).id());
        assertThat(emulator.counters().count("RegisterInstance")).isEqualTo(2);
        assertThat(listener.resubmits.get()).isEqualTo(1);
    }

    @Test
    void theDeadlineFiresWhileARequestHangs() {
        String id = registerNow(newInstanceId());
        emulator.faults().hangNext("GetOperation", 1);

        StepVerifier.create(watcher().timeout(Duration.ofMillis(800)).build().watch(id))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(OperationTimeoutException.class);
                    assertThat(((OperationTimeoutException) error).lastObserved()).isNull();
                })
                .verify(BOUND);
    }

    @Test
    void cancellingStopsPolling() throws InterruptedException {
        String id = registerNow(newInstanceId());
        // Slow answers: the watch is cancelled while its first request is in flight. A loop that
        // went on would poll again 50 ms after that answer arrives.
        emulator.faults().latency("GetOperation", Duration.ofMillis(300));
        CountDownLatch firstPoll = new CountDownLatch(1);
        Disposable watch = watcher().listener(new WatchListener() {
            @Override
            public void onPoll(String operationId) {
                firstPoll.countDown();
            }
        }).build().watch(id).subscribe();

        assertThat(firstPoll.await(10, TimeUnit.SECONDS)).isTrue();
        watch.dispose();
        // Observe for a while that nothing more arrives: a bounded wait for the absence of requests.
        Mono.delay(Duration.ofMillis(1_000)).block();
        assertThat(emulator.counters().getOperationCount(id)).isLessThanOrEqualTo(1);
    }
}
