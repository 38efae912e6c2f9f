package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

class OperationTimingsTest {

    @Test
    void instantIsZeroForEveryType() {
        OperationTimings instant = OperationTimings.instant();
        for (OperationType type : OperationType.knownValues()) {
            assertThat(instant.phases(type, true).total()).isZero();
        }
    }

    @Test
    void defaultsAreScaledDownRealDurations() {
        OperationTimings defaults = OperationTimings.defaults();
        assertThat(defaults.phases(OperationType.CREATE_NAMESPACE, false).total()).isEqualTo(Duration.ofMillis(1500));
        assertThat(defaults.phases(OperationType.CREATE_NAMESPACE, true).total())
                .isGreaterThan(defaults.phases(OperationType.CREATE_NAMESPACE, false).total());
        assertThat(defaults.phases(OperationType.REGISTER_INSTANCE, false).total()).isEqualTo(Duration.ofMillis(300));
        // Only namespace creation and deletion depend on the namespace type.
        assertThat(defaults.phases(OperationType.REGISTER_INSTANCE, true))
                .isEqualTo(defaults.phases(OperationType.REGISTER_INSTANCE, false));
    }

    @Test
    void withReturnsACopy() {
        OperationTimings base = OperationTimings.instant();
        OperationTimings slow = base.with(OperationType.UPDATE_SERVICE, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(slow.submitted(OperationType.UPDATE_SERVICE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(slow.pending(OperationType.UPDATE_SERVICE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(base.submitted(OperationType.UPDATE_SERVICE)).isZero();
        OperationTimings publicDns = base.withPublicDnsNamespace(Duration.ofSeconds(5), Duration.ZERO);
        assertThat(publicDns.phases(OperationType.DELETE_NAMESPACE, true).submitted()).isEqualTo(Duration.ofSeconds(5));
        assertThat(publicDns.phases(OperationType.DELETE_NAMESPACE, false).submitted()).isZero();
    }

    @Test
    void uniformAppliesToEveryTypeAndToPublicDnsNamespaces() {
        OperationTimings uniform = OperationTimings.uniform(Duration.ofSeconds(1), Duration.ofSeconds(2));
        for (OperationType type : OperationType.knownValues()) {
            for (boolean publicDns : new boolean[] {false, true}) {
                assertThat(uniform.phases(type, publicDns).submitted()).as("%s %s", type, publicDns)
                        .isEqualTo(Duration.ofSeconds(1));
                assertThat(uniform.phases(type, publicDns).pending()).isEqualTo(Duration.ofSeconds(2));
            }
        }
        assertThatThrownBy(() -> OperationTimings.uniform(Duration.ZERO, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void rejectsNegativeDurationsAndUnknownTypes() {
        OperationTimings base = OperationTimings.defaults();
        assertThatThrownBy(() -> base.with(OperationType.UPDATE_SERVICE, Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> base.with(OperationType.UNKNOWN_TO_SDK_VERSION, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
