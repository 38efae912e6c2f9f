package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.WatchListener;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * What a watcher does, in virtual time, over a script that touches every setting: the virtual
 * time of every poll and submission, each status and how each watch ended. Two watchers with the
 * same settings give the same trace; a different setting changes it. So a watcher configured from
 * properties can be compared with one built by hand, without restating the poll schedule here.
 */
final class WatchTrace {

    /** Records the virtual time of each poll; register it as the watcher's listener. */
    static final class Recorder implements WatchListener {
        final List<String> polls = new CopyOnWriteArrayList<>();

        @Override
        public void onPoll(String operationId) {
            polls.add(operationId + "@" + now());
        }
    }

    private WatchTrace() {}

    /** Scripts the operations {@link #of} watches; call once per fresh client. */
    static ScriptedServiceDiscoveryClient scriptedClient() {
        ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
        // poll interval, multipliers, jitter, transient retry: a throttle, three 5xx, then progress
        client.script("op-poll").submitted().throttle().serverError(500).serverError(503).serverError(502)
                .pending().pending().pending().pending().success();
        // not-found grace
        client.script("op-missing").notFound();
        // timeout
        client.script("op-slow").pending();
        // resubmission: every attempt fails with THROTTLED_REQUEST
        client.submissions().operationIds("sub-1", "sub-2", "sub-3", "sub-4");
        for (String id : List.of("sub-1", "sub-2", "sub-3", "sub-4")) {
            client.script(id).pending().fail("THROTTLED_REQUEST", "Rate exceeded");
        }
        return client;
    }

    /** The trace of {@code watcher} polling {@code client} (from {@link #scriptedClient()}). */
    static List<String> of(OperationWatcher watcher, ScriptedServiceDiscoveryClient client, Recorder recorder) {
        List<String> trace = new ArrayList<>();
        trace.add(run(() -> watcher.watch("op-poll")));
        trace.add(run(() -> watcher.watch("op-missing")));
        trace.add(run(() -> watcher.watch("op-slow")));
        List<String> submissions = new CopyOnWriteArrayList<>();
        trace.add(run(() -> watcher.submitAndWatch(Mono.defer(() -> {
            submissions.add("submit@" + now());
            return Mono.fromFuture(() -> client.registerInstance(r -> r.serviceId("srv-1").instanceId("i-1")));
        }).map(RegisterInstanceResponse::operationId))));
        trace.add("submissions " + submissions);
        trace.add("polls " + recorder.polls);
        return trace;
    }

    private static String run(Supplier<Flux<Operation>> watch) {
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.getOrSet();
        try {
            List<String> seen = new CopyOnWriteArrayList<>();
            watch.get().subscribe(
                    op -> seen.add(op.id() + ":" + op.statusAsString() + "@" + now()),
                    error -> seen.add(error.getClass().getSimpleName() + "@" + now()),
                    () -> seen.add("complete@" + now()));
            scheduler.advanceTimeBy(Duration.ofHours(1));
            return seen.toString();
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    private static long now() {
        return VirtualTimeScheduler.isFactoryEnabled()
                ? VirtualTimeScheduler.get().now(TimeUnit.MILLISECONDS) : -1;
    }
}
