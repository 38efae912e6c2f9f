package io.github.cloudmap.watcher.micrometer;

import io.github.cloudmap.watcher.observation.WatchContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Turns each finished {@code cloudmap.watcher.watch} observation into two meters, tagged
 * {@code type} (REGISTER_INSTANCE..., UNKNOWN before a status was read) and {@code outcome}
 * (SUCCESS, FAIL, TIMEOUT, CANCELLED, ERROR), with percentile histograms, so a dashboard can
 * show how long operations of each type take to finish and how many polls that costs:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Value</th></tr>
 *   <tr><td>{@code cloudmap.watcher.time.to.terminal}</td><td>timer</td><td>from subscription to the
 *       watch's end, on the watcher's monotonic clock</td></tr>
 *   <tr><td>{@code cloudmap.watcher.polls.per.watch}</td><td>distribution summary</td><td>GetOperation
 *       requests the watch's (shared) loop sent while it ran</td></tr>
 * </table>
 *
 * <p>Register it on the registry the watcher observes with; Spring Boot registers it for you:
 *
 * <pre>{@code
 * observationRegistry.observationConfig().observationHandler(new WatchTimings(meterRegistry, Tags.empty()));
 * OperationWatcher watcher = OperationWatcher.builder(client).observationRegistry(observationRegistry).build();
 * }</pre>
 *
 * <p>Thread-safe. Needs {@code micrometer-core} and {@code micrometer-observation} (optional
 * dependencies).
 */
public final class WatchTimings implements ObservationHandler<WatchContext> {

    /** The timer's name. */
    public static final String TIME_TO_TERMINAL = "cloudmap.watcher.time.to.terminal";
    /** The distribution summary's name. */
    public static final String POLLS_PER_WATCH = "cloudmap.watcher.polls.per.watch";

    private final MeterRegistry registry;
    private final Tags tags;

    /**
     * @param registry where the meters live
     * @param tags added to both meters, e.g. the application's name; may be empty
     * @throws NullPointerException if an argument is null
     */
    public WatchTimings(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null"));
    }

    @Override
    public void onStop(WatchContext context) {
        Tags these = tags.and("type", context.getOperationType() == null ? "UNKNOWN" : context.getOperationType(),
                "outcome", context.getOutcome() == null ? "UNKNOWN" : context.getOutcome().name());
        Timer.builder(TIME_TO_TERMINAL)
                .description("How long watches took from subscription to their end")
                .tags(these).publishPercentileHistogram().register(registry)
                .record(context.getDurationNanos(), TimeUnit.NANOSECONDS);
        DistributionSummary.builder(POLLS_PER_WATCH)
                .description("GetOperation requests sent while a watch ran")
                .tags(these).publishPercentileHistogram().register(registry)
                .record(context.getPolls());
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof WatchContext;
    }
}
