package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

class FaultInjectorTest {

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private final FaultInjector faults = new FaultInjector(clock, 7L);

    @Test
    void noFaultsByDefault() {
        FaultDecision decision = faults.decide("GetOperation");
        assertThat(decision.kind()).isEqualTo(FaultDecision.Kind.NONE);
        assertThat(decision.latency()).isZero();
    }

    @Test
    void nextNCountersAreConsumedInOrderHangResetThrottleServerError() {
        faults.hangNext("A", 1).resetNext("A", 1).throttleNext("A", 1).serverErrorNext("A", 1);
        assertThat(faults.decide("A").kind()).isEqualTo(FaultDecision.Kind.HANG);
        assertThat(faults.decide("A").kind()).isEqualTo(FaultDecision.Kind.RESET);
        FaultDecision throttle = faults.decide("A");
        assertThat(throttle.error().type()).isEqualTo("ThrottlingException");
        assertThat(throttle.error().status()).isEqualTo(400);
        FaultDecision error = faults.decide("A");
        assertThat(error.error().type()).isEqualTo("InternalFailure");
        assertThat(error.error().status()).isEqualTo(500);
        assertThat(faults.decide("A").kind()).isEqualTo(FaultDecision.Kind.NONE);
    }

    @Test
    void wildcardAppliesToActionsWithoutTheirOwnSetting() {
        faults.latency("*", Duration.ofMillis(5)).latency("B", Duration.ofMillis(9)).throttleNext("*", 1);
        FaultDecision b = faults.decide("B");
        assertThat(b.kind()).as("B has no throttleNext of its own: the \"*\" one applies").isEqualTo(FaultDecision.Kind.ERROR);
        assertThat(b.latency()).as("B's own latency wins over \"*\"").isEqualTo(Duration.ofMillis(9));
        FaultDecision c = faults.decide("C");
        assertThat(c.kind()).as("the one \"*\" throttle was used up by B").isEqualTo(FaultDecision.Kind.NONE);
        assertThat(c.latency()).as("C has no latency of its own: the \"*\" one applies").isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void probabilitiesRepeatUnderTheSeed() {
        faults.throttleProbability("A", 0.3);
        List<FaultDecision.Kind> first = kinds(50);
        faults.reset().throttleProbability("A", 0.3);
        assertThat(kinds(50)).isEqualTo(first);
        assertThat(first).contains(FaultDecision.Kind.ERROR, FaultDecision.Kind.NONE);
    }

    private List<FaultDecision.Kind> kinds(int n) {
        List<FaultDecision.Kind> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(faults.decide("A").kind());
        }
        return out;
    }

    @Test
    void discoverInstancesIsThrottledWithRequestLimitExceeded() {
        faults.rateLimit("DiscoverInstances", 1, 1);
        faults.decide("DiscoverInstances");
        assertThat(faults.decide("DiscoverInstances").error().type()).isEqualTo("RequestLimitExceeded");
        clock.advance(Duration.ofSeconds(1));
        assertThat(faults.decide("DiscoverInstances").kind()).isEqualTo(FaultDecision.Kind.NONE);
    }

    @Test
    void plannedOperationFailuresAreTakenPerType() {
        faults.failNextOperations(OperationType.REGISTER_INSTANCE, 2, "THROTTLED_REQUEST", "slow down");
        assertThat(faults.takeOperationFailure(OperationType.DEREGISTER_INSTANCE)).isEmpty();
        assertThat(faults.takeOperationFailure(OperationType.REGISTER_INSTANCE))
                .hasValue(new FaultInjector.PlannedFailure("THROTTLED_REQUEST", "slow down"));
        assertThat(faults.takeOperationFailure(OperationType.REGISTER_INSTANCE)).isPresent();
        assertThat(faults.takeOperationFailure(OperationType.REGISTER_INSTANCE)).isEmpty();
    }

    @Test
    void resetClearsEverything() {
        faults.realisticLimits().throttleNext("*", 5).failNextOperations(OperationType.UPDATE_SERVICE, 1, "X", "x");
        faults.reset();
        for (int i = 0; i < 10; i++) {
            assertThat(faults.decide("ListNamespaces").kind()).isEqualTo(FaultDecision.Kind.NONE);
        }
        assertThat(faults.takeOperationFailure(OperationType.UPDATE_SERVICE)).isEmpty();
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> faults.throttleProbability("A", 1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> faults.hangNext("A", -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> faults.latency("A", Duration.ofMillis(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> faults.throttleNext(" ", 1)).hasMessageContaining("action");
        assertThatThrownBy(() -> faults.failNextOperations(OperationType.UPDATE_SERVICE, 1, "", null))
                .hasMessageContaining("errorCode");
    }
}
