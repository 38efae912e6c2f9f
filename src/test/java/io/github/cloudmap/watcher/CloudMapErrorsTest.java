package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.testing.SdkErrors;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/** The public reading of Cloud Map failures that the command line and users share with the watcher. */
class CloudMapErrorsTest {

    @Test
    void unwrapStripsEveryCompletionAndExecutionLayer() {
        RuntimeException throttled = SdkErrors.throttling("GetOperation");

        assertThat(CloudMapErrors.unwrap(new CompletionException(new ExecutionException(throttled)))).isSameAs(throttled);
        assertThat(CloudMapErrors.unwrap(throttled)).isSameAs(throttled);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(CloudMapErrors.unwrap(empty)).isSameAs(empty);
        assertThatThrownBy(() -> CloudMapErrors.unwrap(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void throttlingIsWhatTheSdkCallsThrottlingEvenWhenWrapped() {
        assertThat(CloudMapErrors.isThrottling(new CompletionException(SdkErrors.throttling("x")))).isTrue();
        assertThat(CloudMapErrors.isThrottling(SdkErrors.serviceError(400, "RequestLimitExceeded", "slow"))).isTrue();
        assertThat(CloudMapErrors.isThrottling(SdkErrors.serviceError(429, "TooManyRequests", "slow"))).isTrue();
        assertThat(CloudMapErrors.isThrottling(SdkErrors.serverError(503))).isFalse();
        assertThat(CloudMapErrors.isThrottling(SdkErrors.invalidInput("bad"))).isFalse();
        assertThat(CloudMapErrors.isThrottling(null)).isFalse();
    }

    @Test
    void transientMeans5xxTimeoutsAndIoButNeitherThrottlingNorClientErrors() {
        assertThat(CloudMapErrors.isTransient(new CompletionException(SdkErrors.serverError(503)))).isTrue();
        assertThat(CloudMapErrors.isTransient(SdkErrors.connectionReset())).isTrue();
        assertThat(CloudMapErrors.isTransient(new IOException("reset"))).isTrue();
        assertThat(CloudMapErrors.isTransient(ApiCallTimeoutException.create(1000))).isTrue();
        assertThat(CloudMapErrors.isTransient(SdkErrors.serviceError(400, "RequestTimeout", "slow body"))).isTrue();
        assertThat(CloudMapErrors.isTransient(SdkErrors.serviceError(501, "NotImplemented", "no"))).isFalse();
        assertThat(CloudMapErrors.isTransient(SdkErrors.throttling("x"))).isFalse();
        assertThat(CloudMapErrors.isTransient(SdkErrors.invalidInput("bad"))).isFalse();
        assertThat(CloudMapErrors.isTransient(SdkErrors.operationNotFound("op-1"))).isFalse();
        assertThat(CloudMapErrors.isTransient(null)).isFalse();
    }
}
