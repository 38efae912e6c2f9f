package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.RequestLimitExceededException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/** Every fault of {@link FaultInjector}, seen through the real AWS SDK with retries off. */
class FaultsIT {

    private final MutableClock clock = MutableClock.at("2024-05-01T10:00:00Z");
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeEach
    void start() {
        emulator = CloudMapEmulator.builder().clock(clock).seed(42L).operationTimings(OperationTimings.instant()).start();
        client = SdkClients.client(emulator, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private void listNamespaces() {
        join(client.listNamespaces(r -> { }));
    }

    @Test
    void throttleNextAnswersThrottlingExceptionTheSdkRecognises() {
        emulator.faults().throttleNext("ListNamespaces", 2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(this::listNamespaces).isInstanceOfSatisfying(ServiceDiscoveryException.class, e -> {
                assertThat(e.isThrottlingException()).isTrue();
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            });
        }
        listNamespaces();
        assertThat(emulator.counters().count("ListNamespaces")).isEqualTo(3);
    }

    @Test
    void serverErrorNextAnswers500InternalFailure() {
        emulator.faults().serverErrorNext("*", 1);
        assertThatThrownBy(this::listNamespaces).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
            assertThat(e.isThrottlingException()).isFalse();
        });
        listNamespaces();
    }

    @Test
    void rateLimitRefillsWithTheEmulatorClock() {
        emulator.faults().rateLimit("ListNamespaces", 1, 2);
        listNamespaces();
        listNamespaces();
        assertThatThrownBy(this::listNamespaces)
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.isThrottlingException()).isTrue());
        clock.advance(Duration.ofSeconds(1));
        listNamespaces();
        assertThatThrownBy(this::listNamespaces).isInstanceOf(AwsServiceException.class);
    }

    @Test
    void discoverInstancesLimitAnswersRequestLimitExceeded() {
        emulator.faults().rateLimit("DiscoverInstances", 1000, 1);
        // The namespace does not exist: the first call passes the limit and gets NamespaceNotFound.
        assertThatThrownBy(() -> join(client.discoverInstances(r -> r.namespaceName("n").serviceName("s"))))
                .isInstanceOf(software.amazon.awssdk.services.servicediscovery.model.NamespaceNotFoundException.class);
        assertThatThrownBy(() -> join(client.discoverInstances(r -> r.namespaceName("n").serviceName("s"))))
                .isInstanceOfSatisfying(RequestLimitExceededException.class,
                        e -> assertThat(e.isThrottlingException()).isTrue());
    }

    @Test
    void realisticLimitsThrottleTheSecondListNamespacesWithinTwoSeconds() {
        emulator.faults().realisticLimits(); // ListNamespaces: 0.5/s, burst 1
        listNamespaces();
        assertThatThrownBy(this::listNamespaces).isInstanceOf(AwsServiceException.class);
        clock.advance(Duration.ofSeconds(2));
        listNamespaces();
        emulator.faults().reset();
        listNamespaces();
    }

    @Test
    void throttleProbabilityIsRepeatableUnderASeed() {
        List<Boolean> first = throttledPattern(0.5);
        emulator.faults().reset(); // re-seeds
        List<Boolean> second = throttledPattern(0.5);
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(true, false);
        emulator.faults().reset();
        assertThat(throttledPattern(1.0)).containsOnly(true);
        emulator.faults().reset();
        assertThat(throttledPattern(0.0)).containsOnly(false);
    }

    private List<Boolean> throttledPattern(double p) {
        emulator.faults().throttleProbability("ListNamespaces", p);
        List<Boolean> pattern = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try {
                listNamespaces();
                pattern.add(false);
            } catch (AwsServiceException e) {
                assertThat(e.isThrottlingException()).isTrue();
                pattern.add(true);
            }
        }
        return pattern;
    }

    @Test
    void serverErrorProbabilityOneFailsEveryRequest() {
        emulator.faults().serverErrorProbability("*", 1.0);
        assertThatThrownBy(this::listNamespaces)
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThatThrownBy(() -> join(client.getOperation(r -> r.operationId("x"))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    }

    @Test
    void latencyDelaysTheAnswer() {
        emulator.faults().latency("ListNamespaces", Duration.ofMillis(300));
        long start = System.nanoTime();
        listNamespaces();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void hangNextNeverAnswersUntilTheClientGivesUp() {
        emulator.faults().hangNext("ListNamespaces", 1);
        ServiceDiscoveryAsyncClient impatient = SdkClients.client(emulator, Duration.ofMillis(500));
        try {
            assertThatThrownBy(() -> join(impatient.listNamespaces(r -> { })))
                    .isInstanceOf(ApiCallTimeoutException.class);
            join(impatient.listNamespaces(r -> { }));
        } finally {
            impatient.close();
        }
    }

    @Test
    void resetNextClosesTheConnectionWithoutAnAnswer() {
        emulator.faults().resetNext("ListNamespaces", 1);
        assertThatThrownBy(this::listNamespaces).isInstanceOf(SdkClientException.class);
        listNamespaces();
        assertThat(emulator.counters().count("ListNamespaces")).isEqualTo(2);
    }

    @Test
    void resetNextSendsATcpResetNotAnOrderlyClose() throws Exception {
        emulator.faults().resetNext("ListNamespaces", 1);
        try (Socket socket = new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-amz-json-1.1\r\n"
                    + "X-Amz-Target: Route53AutoNaming_v20170314.ListNamespaces\r\n"
                    + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // An orderly close (FIN) would make read() return -1; a reset (RST) makes it throw.
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
        assertThat(emulator.counters().count("ListNamespaces")).isEqualTo(1);
    }

    @Test
    void countersTrackActionsAndGetOperationIds() {
        listNamespaces();
        assertThatThrownBy(() -> join(client.getOperation(r -> r.operationId("op-1"))))
                .isInstanceOf(OperationNotFoundException.class);
        assertThatThrownBy(() -> join(client.getOperation(r -> r.operationId("op-1"))))
                .isInstanceOf(OperationNotFoundException.class);
        RequestCounters counters = emulator.counters();
        assertThat(counters.total()).isEqualTo(3);
        assertThat(counters.getOperationCount("op-1")).isEqualTo(2);
        assertThat(counters.actions()).containsExactly("ListNamespaces", "GetOperation", "GetOperation");
        counters.reset();
        assertThat(counters.total()).isZero();
        assertThat(counters.count("GetOperation")).isZero();
    }

    @Test
    void aClientThatClosesItsConnectionEarlyIsLoggedQuietlyAndTheServerCarriesOn() throws Exception {
        emulator.faults().latency("ListNamespaces", Duration.ofMillis(300));
        String log = capturingStandardError(() -> {
            // Gone before the body arrives: reading it fails with reactor-netty's AbortedException,
            // which used to be logged at ERROR with a stack trace as an emulator failure.
            try (Socket socket = connect()) {
                socket.getOutputStream().write(rawRequest("ListNamespaces", false));
                socket.getOutputStream().flush();
                Thread.sleep(200); // real time: lets the server start reading the body; bounded
            }
            // Gone while the answer waits out its latency, as a watch that timed out does.
            try (Socket socket = connect()) {
                socket.getOutputStream().write(rawRequest("ListNamespaces", true));
                socket.getOutputStream().flush();
            }
            Thread.sleep(600); // real time: past the 300 ms latency, so the answer has been attempted
            emulator.faults().latency("ListNamespaces", Duration.ZERO);
            listNamespaces();
        });
        assertThat(log).doesNotContain("ERROR", "failed while answering", "AbortedException");
        assertThat(emulator.counters().count("ListNamespaces")).isEqualTo(3);
    }

    private Socket connect() throws java.io.IOException {
        return new Socket(emulator.endpoint().getHost(), emulator.endpoint().getPort());
    }

    private static byte[] rawRequest(String action, boolean withBody) {
        return ("POST / HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: Route53AutoNaming_v20170314." + action + "\r\n"
                + "Content-Length: 2\r\n\r\n" + (withBody ? "{}" : "")).getBytes(StandardCharsets.US_ASCII);
    }

    /** Standard error while {@code body} runs: where slf4j-simple, the tests' logging backend, writes. */
    private static String capturingStandardError(ThrowingRunnable body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text); // still visible in the test report
        return text;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
