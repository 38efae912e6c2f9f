package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;

/** TEMPORARY until AdaptiveBudgetConfig lands on main: the adaptive defaults and the local fallback. */
final class PlaceholderRules {

    static final FleetRules DEFAULTS = new FleetRules(20, 1, 400, 2, 0.7, Duration.ofSeconds(1), 10, true);

    private PlaceholderRules() {}

    static RequestBudget localBudget(FleetRules rules) {
        return RequestBudget.unlimited();
    }
}
