package io.github.cloudmap.watcher;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@link RequestBudget#unlimited()}: every permit at once. Stateless and thread-safe. */
final class Unlimited implements RequestBudget {

    static final Unlimited INSTANCE = new Unlimited();

    private static final Permit PERMIT = new Permit() {
        @Override
        public void onThrottled() { }

        @Override
        public void onAnswered() { }
    };

    private static final Mono<Permit> GRANTED = Mono.just(PERMIT);

    private Unlimited() {}

    @Override
    public Mono<Permit> acquire(Scheduler scheduler) {
        return GRANTED;
    }

    @Override
    public double currentRate() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public int waiting() {
        return 0;
    }

    @Override
    public String toString() {
        return "RequestBudget.unlimited()";
    }
}
