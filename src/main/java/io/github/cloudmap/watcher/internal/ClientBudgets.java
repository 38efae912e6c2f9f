package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The default budgets of each SDK client: one per API quota (GetOperation, the submissions,
 * and ListOperations for coalesced polling), shared by every watcher built on that client, so two watchers in one
 * application do not each claim the whole quota.
 *
 * <p>Why this is not a global mutable default: nothing here can be set or replaced, and no
 * watcher's behaviour depends on another client's. A budget is created with its client's first
 * watcher and lives exactly as long as the client (the map holds the client weakly, and a budget
 * never refers to its client), so each test's fresh client starts with a fresh budget and no test
 * has state to reset. A user who wants wider sharing passes a budget of their own.
 *
 * <p>Keyed by the client object: SDK clients do not override {@code equals}, so this is identity.
 * Thread-safe. Not part of the public API.
 */
final class ClientBudgets {

    /**
     * The submissions' default: the quotas AWS's own controller assumes for RegisterInstance and
     * DeregisterInstance are 50/s (burst 100), half of GetOperation's, so start and cap lower.
     */
    static final AdaptiveBudgetConfig SUBMISSION_DEFAULTS = AdaptiveBudgetConfig.defaults().toBuilder()
            .initialRate(10).maxRate(200).build();

    /**
     * ListOperations' default: AWS publishes no quota for it and its own controller left it for
     * GetOperation "because it has higher limits", so start low (2/s, burst 2) and cap at 10/s;
     * the budget still cuts on a throttle and grows while sweeps succeed.
     */
    static final AdaptiveBudgetConfig LISTING_DEFAULTS = AdaptiveBudgetConfig.defaults().toBuilder()
            .initialRate(2).minRate(0.5).maxRate(10).increaseStep(0.5).burst(2).build();

    private static final Map<Object, Budgets> BY_CLIENT = new WeakHashMap<>();

    private ClientBudgets() {}

    /** The GetOperation budget shared by the watchers of {@code client}. */
    static RequestBudget polls(Object client) {
        return of(client).polls;
    }

    /** The submission budget shared by the watchers of {@code client}. */
    static RequestBudget submissions(Object client) {
        return of(client).submissions;
    }

    /** The ListOperations budget shared by the watchers of {@code client} (coalesced polling). */
    static RequestBudget listings(Object client) {
        return of(client).listings;
    }

    private static Budgets of(Object client) {
        synchronized (BY_CLIENT) {
            return BY_CLIENT.computeIfAbsent(client, c -> new Budgets(
                    new AdaptiveBudget(AdaptiveBudgetConfig.defaults(), "GetOperation"),
                    new AdaptiveBudget(SUBMISSION_DEFAULTS, "submission"),
                    new AdaptiveBudget(LISTING_DEFAULTS, "ListOperations")));
        }
    }

    private record Budgets(RequestBudget polls, RequestBudget submissions, RequestBudget listings) { }
}
