package io.github.cloudmap.watcher.micrometer;

import io.github.cloudmap.watcher.WatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * Publishes what watchers do as Micrometer counters, so a dashboard shows how hard an
 * application polls Cloud Map and how often it is throttled:
 *
 * <table>
 *   <caption>Counters</caption>
 *   <tr><th>Name</th><th>Tags</th><th>Counts</th></tr>
 *   <tr><td>{@code cloudmap.watcher.polls}</td><td></td><td>GetOperation requests sent</td></tr>
 *   <tr><td>{@code cloudmap.watcher.throttled}</td><td></td><td>polls throttled by the service, absorbed by backing off</td></tr>
 *   <tr><td>{@code cloudmap.watcher.budget.wait}</td><td></td><td>a timer: polls that waited locally for the
 *       rate budget before they were sent, and how long (not service throttles)</td></tr>
 *   <tr><td>{@code cloudmap.watcher.transient.errors}</td><td>{@code exception}</td><td>5xx and I/O failures retried</td></tr>
 *   <tr><td>{@code cloudmap.watcher.not.found}</td><td></td><td>OperationNotFound answers tolerated</td></tr>
 *   <tr><td>{@code cloudmap.watcher.status.changes}</td><td>{@code type}, {@code status}</td><td>statuses seen, SUCCESS and FAIL included</td></tr>
 *   <tr><td>{@code cloudmap.watcher.resubmissions}</td><td>{@code cause}</td><td>requests sent again</td></tr>
 *   <tr><td>{@code cloudmap.watcher.coalescing.off}</td><td>{@code exception}</td><td>watchers whose coalesced
 *       polling was turned off because ListOperations was refused (AccessDenied)</td></tr>
 * </table>
 *
 * Operation IDs are never tags: they would make one time series per operation. The budgets'
 * own rate, queue and cuts are gauges of {@link BudgetMetrics}.
 *
 * <pre>{@code
 * OperationWatcher watcher = OperationWatcher.builder(client)
 *     .listener(new MicrometerWatchListener(meterRegistry, Tags.of("app", "orders")))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe. Needs {@code io.micrometer:micrometer-core} on the class path (an optional
 * dependency of this library).
 */
public final class MicrometerWatchListener implements WatchListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter polls;
    private final Counter throttled;
    private final Counter notFound;
    private final Timer budgetWaits;

    /**
     * @param registry where the counters live
     * @param tags added to every counter, e.g. the application's name; may be empty
     * @throws NullPointerException if an argument is null
     */
    public MicrometerWatchListener(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null"));
        this.polls = registry.counter("cloudmap.watcher.polls", this.tags);
        this.throttled = registry.counter("cloudmap.watcher.throttled", this.tags);
        this.notFound = registry.counter("cloudmap.watcher.not.found", this.tags);
        this.budgetWaits = Timer.builder("cloudmap.watcher.budget.wait")
                .description("GetOperation requests that waited for the watcher's rate budget (local, not throttles)")
                .tags(this.tags).register(registry);
    }

    /**
     * Counters with no extra tags.
     *
     * @param registry where the counters are registered
     * @throws NullPointerException if {@code registry} is null
     */
    public MicrometerWatchListener(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    @Override
    public void onPoll(String operationId) {
        polls.increment();
    }

    @Override
    public void onBudgetWait(String operationId, Duration waited) {
        budgetWaits.record(waited);
    }

    @Override
    public void onThrottled(String operationId, Throwable error) {
        throttled.increment();
    }

    @Override
    public void onTransientError(String operationId, Throwable error) {
        registry.counter("cloudmap.watcher.transient.errors",
                tags.and("exception", error.getClass().getSimpleName())).increment();
    }

    @Override
    public void onNotFound(String operationId) {
        notFound.increment();
    }

    @Override
    public void onStatusChange(Operation operation) {
        registry.counter("cloudmap.watcher.status.changes",
                tags.and("type", String.valueOf(operation.typeAsString()),
                        "status", String.valueOf(operation.statusAsString()))).increment();
    }

    @Override
    public void onCoalescingOff(Throwable cause) {
        registry.counter("cloudmap.watcher.coalescing.off",
                tags.and("exception", cause.getClass().getSimpleName())).increment();
    }

    @Override
    public void onResubmit(Operation failed, Throwable cause, int attempt) {
        String why = failed != null ? String.valueOf(failed.errorCode()) : "throttled submission";
        registry.counter("cloudmap.watcher.resubmissions", tags.and("cause", why)).increment();
    }
}
