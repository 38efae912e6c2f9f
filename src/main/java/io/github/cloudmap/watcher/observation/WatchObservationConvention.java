package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the {@code cloudmap.watcher.watch} observation. Implement it (or extend
 * {@link DefaultWatchObservationConvention}) and pass it to
 * {@code OperationWatcherBuilder.observationConvention(...)} to replace the defaults for one
 * watcher, or register a {@code GlobalObservationConvention<WatchContext>} on the registry.
 */
public interface WatchObservationConvention extends ObservationConvention<WatchContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof WatchContext;
    }
}
