package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveBudgetConfigTest {

    @Test
    void defaultsAreValidAndDocumented() {
        AdaptiveBudgetConfig c = AdaptiveBudgetConfig.defaults();
        assertThat(c.initialRate()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_INITIAL_RATE);
        assertThat(c.minRate()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_MIN_RATE);
        assertThat(c.maxRate()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_MAX_RATE);
        assertThat(c.increaseStep()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_INCREASE_STEP);
        assertThat(c.decreaseFactor()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_DECREASE_FACTOR);
        assertThat(c.cutWindow()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_CUT_WINDOW);
        assertThat(c.burst()).isEqualTo(AdaptiveBudgetConfig.DEFAULT_BURST);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void aFloorAboveTheCeilingIsRefused() {
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().minRate(50).maxRate(10).initialRate(20).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minRate (50.0) must be <= maxRate (10.0)");
    }

    @Test
    void nonPositiveOrInfiniteRatesAreRefused() {
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().minRate(0).build())
                .hasMessageContaining("minRate must be positive and finite, but was 0.0");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().initialRate(-1).build())
                .hasMessageContaining("initialRate must be positive");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().maxRate(Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("maxRate must be positive and finite");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().increaseStep(Double.NaN).build())
                .hasMessageContaining("increaseStep must be positive and finite, but was NaN");
    }

    @Test
    void anInitialRateOutsideFloorAndCeilingIsRefused() {
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().minRate(10).initialRate(5).build())
                .hasMessageContaining("initialRate (5.0) must be between minRate (10.0) and maxRate");
    }

    @Test
    void factorsOutOfRangeAreRefused() {
        for (double bad : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().decreaseFactor(bad).build())
                    .hasMessageContaining("decreaseFactor must be in (0, 1), but was " + bad);
        }
    }

    @Test
    void windowAndBurstAreChecked() {
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().cutWindow(Duration.ZERO).build())
                .hasMessageContaining("cutWindow must be positive");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().cutWindow(Duration.ofHours(1)).build())
                .hasMessageContaining("at most PT1M");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().burst(0).build())
                .hasMessageContaining("burst must be >= 1 permit, but was 0");
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().cutWindow(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> AdaptiveBudgetConfig.builder().minRate(-1).decreaseFactor(2).burst(0).build())
                .hasMessageContaining("minRate").hasMessageContaining("decreaseFactor").hasMessageContaining("burst");
    }

    @Test
    void theSettingsAreKept() {
        AdaptiveBudgetConfig c = AdaptiveBudgetConfig.builder().initialRate(7).minRate(2).maxRate(9)
                .increaseStep(0.5).decreaseFactor(0.25).cutWindow(Duration.ofMillis(300)).burst(4).slowStart(false).build();
        assertThat(c.initialRate()).isEqualTo(7);
        assertThat(c.minRate()).isEqualTo(2);
        assertThat(c.maxRate()).isEqualTo(9);
        assertThat(c.increaseStep()).isEqualTo(0.5);
        assertThat(c.decreaseFactor()).isEqualTo(0.25);
        assertThat(c.cutWindow()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.burst()).isEqualTo(4);
        assertThat(c.slowStart()).isFalse();
        assertThat(RequestBudget.adaptive(c).currentRate()).isEqualTo(7);
    }
}
