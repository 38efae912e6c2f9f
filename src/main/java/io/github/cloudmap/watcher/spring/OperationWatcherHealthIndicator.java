package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports an {@link OperationWatcher} in Actuator's health endpoint ({@code cloudMapWatcher}):
 * always UP, since the watcher is a client that has nothing of its own to be down, with the poll
 * loops running now, each budget's current rate, waiting requests and cuts, and the watch
 * deadline as details. It sends no request: a health check that
 * polled Cloud Map would spend the account's GetOperation quota on every probe. No credential,
 * endpoint or operation ID is reported.
 *
 * <pre>{@code
 * "cloudMapWatcher": {"status": "UP", "details": {"runningPollLoops": 3,
 *     "pollBudget": {"rate": 31.4, "waiting": 0, "cuts": 2},
 *     "submissionBudget": {"rate": 10.0, "waiting": 0, "cuts": 0}, "timeout": "PT5M"}}
 * }</pre>
 *
 * <p>Thread-safe. Auto-configured with Actuator's health module; define a bean of this type to
 * replace it, or set {@code management.health.cloudmap-watcher.enabled=false}.
 */
public class OperationWatcherHealthIndicator implements HealthIndicator {

    private final OperationWatcher watcher;

    /**
     * @throws NullPointerException if {@code watcher} is null
     *
     * @param watcher the watcher reported on
     */
    public OperationWatcherHealthIndicator(OperationWatcher watcher) {
        this.watcher = Objects.requireNonNull(watcher, "watcher must not be null");
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("runningPollLoops", watcher.runningPollLoops())
                .withDetail("pollBudget", budget(watcher.pollBudget()))
                .withDetail("submissionBudget", budget(watcher.submissionBudget()))
                .withDetail("timeout", watcher.timeout().toString())
                .build();
    }

    /**
     * The budget's rate now (requests/s, rounded to 0.01, or {@code "unlimited"} for
     * {@link RequestBudget#unlimited()}), the requests waiting for it, its cuts.
     */
    static Map<String, Object> budget(RequestBudget budget) {
        Map<String, Object> details = new LinkedHashMap<>();
        double rate = budget.currentRate();
        // An unlimited budget's rate is infinite; rounded through a long it would read 9.2E16.
        details.put("rate", Double.isInfinite(rate) || rate >= Long.MAX_VALUE / 100.0 ? "unlimited"
                : Math.round(rate * 100) / 100.0);
        details.put("waiting", budget.waiting());
        details.put("cuts", budget.cuts());
        return details;
    }
}
