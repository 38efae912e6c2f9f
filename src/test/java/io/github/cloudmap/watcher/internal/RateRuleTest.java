package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure rule of cut and climb. */
class RateRuleTest {

    private final RateRule rule = new RateRule(AdaptiveBudgetConfig.defaults());

    @ParameterizedTest(name = "cut at {0}/s")
    @ValueSource(doubles = {0.5, 1, 5, 10})
    void belowTheStepCapTheClimbBackToTheRateOfTheCutTakesAboutAHundredPermits(double rateAtCut) {
        double rate = rule.cut(rateAtCut);
        double permits = 0;
        int windows = 0;
        while (rate < rateAtCut && windows < 100_000) {
            permits += rate; // one window of 1 s at this rate
            rate = rule.raise(rate, rateAtCut, false);
            windows++;
        }
        assertThat(permits).as("permits granted on the way back to %s/s", rateAtCut)
                .isBetween(0.8 * RateRule.PERMITS_PER_CLIMB, 1.2 * RateRule.PERMITS_PER_CLIMB);
    }

    @Test
    void theStepScalesWithTheRateOfTheLastCut() {
        assertThat(rule.step(0.5)).isCloseTo(0.25 * 0.75 / 200, within(1e-12));
        assertThat(rule.step(1)).isLessThan(0.5 / 100.0);
        assertThat(rule.step(200)).as("half of 200/s climbed back in five windows").isCloseTo(20, within(1e-9));
        assertThat(rule.step(Double.NaN)).as("before any cut").isEqualTo(AdaptiveBudgetConfig.DEFAULT_INCREASE_STEP);
    }

    @ParameterizedTest(name = "cut at {0}/s")
    @ValueSource(doubles = {100, 200, 400})
    void atHighRatesTheClimbBackTakesFiveWindowsNotAHundredPermits(double rateAtCut) {
        // Found by the limits sweep (docs/scale.md): with the step capped at +2/s per second, the
        // default budget spent 50 s climbing from 105/s back to 200/s, and its p99 lag was 1.3 x a
        // tuned budget's.
        double rate = rule.cut(rateAtCut);
        int windows = 0;
        while (rate < rateAtCut && windows < 1_000) {
            rate = rule.raise(rate, rateAtCut, false);
            windows++;
        }
        assertThat(windows).isEqualTo(RateRule.MIN_WINDOWS_PER_CLIMB);
    }

    @Test
    void pastTheRateOfTheLastCutTheProbeNeverExceedsTheConfiguredStep() {
        assertThat(rule.raise(300, 100, false)).isEqualTo(300 + AdaptiveBudgetConfig.DEFAULT_INCREASE_STEP);
    }

    @Test
    void pastTheRateOfTheLastCutTheStepFollowsTheRate() {
        double beyond = rule.raise(2.0, 1.0, false);
        assertThat(beyond - 2.0).isCloseTo(rule.step(2.0), within(1e-12));
    }

    @Test
    void slowStartDoublesAndTheCutNeverGoesBelowTheFloor() {
        assertThat(rule.raise(20, Double.NaN, true)).isEqualTo(40);
        assertThat(rule.raise(300, Double.NaN, true)).isEqualTo(AdaptiveBudgetConfig.DEFAULT_MAX_RATE);
        assertThat(rule.cut(0.15)).isEqualTo(AdaptiveBudgetConfig.DEFAULT_MIN_RATE);
        assertThat(AdaptiveBudgetConfig.DEFAULT_MIN_RATE).as("under Cloud Map's smallest quota").isLessThan(0.5);
    }
}
