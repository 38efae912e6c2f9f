package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** A fallback that never grants: a test that uses it counts the fleet's permits only. */
final class NeverBudget implements RequestBudget {

    static final RequestBudget INSTANCE = new NeverBudget();

    private NeverBudget() {}

    @Override
    public Mono<Permit> acquire(Scheduler scheduler) {
        return Mono.never();
    }

    @Override
    public double currentRate() {
        return 0;
    }

    @Override
    public int waiting() {
        return 0;
    }
}
