package io.github.cloudmap.watcher.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every observation's context in start order, with its events and whether it stopped. */
final class RecordingHandler implements ObservationHandler<Observation.Context> {

    final List<Observation.Context> started = new CopyOnWriteArrayList<>();
    final Map<Observation.Context, List<String>> events = new ConcurrentHashMap<>();
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @Override
    public void onStart(Observation.Context context) {
        started.add(context);
        events.put(context, new CopyOnWriteArrayList<>());
    }

    @Override
    public void onEvent(Observation.Event event, Observation.Context context) {
        events.get(context).add(event.getContextualName());
    }

    @Override
    public void onStop(Observation.Context context) {
        stopped.add(context);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    <C extends Observation.Context> List<C> named(String name, Class<C> type) {
        List<C> found = new ArrayList<>();
        for (Observation.Context context : started) {
            if (name.equals(context.getName())) {
                found.add(type.cast(context));
            }
        }
        return found;
    }

    String low(Observation.Context context, String key) {
        var value = context.getLowCardinalityKeyValue(key);
        return value == null ? null : value.getValue();
    }

    String high(Observation.Context context, String key) {
        var value = context.getHighCardinalityKeyValue(key);
        return value == null ? null : value.getValue();
    }
}
