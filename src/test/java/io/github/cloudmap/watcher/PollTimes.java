package io.github.cloudmap.watcher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Counts what watches did and records the virtual time of every poll. */
final class PollTimes extends CountingListener {

    final List<Long> millis = new CopyOnWriteArrayList<>();

    @Override
    public void onPoll(String operationId) {
        super.onPoll(operationId);
        millis.add(VirtualTimeScheduler.get().now(TimeUnit.MILLISECONDS));
    }
}
