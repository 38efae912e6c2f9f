package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
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
        faults.hangNext("GetOperation", 1).resetNext("GetOperation", 1).throttleNext("GetOperation", 1)
                .serverErrorNext("GetOperation", 1);
        assertThat(faults.decide("GetOperation").kind()).isEqualTo(FaultDecision.Kind.HANG);
        assertThat(faults.decide("GetOperation").kind()).isEqualTo(FaultDecision.Kind.RESET);
        FaultDecision throttle = faults.decide("GetOperation");
        assertThat(throttle.error().type()).isEqualTo("ThrottlingException");
        assertThat(throttle.error().status()).isEqualTo(400);
        FaultDecision error = faults.decide("GetOperation");
        assertThat(error.error().type()).isEqualTo("InternalFailure");
        assertThat(error.error().status()).isEqualTo(500);
        assertThat(faults.decide("GetOperation").kind()).isEqualTo(FaultDecision.Kind.NONE);
    }

    @Test
    void wildcardAppliesToActionsWithoutTheirOwnSetting() {
        faults.latency("*", Duration.ofMillis(5)).latency("ListServices", Duration.ofMillis(9)).throttleNext("*", 1);
        FaultDecision services = faults.decide("ListServices");
        assertThat(services.kind()).as("ListServices has no throttleNext of its own: the \"*\" one applies")
                .isEqualTo(FaultDecision.Kind.ERROR);
        assertThat(services.latency()).as("ListServices' own latency wins over \"*\"")
                .isEqualTo(Duration.ofMillis(9));
        FaultDecision namespaces = faults.decide("ListNamespaces");
        assertThat(namespaces.kind()).as("the one \"*\" throttle was used up by ListServices")
                .isEqualTo(FaultDecision.Kind.NONE);
        assertThat(namespaces.latency()).as("ListNamespaces has no latency of its own: the \"*\" one applies")
                .isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void probabilitiesRepeatUnderTheSeed() {
        faults.throttleProbability("GetOperation", 0.3);
        List<FaultDecision.Kind> first = kinds(50);
        faults.reset().throttleProbability("GetOperation", 0.3);
        assertThat(kinds(50)).isEqualTo(first);
        assertThat(first).contains(FaultDecision.Kind.ERROR, FaultDecision.Kind.NONE);
    }

    private List<FaultDecision.Kind> kinds(int n) {
        List<FaultDecision.Kind> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(faults.decide("GetOperation").kind());
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
        assertThatThrownBy(() -> faults.throttleProbability("GetOperation", 1.5)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> faults.hangNext("GetOperation", -1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> faults.latency("GetOperation", Duration.ofMillis(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> faults.throttleNext(" ", 1)).hasMessageContaining("action");
        assertThatThrownBy(() -> faults.failNextOperations(OperationType.UPDATE_SERVICE, 1, "", null))
                .hasMessageContaining("errorCode");
    }

    @Test
    void aMisspeltActionIsRefusedNamingTheClosestOperation() {
        // It used to be accepted and never fire, so a test relying on it passed for the wrong reason.
        assertThatThrownBy(() -> faults.throttleNext("GetOperations", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown action 'GetOperations': Cloud Map has no such operation; did you mean"
                        + " GetOperation? (or \"*\" for every action)");
        assertThatThrownBy(() -> faults.latency("listnamespaces", Duration.ZERO))
                .hasMessageContaining("did you mean ListNamespaces?");
        assertThatThrownBy(() -> faults.rateLimit("RegisterInstances", 1, 1))
                .hasMessageContaining("did you mean RegisterInstance?");
        assertThat(faults.decide("GetOperation").kind()).as("nothing was set").isEqualTo(FaultDecision.Kind.NONE);
    }

    @Test
    void aNameFarFromEveryOperationIsRefusedListingThemAll() {
        assertThatThrownBy(() -> faults.hangNext("Frobnicate", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown action 'Frobnicate'")
                .hasMessageContaining("one of the 30 operations of Cloud Map's API: CreateHttpNamespace,")
                .hasMessageContaining("UpdateServiceAttributes");
    }

    @Test
    void everyOperationOfTheModelAndTheWildcardAreAccepted() {
        for (String action : ActionDispatcher.MODEL_OPERATIONS) {
            faults.throttleNext(action, 1).resetNext(action, 0).serverErrorProbability(action, 0)
                    .latency(action, Duration.ZERO);
        }
        faults.throttleNext("*", 1);
        assertThat(ActionDispatcher.MODEL_OPERATIONS).hasSize(30);
        assertThat(faults.decide("DiscoverInstancesRevision").error().type()).isEqualTo("RequestLimitExceeded");
    }

    @Test
    void instanceHealthIsKeyedByServiceIdOrArnAndInstanceAndEndsWithHealthyOrReset() {
        faults.instanceHealth("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-a", "i-1",
                HealthStatus.UNHEALTHY);
        faults.instanceHealth("srv-a", "i-2", HealthStatus.UNKNOWN);
        assertThat(faults.route53Health("srv-a", "i-1")).contains("UNHEALTHY");
        assertThat(faults.route53Health("srv-a", "i-2")).contains("UNKNOWN");
        assertThat(faults.route53Health("srv-b", "i-1")).isEmpty();

        faults.instanceHealth("srv-a", "i-1", HealthStatus.HEALTHY);
        assertThat(faults.route53Health("srv-a", "i-1")).isEmpty();
        faults.reset();
        assertThat(faults.route53Health("srv-a", "i-2")).isEmpty();
    }

    @Test
    void instanceHealthRefusesBlankIdsAndAStatusTheSdkDoesNotKnow() {
        assertThatThrownBy(() -> faults.instanceHealth(" ", "i-1", HealthStatus.UNHEALTHY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> faults.instanceHealth("srv-a", "i-1", HealthStatus.UNKNOWN_TO_SDK_VERSION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEALTHY, UNHEALTHY or UNKNOWN");
        assertThatThrownBy(() -> faults.instanceHealth("srv-a", null, HealthStatus.UNHEALTHY))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("instanceId");
    }

    @Test
    void realisticLimitsIncludeThePublishedDiscoverInstancesRevisionLimit() {
        faults.realisticLimits();
        for (int i = 0; i < 3000; i++) {
            assertThat(faults.decide("DiscoverInstancesRevision").kind()).isEqualTo(FaultDecision.Kind.NONE);
        }
        assertThat(faults.decide("DiscoverInstancesRevision").error().type()).isEqualTo("RequestLimitExceeded");
        clock.advance(Duration.ofMillis(1));
        assertThat(faults.decide("DiscoverInstancesRevision").kind()).as("3 tokens a millisecond")
                .isEqualTo(FaultDecision.Kind.NONE);
    }
}
