package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The watcher's exceptions survive Java serialization (a session store, a cache, a remote call)
 * with the same answers: before, every accessor of a deserialized
 * {@link OperationFailedException} threw a NullPointerException.
 */
class ExceptionSerializationTest {

    private static final Operation FAILED = Operation.builder()
            .id("op-1")
            .ownerAccount("123456789012")
            .type(OperationType.REGISTER_INSTANCE)
            .status(OperationStatus.FAIL)
            .errorCode("THROTTLED_REQUEST")
            .errorMessage("Rate exceeded while updating Route 53")
            .createDate(Instant.parse("2026-11-27T10:00:00.121Z"))
            .updateDate(Instant.parse("2026-11-27T10:00:40.500Z"))
            .targetsWithStrings(Map.of("SERVICE", "srv-1", "INSTANCE", "i-1"))
            .build();

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T roundTrip(T error) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(error);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aFailedOperationKeepsItsCodeMessageIdTypeAndRetryabilityAfterARoundTrip() throws Exception {
        OperationFailedException copy = roundTrip(new OperationFailedException(FAILED));

        assertThat(copy.operationId()).isEqualTo("op-1");
        assertThat(copy.errorCode()).isEqualTo("THROTTLED_REQUEST");
        assertThat(copy.errorMessage()).isEqualTo("Rate exceeded while updating Route 53");
        assertThat(copy.operationType()).isEqualTo("REGISTER_INSTANCE");
        assertThat(copy.isRetryable()).isTrue();
        assertThat(copy.getMessage()).isEqualTo(new OperationFailedException(FAILED).getMessage());
        assertThat(copy.operation()).as("rebuilt from the serialized fields").isEqualTo(FAILED);
    }

    @Test
    void aFailWithoutCodeTargetsOrDatesRoundTripsToo() throws Exception {
        Operation bare = Operation.builder().id("op-2").status(OperationStatus.FAIL).type("SOMETHING_NEW").build();

        OperationFailedException copy = roundTrip(new OperationFailedException(bare));

        assertThat(copy.errorCode()).isNull();
        assertThat(copy.isRetryable()).isFalse();
        assertThat(copy.operationType()).isEqualTo("SOMETHING_NEW");
        assertThat(copy.operation()).isEqualTo(bare);
        assertThat(copy.operation().hasTargets()).isFalse();
    }

    @Test
    void aTimeoutKeepsTheLastStatusItSawAfterARoundTrip() throws Exception {
        Operation pending = FAILED.toBuilder().status(OperationStatus.PENDING).errorCode(null).errorMessage(null).build();

        OperationTimeoutException copy = roundTrip(new OperationTimeoutException("op-1", pending, Duration.ofMinutes(5)));

        assertThat(copy.operationId()).isEqualTo("op-1");
        assertThat(copy.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(copy.lastStatus()).isEqualTo(OperationStatus.PENDING);
        assertThat(copy.lastObserved()).isEqualTo(pending);
        assertThat(copy.isOverall()).isFalse();
    }

    @Test
    void anOverallTimeoutKeepsItsAttemptsAfterARoundTrip() throws Exception {
        OperationTimeoutException copy = roundTrip(new OperationTimeoutException(null, null, Duration.ofMinutes(2), 3));

        assertThat(copy.isOverall()).isTrue();
        assertThat(copy.attempts()).isEqualTo(3);
        assertThat(copy.lastObserved()).isNull();
        assertThat(copy.lastStatus()).isNull();
        assertThat(copy.getMessage()).contains("overall submitAndWatch timeout of PT2M after 3 submissions");
    }
}
