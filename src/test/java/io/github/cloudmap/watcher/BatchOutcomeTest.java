package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/** {@link BatchOutcome} and {@link OperationOutcome}: what they accept, and what their queries answer. */
class BatchOutcomeTest {

    private static Operation op(String id, OperationStatus status) {
        return Operation.builder().id(id).status(status).errorCode(status == OperationStatus.FAIL ? "ACCESS_DENIED" : null)
                .errorMessage(status == OperationStatus.FAIL ? "no" : null).build();
    }

    @Test
    void answersEachQueryFromTheFinishOrder() {
        OperationOutcome ok = OperationOutcome.terminal(op("a", OperationStatus.SUCCESS));
        OperationOutcome fail = OperationOutcome.terminal(op("b", OperationStatus.FAIL));
        OperationOutcome late = OperationOutcome.timedOut("c",
                new OperationTimeoutException("c", op("c", OperationStatus.PENDING), Duration.ofSeconds(5)));
        OperationOutcome error = OperationOutcome.error("d", null, new IllegalStateException("boom"));

        BatchOutcome batch = BatchOutcome.of(List.of("a", "b", "c", "d"), List.of(late, ok, error, fail));

        assertThat(batch.outcomes()).containsExactly(ok, fail, late, error);
        assertThat(batch.finishOrder()).containsExactly(late, ok, error, fail);
        assertThat(batch.failures()).containsExactly(fail);
        assertThat(batch.timedOut()).containsExactly(late);
        assertThat(batch.errors()).containsExactly(error);
        assertThat(batch.allSucceeded()).isFalse();
        assertThat(batch.outcome("c")).contains(late);
        assertThat(late.lastStatus()).isEqualTo(OperationStatus.PENDING);
        assertThat(fail.errorCode()).isEqualTo("ACCESS_DENIED");
        assertThat(ok.errorCode()).isNull();
        assertThat(error.toString()).contains("d ERROR (last status none)", "boom");
    }

    @Test
    void refusesOutcomesThatDoNotMatchTheIds() {
        OperationOutcome a = OperationOutcome.terminal(op("a", OperationStatus.SUCCESS));
        assertThatThrownBy(() -> BatchOutcome.of(List.of("a", "b"), List.of(a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no outcome for operation b");
        assertThatThrownBy(() -> BatchOutcome.of(List.of(), List.of(a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the batch");
        assertThatThrownBy(() -> BatchOutcome.of(List.of("a"), List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two outcomes");
        assertThatThrownBy(() -> OperationOutcome.terminal(op("a", OperationStatus.PENDING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not SUCCESS or FAIL");
        assertThatThrownBy(() -> new BatchUpdate("a", null, null)).isInstanceOf(NullPointerException.class);
        assertThat(BatchOutcome.empty().allSucceeded()).isTrue();
    }

    @Test
    void optionsAreCopiedOnSetAndValidated() {
        BatchOptions options = BatchOptions.defaults().failFast(true).overallTimeout(Duration.ofMinutes(3));
        assertThat(BatchOptions.defaults().failFast()).isFalse();
        assertThat(options.failFast()).isTrue();
        assertThat(options.overallTimeout()).contains(Duration.ofMinutes(3));
        assertThat(options).isEqualTo(BatchOptions.defaults().overallTimeout(Duration.ofMinutes(3)).failFast(true));
        assertThatThrownBy(() -> options.overallTimeout(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
        assertThatThrownBy(() -> options.overallTimeout(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.ownerAccount("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
