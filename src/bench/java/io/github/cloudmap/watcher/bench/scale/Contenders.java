package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The contenders by name, in the order the issue lists them. */
final class Contenders {

    static final List<String> ALL = List.of("fixed-2s", "sdk-waiter", "sdk-adaptive", "watcher-tuned", "watcher",
            "await-all", "watcher-coalesced", "coalesced-prototype");

    /** The sweep interval of {@code watcher-coalesced}. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    /**
     * Every contender: {@link #ALL} (what {@code bench.contenders=all} runs) and the two that split
     * the operations over {@code bench.processes} child JVMs, run only when named.
     */
    static final List<String> KNOWN = List.of("fixed-2s", "sdk-waiter", "sdk-adaptive", "watcher-tuned", "watcher",
            "await-all", "watcher-split", "watcher-fleet", "watcher-coalesced");

    /** A hand-tuned static budget runs at this share of the true limit: "just under" it. */
    static final double TUNED_SHARE = 0.9;

    private Contenders() {
    }

    /** Where a contender sorts in tables and charts: the order of {@link #KNOWN}. */
    static int order(String name) {
        return KNOWN.indexOf(name);
    }

    static Contender create(String name, RunSettings run) throws java.io.IOException {
        return switch (name) {
            case "fixed-2s" -> new FixedIntervalContender(Clients.sdkDefaults(run.endpoint()));
            case "sdk-adaptive" -> new FixedIntervalContender(Clients.adaptive(run.endpoint()));
            case "sdk-waiter" -> new SdkWaiterContender(Clients.sdkDefaults(run.endpoint()), run.bound());
            case "watcher" -> {
                ServiceDiscoveryAsyncClient client = Clients.sdkDefaults(run.endpoint());
                // The defaults, but for the run's bound in place of the 5 minute default deadline.
                yield new WatcherContender(client, OperationWatcher.builder(client).timeout(run.bound()).build());
            }
            // One awaitAll over every operation, with the `watcher` settings.
            case "await-all" -> new AwaitAllContender(Clients.sdkDefaults(run.endpoint()), run.bound());
            // P JVMs with the `watcher` setup each: sharing one RedisBudget, or each on its own
            // local budget. The fleet's ceiling is 0.9 x the account's quota, as docs/fleet.md advises
            // and as watcher-tuned's static budget (-Dbench.fleetMaxRate=default for the library's
            // default ceiling, or a number of requests/s).
            case "watcher-split" -> new ChildJvmContender(run, run.processes(), false, "default");
            case "watcher-fleet" -> new ChildJvmContender(run, run.processes(), true,
                    System.getProperty("bench.fleetMaxRate", "").isBlank()
                            ? ScaleBenchmark.fmt(0.9 * run.getLimitRps()) : System.getProperty("bench.fleetMaxRate"));
            case "watcher-tuned" -> {
                ServiceDiscoveryAsyncClient client = Clients.noRetries(run.endpoint());
                yield new WatcherContender(client, tunedWatcher(client, staticBudget(run.getLimitRps()), run));
            }
            case "watcher-coalesced" -> {
                // The library's coalesced polling over watcher-tuned's static GetOperation budget;
                // ListOperations draws on the client's default ListOperations budget (adaptive).
                ServiceDiscoveryAsyncClient client = Clients.noRetries(run.endpoint());
                yield new WatcherContender(client, OperationWatcher.builder(client).timeout(run.bound())
                        .pollBudget(staticBudget(run.getLimitRps())).coalescedPolling(SWEEP_INTERVAL).build());
            }
            case "coalesced-prototype" -> {
                ServiceDiscoveryAsyncClient client = Clients.noRetries(run.endpoint());
                RequestBudget getBudget = staticBudget(run.getLimitRps());
                yield new CoalescedContender(client, getBudget, staticBudget(run.listLimitRps()),
                        tunedWatcher(client, getBudget, run));
            }
            default -> throw new IllegalArgumentException("unknown contender '" + name + "'; choose from " + KNOWN);
        };
    }

    private static OperationWatcher tunedWatcher(ServiceDiscoveryAsyncClient client, RequestBudget budget,
                                                 RunSettings run) {
        return OperationWatcher.builder(client).timeout(run.bound()).pollBudget(budget).build();
    }

    /**
     * A static budget set by someone who knows the limit: the library's budget with its floor,
     * start and ceiling all at 0.9 x the limit, and no burst beyond one permit.
     */
    static RequestBudget staticBudget(double limitRps) {
        double rate = TUNED_SHARE * limitRps;
        return RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(rate).minRate(rate).maxRate(rate).burst(1).build());
    }
}
