package io.github.cloudmap.watcher.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of {@link RedisBudget}, tagged with the budget's account and Region:
 * counters {@code cloudmap.watcher.budget.redis.fallbacks} and {@code .returns}, {@code .cuts} and
 * {@code .raises} (changes this process won), and the gauge
 * {@code cloudmap.watcher.budget.redis.connected} (1 on the fleet's bucket, 0 on the local
 * fallback). The rate and the waiters are {@code micrometer.BudgetMetrics}' to publish, as for
 * any budget. Thread-safe.
 */
final class MicrometerFleetEvents implements FleetEvents {

    private final Counter fallbacks;
    private final Counter returns;
    private final Counter cuts;
    private final Counter raises;
    private final Counter slow;

    MicrometerFleetEvents(MeterRegistry registry, FleetKey key, RedisBudget budget) {
        Tags tags = Tags.of("account", key.account(), "region", key.region());
        this.fallbacks = registry.counter("cloudmap.watcher.budget.redis.fallbacks", tags);
        this.returns = registry.counter("cloudmap.watcher.budget.redis.returns", tags);
        this.cuts = registry.counter("cloudmap.watcher.budget.redis.cuts", tags);
        this.raises = registry.counter("cloudmap.watcher.budget.redis.raises", tags);
        this.slow = registry.counter("cloudmap.watcher.budget.redis.slow", tags);
        // Gauges hold the budget weakly: a budget that is dropped does not live on in the registry.
        Gauge.builder("cloudmap.watcher.budget.redis.connected", budget, b -> b.onRedis() ? 1 : 0)
                .tags(tags).register(registry);
    }

    @Override
    public void fellBack() {
        fallbacks.increment();
    }

    @Override
    public void returned() {
        returns.increment();
    }

    @Override
    public void cut() {
        cuts.increment();
    }

    @Override
    public void raised() {
        raises.increment();
    }

    @Override
    public void slow() {
        slow.increment();
    }
}
