package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;

/** TEMPORARY until AdaptiveBudgetConfig lands on main: the adaptive defaults and the local fallback. */
final class PlaceholderRules {

    static final FleetRules DEFAULTS = new FleetRules(50, 1, 100, 1, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(1));

    private PlaceholderRules() {}

    static RequestBudget localBudget(FleetRules rules) {
        return RequestBudget.unlimited();
    }
}
