package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@code cloudmap.watcher.poll} observation. Implement it (or extend
 * {@link DefaultPollObservationConvention}) and pass it to
 * {@code OperationWatcherBuilder.observationConvention(...)} to replace the defaults for one
 * watcher, or register a {@code GlobalObservationConvention<PollContext>} on the registry.
 */
public interface PollObservationConvention extends ObservationConvention<PollContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof PollContext;
    }
}
