package io.github.cloudmap.watcher.observation;

import io.github.cloudmap.watcher.observation.WatcherObservationDocumentation.Keys;
import io.micrometer.common.KeyValues;

/**
 * The default names and keys of {@code cloudmap.watcher.watch}: low-cardinality type, outcome
 * and error code; high-cardinality operation ID, owner account and poll count. Extend it to add
 * keys. Stateless and thread-safe.
 */
public class DefaultWatchObservationConvention implements WatchObservationConvention {

    /** The shared instance. */
    public static final DefaultWatchObservationConvention INSTANCE = new DefaultWatchObservationConvention();

    /** The observation's name. */
    public static final String NAME = "cloudmap.watcher.watch";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(WatchContext context) {
        return "cloudmap watch";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(WatchContext context) {
        return KeyValues.of(
                Keys.OPERATION_TYPE.withValue(Values.orUnknown(context.getOperationType())),
                Keys.OUTCOME.withValue(context.getOutcome() == null ? "UNKNOWN" : context.getOutcome().name()),
                Keys.ERROR_CODE.withValue(Values.orNone(context.getErrorCode())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(WatchContext context) {
        return KeyValues.of(
                Keys.OPERATION_ID.withValue(Values.orUnknown(context.getOperationId())),
                Keys.OWNER_ACCOUNT.withValue(Values.owner(context.getOwnerAccount())),
                Keys.POLLS.withValue(Integer.toString(context.getPolls())));
    }
}
