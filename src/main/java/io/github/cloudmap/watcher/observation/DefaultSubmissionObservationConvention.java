package io.github.cloudmap.watcher.observation;

import io.github.cloudmap.watcher.observation.WatcherObservationDocumentation.Keys;
import io.micrometer.common.KeyValues;

/**
 * The default names and keys of {@code cloudmap.watcher.submission}: low-cardinality type,
 * outcome and error code; high-cardinality operation ID, owner account, attempts and
 * resubmissions. Stateless and thread-safe.
 */
public class DefaultSubmissionObservationConvention implements SubmissionObservationConvention {

    /** The shared instance. */
    public static final DefaultSubmissionObservationConvention INSTANCE = new DefaultSubmissionObservationConvention();

    /** The observation's name. */
    public static final String NAME = "cloudmap.watcher.submission";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(SubmissionContext context) {
        return "cloudmap submitAndWatch";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(SubmissionContext context) {
        return KeyValues.of(
                Keys.OPERATION_TYPE.withValue(Values.orUnknown(context.getOperationType())),
                Keys.OUTCOME.withValue(context.getOutcome() == null ? "UNKNOWN" : context.getOutcome().name()),
                Keys.ERROR_CODE.withValue(Values.orNone(context.getErrorCode())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(SubmissionContext context) {
        return KeyValues.of(
                Keys.OPERATION_ID.withValue(Values.orUnknown(context.getOperationId())),
                Keys.OWNER_ACCOUNT.withValue(Values.owner(context.getOwnerAccount())),
                Keys.ATTEMPTS.withValue(Integer.toString(context.getAttempts())),
                Keys.RESUBMISSIONS.withValue(Integer.toString(Math.max(0, context.getAttempts() - 1))));
    }
}
