package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.WatchListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every listener bean hears every event, whatever another one throws. */
class CompositeWatchListenerTest {

    /** A listener that records each event it hears, and throws from each when told to. */
    private static WatchListener recording(List<String> heard, boolean throwing) {
        return (WatchListener) Proxy.newProxyInstance(WatchListener.class.getClassLoader(),
                new Class<?>[] {WatchListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "recording" : null;
                    }
                    heard.add(method.getName());
                    if (throwing) {
                        throw new AssertionError("a broken listener's " + method.getName());
                    }
                    return null;
                });
    }

    @Test
    void forwardsEveryEventOfTheInterfaceToEveryListener() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        WatchListener composite = CompositeWatchListener.of(List.of(recording(first, true), recording(second, false)));

        // Reflection, so that an event added to WatchListener later and not forwarded fails here.
        Set<String> events = new TreeSet<>();
        for (Method method : WatchListener.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            events.add(method.getName());
            Object[] args = new Object[method.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = method.getParameterTypes()[i] == int.class ? 1 : null;
            }
            method.invoke(composite, args);
        }

        assertThat(events).isNotEmpty().contains("onPoll", "onResubmit");
        assertThat(new TreeSet<>(first)).isEqualTo(events);
        assertThat(new TreeSet<>(second)).as("heard despite the first one throwing").isEqualTo(events);
    }

    @Test
    void oneListenerIsUsedAsItIsAndNoneIsTheNoOp() {
        WatchListener only = recording(new ArrayList<>(), false);
        assertThat(CompositeWatchListener.of(List.of(only))).isSameAs(only);
        assertThat(CompositeWatchListener.of(List.of())).isSameAs(WatchListener.NONE);
    }
}
