package io.github.cloudmap.watcher.micrometer;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes a {@link RequestBudget}'s state as Micrometer meters, tagged {@code quota}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Value</th></tr>
 *   <tr><td>{@code cloudmap.watcher.budget.rate}</td><td>gauge</td><td>the rate the budget grants now, requests/s</td></tr>
 *   <tr><td>{@code cloudmap.watcher.budget.waiting}</td><td>gauge</td><td>requests waiting for a permit now</td></tr>
 *   <tr><td>{@code cloudmap.watcher.budget.cuts}</td><td>counter</td><td>rate cuts after throttled answers</td></tr>
 * </table>
 *
 * <pre>{@code
 * OperationWatcher watcher = OperationWatcher.create(client);
 * BudgetMetrics.of(watcher, Tags.of("app", "orders")).forEach(b -> b.bindTo(meterRegistry));
 * }</pre>
 *
 * <p>The meters hold the budget strongly, so they report for as long as the registry lives.
 * Thread-safe. Needs {@code io.micrometer:micrometer-core} (an optional dependency).
 */
public final class BudgetMetrics implements MeterBinder {

    private final RequestBudget budget;
    private final Tags tags;

    /**
     * @param budget the budget to publish
     * @param quota the {@code quota} tag, e.g. {@code "GetOperation"}
     * @param tags more tags, e.g. the application's name; may be empty
     * @throws NullPointerException if an argument is null
     */
    public BudgetMetrics(RequestBudget budget, String quota, Iterable<Tag> tags) {
        this.budget = Objects.requireNonNull(budget, "budget must not be null");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null"))
                .and("quota", Objects.requireNonNull(quota, "quota must not be null"));
    }

    /**
     * The binders of a watcher's two budgets: {@code quota=GetOperation} and {@code quota=submission}.
     *
     * @param watcher the watcher whose budgets are measured
     * @param tags tags added to every meter
     * @return the two binders
     */
    public static java.util.List<BudgetMetrics> of(OperationWatcher watcher, Iterable<Tag> tags) {
        return java.util.List.of(new BudgetMetrics(watcher.pollBudget(), "GetOperation", tags),
                new BudgetMetrics(watcher.submissionBudget(), "submission", tags));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("cloudmap.watcher.budget.rate", budget, RequestBudget::currentRate)
                .description("The rate the budget grants now").baseUnit("requests/s")
                .tags(tags).strongReference(true).register(registry);
        Gauge.builder("cloudmap.watcher.budget.waiting", budget, RequestBudget::waiting)
                .description("Requests waiting for a permit").tags(tags).strongReference(true).register(registry);
        FunctionCounter.builder("cloudmap.watcher.budget.cuts", budget, b -> (double) b.cuts())
                .description("Rate cuts after throttled answers").tags(tags).register(registry);
    }
}
