package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds the watcher's settings, the poll loops running now and its budgets' rates to Actuator's info endpoint under
 * {@code cloudmap-watcher}, so an operator can see what an instance runs with. No credential,
 * endpoint or operation ID is reported.
 *
 * <pre>{@code
 * "cloudmap-watcher": {"runningPollLoops": 0, "initialPollInterval": "PT0.5S",
 *                      "maxPollInterval": "PT10S", "timeout": "PT5M", "notFoundGrace": "PT20S"}
 * }</pre>
 *
 * <p>Thread-safe. Auto-configured with Actuator; define a bean of this type to replace it, or set
 * {@code management.info.cloudmap-watcher.enabled=false}.
 */
public class OperationWatcherInfoContributor implements InfoContributor {

    private final OperationWatcher watcher;

    /**
     * @throws NullPointerException if {@code watcher} is null
     *
     * @param watcher the watcher reported on
     */
    public OperationWatcherInfoContributor(OperationWatcher watcher) {
        this.watcher = Objects.requireNonNull(watcher, "watcher must not be null");
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("runningPollLoops", watcher.runningPollLoops());
        details.put("initialPollInterval", watcher.initialPollInterval().toString());
        details.put("maxPollInterval", watcher.maxPollInterval().toString());
        details.put("timeout", watcher.timeout().toString());
        details.put("notFoundGrace", watcher.notFoundGrace().toString());
        watcher.overallTimeout().ifPresent(overall -> details.put("overallTimeout", overall.toString()));
        details.put("pollBudget", OperationWatcherHealthIndicator.budget(watcher.pollBudget()));
        details.put("submissionBudget", OperationWatcherHealthIndicator.budget(watcher.submissionBudget()));
        builder.withDetail("cloudmap-watcher", details);
    }
}
