package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.RequestBudget;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The default budgets of each SDK client: one per API quota (GetOperation, the submissions,
 * and ListOperations for coalesced polling), shared by every watcher built on that client, so two watchers in one
 * application do not each claim the whole quota.
 *
 * <p>Why this is not a global mutable default: nothing here can be set or replaced, and no
 * watcher's behaviour depends on another client's. A budget is created with its client's first
 * watcher and lives as long as a watcher built on the client does: each watcher holds its budgets
 * strongly, the map holds the client and the budgets weakly. The budgets must be held weakly too,
 * because a budget's queue leads back to the client (a waiting acquisition's subscriber is a watch
 * of that client): a strong value would keep its own weak key, and with it every watch still
 * queued, alive for good. So each test's fresh client starts with a fresh budget and no test has
 * state to reset. A user who wants wider sharing passes a budget of their own.
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
        synchronized (BY_CLIENT) {
            Budgets budgets = of(client);
            RequestBudget polls = budgets.polls.get();
            if (polls == null) {
                polls = new AdaptiveBudget(AdaptiveBudgetConfig.defaults(), "GetOperation");
                budgets.polls = new WeakReference<>(polls);
            }
            return polls;
        }
    }

    /** The submission budget shared by the watchers of {@code client}. */
    static RequestBudget submissions(Object client) {
        synchronized (BY_CLIENT) {
            Budgets budgets = of(client);
            RequestBudget submissions = budgets.submissions.get();
            if (submissions == null) {
                submissions = new AdaptiveBudget(SUBMISSION_DEFAULTS, "submission");
                budgets.submissions = new WeakReference<>(submissions);
            }
            return submissions;
        }
    }

    /** The ListOperations budget shared by the watchers of {@code client} (coalesced polling). */
    static RequestBudget listings(Object client) {
        synchronized (BY_CLIENT) {
            Budgets budgets = of(client);
            RequestBudget listings = budgets.listings.get();
            if (listings == null) {
                listings = new AdaptiveBudget(LISTING_DEFAULTS, "ListOperations");
                budgets.listings = new WeakReference<>(listings);
            }
            return listings;
        }
    }

    // Guarded by BY_CLIENT.
    private static Budgets of(Object client) {
        return BY_CLIENT.computeIfAbsent(client, c -> new Budgets());
    }

    /** The client's budgets, each held weakly; guarded by BY_CLIENT. */
    private static final class Budgets {
        WeakReference<RequestBudget> polls = new WeakReference<>(null);
        WeakReference<RequestBudget> submissions = new WeakReference<>(null);
        WeakReference<RequestBudget> listings = new WeakReference<>(null);
    }
}
