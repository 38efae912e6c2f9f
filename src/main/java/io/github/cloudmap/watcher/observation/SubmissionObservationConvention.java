package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@code cloudmap.watcher.submission} observation. Implement it (or extend
 * {@link DefaultSubmissionObservationConvention}) and pass it to
 * {@code OperationWatcherBuilder.observationConvention(...)} to replace the defaults for one
 * watcher, or register a {@code GlobalObservationConvention<SubmissionContext>} on the registry.
 */
public interface SubmissionObservationConvention extends ObservationConvention<SubmissionContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof SubmissionContext;
    }
}
