package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The contenders by name, in the order the issue lists them. */
final class Contenders {

    static final List<String> ALL = List.of("fixed-2s", "sdk-waiter", "sdk-adaptive", "watcher-tuned", "watcher",
            "watcher-coalesced");

    /** A hand-tuned static budget runs at this share of the true limit: "just under" it. */
    static final double TUNED_SHARE = 0.9;

    private Contenders() {
    }

    static Contender create(String name, RunSettings run) {
        return switch (name) {
            case "fixed-2s" -> new FixedIntervalContender(Clients.sdkDefaults(run.endpoint()));
            case "sdk-adaptive" -> new FixedIntervalContender(Clients.adaptive(run.endpoint()));
            case "sdk-waiter" -> new SdkWaiterContender(Clients.sdkDefaults(run.endpoint()), run.bound());
            case "watcher" -> {
                ServiceDiscoveryAsyncClient client = Clients.sdkDefaults(run.endpoint());
                // The defaults, but for the run's bound in place of the 5 minute default deadline.
                yield new WatcherContender(client, OperationWatcher.builder(client).timeout(run.bound()).build());
            }
            case "watcher-tuned" -> {
                ServiceDiscoveryAsyncClient client = Clients.noRetries(run.endpoint());
                yield new WatcherContender(client, tunedWatcher(client, staticBudget("tuned-get", run.getLimitRps(), run),
                        run));
            }
            case "watcher-coalesced" -> {
                ServiceDiscoveryAsyncClient client = Clients.noRetries(run.endpoint());
                RateLimiter getBudget = staticBudget("coalesced-get", run.getLimitRps(), run);
                yield new CoalescedContender(client, getBudget, staticBudget("coalesced-list", run.listLimitRps(), run),
                        tunedWatcher(client, getBudget, run));
            }
            default -> throw new IllegalArgumentException("unknown contender '" + name + "'; choose from " + ALL);
        };
    }

    private static OperationWatcher tunedWatcher(ServiceDiscoveryAsyncClient client, RateLimiter budget, RunSettings run) {
        return OperationWatcher.builder(client).timeout(run.bound()).rateLimiter(budget).build();
    }

    /** One permit every 1/(0.9 x limit) s, no burst: a smooth static budget set by someone who knows the limit. */
    static RateLimiter staticBudget(String name, double limitRps, RunSettings run) {
        long periodNanos = Math.round(1e9 / (TUNED_SHARE * limitRps));
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(run.bound())
                .build());
    }
}
