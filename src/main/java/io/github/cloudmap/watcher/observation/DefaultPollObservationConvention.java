package io.github.cloudmap.watcher.observation;

import io.github.cloudmap.watcher.observation.WatcherObservationDocumentation.Keys;
import io.micrometer.common.KeyValues;
import java.util.concurrent.TimeUnit;

/**
 * The default names and keys of {@code cloudmap.watcher.poll}: the low-cardinality outcome;
 * high-cardinality operation ID, owner account, budget wait and wire time (milliseconds, apart)
 * and the number of watches served. Stateless and thread-safe.
 */
public class DefaultPollObservationConvention implements PollObservationConvention {

    /** The shared instance. */
    public static final DefaultPollObservationConvention INSTANCE = new DefaultPollObservationConvention();

    /** The observation's name. */
    public static final String NAME = "cloudmap.watcher.poll";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(PollContext context) {
        return "cloudmap GetOperation";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(PollContext context) {
        return KeyValues.of(Keys.POLL_OUTCOME.withValue(
                context.getOutcome() == null ? "UNKNOWN" : context.getOutcome().name()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(PollContext context) {
        return KeyValues.of(
                Keys.OPERATION_ID.withValue(context.getOperationId()),
                Keys.OWNER_ACCOUNT.withValue(Values.owner(context.getOwnerAccount())),
                Keys.BUDGET_WAIT.withValue(Long.toString(TimeUnit.NANOSECONDS.toMillis(context.getBudgetWaitNanos()))),
                Keys.WIRE_TIME.withValue(Long.toString(TimeUnit.NANOSECONDS.toMillis(context.getWireNanos()))),
                Keys.WATCHES.withValue(Integer.toString(context.getWatches())));
    }
}
