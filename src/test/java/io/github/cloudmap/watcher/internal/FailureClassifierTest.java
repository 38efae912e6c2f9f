package io.github.cloudmap.watcher.internal;

import static io.github.cloudmap.watcher.internal.FailureClassifier.Kind.FATAL;
import static io.github.cloudmap.watcher.internal.FailureClassifier.Kind.NOT_FOUND;
import static io.github.cloudmap.watcher.internal.FailureClassifier.Kind.THROTTLED;
import static io.github.cloudmap.watcher.internal.FailureClassifier.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.SdkErrors;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class FailureClassifierTest {

    @Test
    void throttlingCodesAndHttp429AreThrottled() {
        assertThat(FailureClassifier.classify(SdkErrors.throttling("GetOperation"))).isEqualTo(THROTTLED);
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(400, "RequestLimitExceeded", "slow down")))
                .isEqualTo(THROTTLED);
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(429, "TooManyRequests", "slow down")))
                .isEqualTo(THROTTLED);
    }

    @Test
    void serverErrorsAndIoFailuresAreTransient() {
        assertThat(FailureClassifier.classify(SdkErrors.serverError(500))).isEqualTo(TRANSIENT);
        assertThat(FailureClassifier.classify(SdkErrors.serverError(503))).isEqualTo(TRANSIENT);
        assertThat(FailureClassifier.classify(SdkErrors.connectionReset())).isEqualTo(TRANSIENT);
        assertThat(FailureClassifier.classify(new IOException("reset"))).isEqualTo(TRANSIENT);
        assertThat(FailureClassifier.classify(ApiCallAttemptTimeoutException.create(1000))).isEqualTo(TRANSIENT);
        // How the SDK's Netty client reports a connection-pool acquire timeout
        assertThat(FailureClassifier.classify(SdkClientException.create("Unable to execute HTTP request",
                new Throwable("Acquire operation took longer than the configured maximum time",
                        new java.util.concurrent.TimeoutException())))).isEqualTo(TRANSIENT);
    }

    @Test
    void requestTimeoutsAreTransientLikeTheSdkSays() {
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(400, "RequestTimeout", "slow body")))
                .isEqualTo(TRANSIENT);
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(400, "PriorRequestNotComplete", "busy")))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void notImplementedIsNotRetried() {
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(501, "NotImplemented", "no"))).isEqualTo(FATAL);
    }

    @Test
    void aCauseChainThatLoopsIsClassifiedWithoutHanging() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(FailureClassifier.classify(a)).isEqualTo(FATAL);
    }

    @Test
    void clientErrorsAndConfigurationProblemsAreFatal() {
        assertThat(FailureClassifier.classify(SdkErrors.invalidInput("bad"))).isEqualTo(FATAL);
        assertThat(FailureClassifier.classify(SdkErrors.serviceError(400, "AccessDeniedException", "no")))
                .isEqualTo(FATAL);
        assertThat(FailureClassifier.classify(SdkClientException.create("Unable to load credentials")))
                .isEqualTo(FATAL);
        assertThat(FailureClassifier.classify(new IllegalStateException("bug"))).isEqualTo(FATAL);
    }

    @Test
    void operationNotFoundIsItsOwnKind() {
        assertThat(FailureClassifier.classify(SdkErrors.operationNotFound("op-1"))).isEqualTo(NOT_FOUND);
    }

    @Test
    void completionAndExecutionExceptionsAreUnwrappedBeforeClassifying() {
        Throwable wrapped = new CompletionException(new ExecutionException(SdkErrors.throttling("GetOperation")));
        assertThat(FailureClassifier.classify(wrapped)).isEqualTo(THROTTLED);
        assertThat(FailureClassifier.unwrap(wrapped)).isInstanceOf(
                software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException.class);
        assertThat(FailureClassifier.unwrap(new CompletionException(null))).isInstanceOf(CompletionException.class);
    }
}
