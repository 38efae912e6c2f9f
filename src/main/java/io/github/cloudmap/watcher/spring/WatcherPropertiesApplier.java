package io.github.cloudmap.watcher.spring;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.RequestBudget;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Applies {@link CloudMapWatcherProperties} to an {@link OperationWatcherBuilder} through the
 * builder's own setters, so a value is checked by exactly the rules a hand-written builder call
 * meets, and a property left unset is not passed at all, so the builder's own default (and the way
 * its defaults adapt to each other) applies. When the builder refuses a value, its
 * {@link IllegalArgumentException} is rethrown as Spring Boot's
 * {@link InvalidConfigurationPropertyValueException}, which names the property, and the
 * application fails to start: nothing is left half-configured.
 *
 * <p>Stateless and thread-safe. Not part of the public API.
 */
final class WatcherPropertiesApplier {

    private static final String P = CloudMapWatcherProperties.PREFIX + ".";

    /** The waits of the builder's default policies, which a RetryConfig does not expose. */
    static final Duration DEFAULT_TRANSIENT_RETRY_WAIT = Duration.ofMillis(200);
    static final Duration DEFAULT_RESUBMISSION_WAIT = Duration.ofSeconds(1);
    static final double DEFAULT_RETRY_MULTIPLIER = 2.0;

    /**
     * The submission budget's defaults when only some of its properties are set: the watcher's own
     * default submission budget starts at 10/s with a 200/s ceiling (RegisterInstance's quota is
     * about 50/s), the rest as {@link AdaptiveBudgetConfig#defaults()}.
     */
    static final AdaptiveBudgetConfig SUBMISSION_BUDGET_DEFAULTS = AdaptiveBudgetConfig.defaults().toBuilder()
            .initialRate(10).maxRate(200).build();

    /** One property (or pair) and the builder call it makes. */
    private record Setting(String property, Object value, Consumer<OperationWatcherBuilder> call,
            Consumer<AdaptiveBudgetConfig.Builder> budgetCall) {

        Setting(String property, Object value, Consumer<OperationWatcherBuilder> call) {
            this(property, value, call, c -> { });
        }
    }

    private static <T> void addPart(List<Setting> parts, String property, T value,
            java.util.function.BiConsumer<AdaptiveBudgetConfig.Builder, T> call) {
        if (value != null) {
            parts.add(new Setting(property, value, b -> { }, c -> call.accept(c, value)));
        }
    }

    private WatcherPropertiesApplier() {}

    /**
     * Applies every property that is set, checking each as it goes.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first property refused
     */
    static void apply(CloudMapWatcherProperties properties, OperationWatcherBuilder builder) {
        for (Setting setting : settings(properties)) {
            check(setting.property(), setting.value(), () -> {
                setting.call().accept(builder);
                return null;
            });
        }
    }

    /**
     * Builds the watcher. Checks that weigh one setting against another (a poll cap or grace
     * window longer than the timeout) run in {@code build()}; when one fails, the same settings
     * are applied again two by two to fresh builders, so the message names the property at fault.
     *
     * @throws InvalidConfigurationPropertyValueException naming the property refused
     */
    static OperationWatcher build(CloudMapWatcherProperties properties, OperationWatcherBuilder builder,
            Supplier<OperationWatcherBuilder> freshBuilder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            List<Setting> settings = settings(properties);
            for (Setting suspect : settings) {
                for (Setting other : settings) {
                    OperationWatcherBuilder probe = freshBuilder.get();
                    other.call().accept(probe);
                    suspect.call().accept(probe);
                    try {
                        probe.build();
                    } catch (IllegalArgumentException refused) {
                        // The builder's message names both values and says "shorten the one or
                        // lengthen the timeout": report the one that is not the deadline.
                        Setting culprit = suspect.property().endsWith("timeout") ? other : suspect;
                        throw new InvalidConfigurationPropertyValueException(culprit.property(), culprit.value(),
                                refused.getMessage());
                    }
                }
            }
            throw e; // not the properties' doing: an OperationWatcherBuilderCustomizer's
        }
    }

    private static List<Setting> settings(CloudMapWatcherProperties p) {
        List<Setting> settings = new ArrayList<>();
        Duration initial = p.getPollInterval().getInitial();
        Duration max = p.getPollInterval().getMax();
        if (max != null) {
            // The builder takes the pair in one call; checking max with the smallest initial
            // interval first lets the message name the property that is wrong.
            settings.add(new Setting(P + "poll-interval.max", max,
                    b -> b.pollInterval(OperationWatcherBuilder.MIN_POLL_INTERVAL, max)));
        }
        if (initial != null || max != null) {
            // The builder takes both in one call: the one left unset gets the builder's own
            // default, adapted as the builder adapts it (the cap to a shorter timeout, the
            // initial interval to a shorter cap), never the plain constant.
            Duration timeout = p.getTimeout() != null ? p.getTimeout() : OperationWatcherBuilder.DEFAULT_TIMEOUT;
            Duration m = max != null ? max : min(OperationWatcherBuilder.DEFAULT_MAX_POLL_INTERVAL, timeout);
            Duration i = initial != null ? initial : min(OperationWatcherBuilder.DEFAULT_INITIAL_POLL_INTERVAL, m);
            settings.add(new Setting(P + "poll-interval." + (initial != null ? "initial" : "max"),
                    initial != null ? initial : max, b -> b.pollInterval(i, m)));
        }
        add(settings, "backoff-multiplier", p.getBackoffMultiplier(), (b, v) -> b.backoffMultiplier(v));
        add(settings, "throttle-backoff-multiplier", p.getThrottleBackoffMultiplier(),
                (b, v) -> b.throttleBackoffMultiplier(v));
        add(settings, "jitter", p.getJitter(), (b, v) -> b.jitter(v));
        add(settings, "timeout", p.getTimeout(), (b, v) -> b.timeout(v));
        add(settings, "overall-timeout", p.getOverallTimeout(), (b, v) -> b.overallTimeout(v));
        add(settings, "coalesced-polling", p.getCoalescedPolling(), (b, v) -> b.coalescedPolling(v));
        add(settings, "not-found-grace", p.getNotFoundGrace(), (b, v) -> b.notFoundGrace(v));
        CloudMapWatcherProperties.Retry transientRetry = p.getTransientRetry();
        if (isSet(transientRetry)) {
            RetryConfig config = retryConfig(P + "transient-retry", transientRetry,
                    OperationWatcherBuilder.defaultTransientRetry(), DEFAULT_TRANSIENT_RETRY_WAIT);
            settings.add(new Setting(P + "transient-retry", config, b -> b.transientRetry(config)));
        }
        CloudMapWatcherProperties.Retry resubmission = p.getResubmission();
        if (isSet(resubmission)) {
            RetryConfig config = retryConfig(P + "resubmission", resubmission,
                    OperationWatcherBuilder.defaultResubmission(), DEFAULT_RESUBMISSION_WAIT);
            settings.add(new Setting(P + "resubmission", config, b -> b.resubmission(config)));
        }
        budget(settings, "poll-budget", p.getPollBudget(), AdaptiveBudgetConfig.defaults(),
                (b, budget) -> b.pollBudget(budget));
        budget(settings, "submission-budget", p.getSubmissionBudget(), SUBMISSION_BUDGET_DEFAULTS,
                (b, budget) -> b.submissionBudget(budget));
        return settings;
    }

    /**
     * A budget of the watcher's own when any of its properties is set; none set leaves the
     * builder's default, the client's shared budget. AdaptiveBudgetConfig checks everything at
     * build(), so each property is tried alone on the defaults first: the message then names the
     * property at fault, and only a conflict between two (a floor above the ceiling) is reported
     * by the builder's message, which names both.
     */
    private static void budget(List<Setting> settings, String name, CloudMapWatcherProperties.Budget budget,
            AdaptiveBudgetConfig defaults, java.util.function.BiConsumer<OperationWatcherBuilder, RequestBudget> call) {
        String prefix = P + name;
        if (Boolean.FALSE.equals(budget.getEnabled())) {
            settings.add(new Setting(prefix + ".enabled", false, b -> call.accept(b, RequestBudget.unlimited())));
            return;
        }
        if (budget.getRedis().getUrl() != null && !budget.getRedis().getUrl().isBlank() && !"poll-budget".equals(name)) {
            settings.add(new Setting(prefix + ".redis.url", "(not shown)", b -> {
                throw new IllegalArgumentException("only the poll budget can be shared through Redis; use "
                        + P + "poll-budget.redis.url");
            }));
        }
        List<Setting> parts = parts(prefix, budget);
        if (parts.isEmpty()) {
            return;
        }
        AdaptiveBudgetConfig built = config(budget, defaults, parts);
        settings.add(new Setting(prefix, built, b -> call.accept(b, RequestBudget.adaptive(built))));
    }

    /**
     * The adaptive settings of the poll budget from its properties (the defaults where none is
     * set), for the fleet budget that follows the same rules.
     *
     * @throws InvalidConfigurationPropertyValueException naming the first property refused
     */
    static AdaptiveBudgetConfig pollBudgetConfig(CloudMapWatcherProperties properties) {
        CloudMapWatcherProperties.Budget budget = properties.getPollBudget();
        List<Setting> parts = parts(P + "poll-budget", budget);
        return parts.isEmpty() ? AdaptiveBudgetConfig.defaults() : config(budget, AdaptiveBudgetConfig.defaults(), parts);
    }

    private static List<Setting> parts(String prefix, CloudMapWatcherProperties.Budget budget) {
        List<Setting> parts = new ArrayList<>();
        addPart(parts, prefix + ".initial-rate", budget.getInitialRate(), (c, v) -> c.initialRate(v));
        addPart(parts, prefix + ".min-rate", budget.getMinRate(), (c, v) -> c.minRate(v));
        addPart(parts, prefix + ".max-rate", budget.getMaxRate(), (c, v) -> c.maxRate(v));
        addPart(parts, prefix + ".increase-step", budget.getIncreaseStep(), (c, v) -> c.increaseStep(v));
        addPart(parts, prefix + ".decrease-factor", budget.getDecreaseFactor(), (c, v) -> c.decreaseFactor(v));
        addPart(parts, prefix + ".cut-window", budget.getCutWindow(), (c, v) -> c.cutWindow(v));
        addPart(parts, prefix + ".burst", budget.getBurst(), (c, v) -> c.burst(v));
        addPart(parts, prefix + ".slow-start", budget.getSlowStart(), (c, v) -> c.slowStart(v));
        return parts;
    }

    private static AdaptiveBudgetConfig config(CloudMapWatcherProperties.Budget budget, AdaptiveBudgetConfig defaults,
            List<Setting> parts) {
        AdaptiveBudgetConfig.Builder config = defaults.toBuilder();
        for (Setting part : parts) {
            check(part.property(), part.value(), () -> {
                AdaptiveBudgetConfig.Builder alone = defaults.toBuilder();
                part.budgetCall().accept(alone);
                adaptInitialRate(alone, budget, defaults, part.property().endsWith(".min-rate") ? budget.getMinRate() : null,
                        part.property().endsWith(".max-rate") ? budget.getMaxRate() : null);
                return alone.build();
            });
            part.budgetCall().accept(config);
        }
        adaptInitialRate(config, budget, defaults, budget.getMinRate(), budget.getMaxRate());
        return check(parts.get(0).property(), parts.get(0).value(), config::build);
    }

    /**
     * With no initial rate of its own, a budget starts at the default initial rate moved inside
     * the floor and ceiling that were set: {@code max-rate=10} alone means "at most 10/s", not a
     * refusal because the default start, 20/s, is above it.
     */
    private static void adaptInitialRate(AdaptiveBudgetConfig.Builder config, CloudMapWatcherProperties.Budget budget,
            AdaptiveBudgetConfig defaults, Double min, Double max) {
        if (budget.getInitialRate() == null && (min != null || max != null)) {
            double floor = min != null ? min : defaults.minRate();
            double ceiling = max != null ? max : defaults.maxRate();
            config.initialRate(Math.max(floor, Math.min(ceiling, defaults.initialRate())));
        }
    }

    private static <T> void add(List<Setting> settings, String name, T value,
            java.util.function.BiConsumer<OperationWatcherBuilder, T> call) {
        if (value != null) {
            settings.add(new Setting(P + name, value, b -> call.accept(b, value)));
        }
    }

    private static boolean isSet(CloudMapWatcherProperties.Retry retry) {
        return retry.getMaxAttempts() != null || retry.getWait() != null || retry.getMultiplier() != null;
    }

    /** Resilience4j's own checks, property by property; unset parts from the default policy. */
    private static RetryConfig retryConfig(String prefix, CloudMapWatcherProperties.Retry retry,
            RetryConfig defaults, Duration defaultWait) {
        Duration wait = retry.getWait() != null ? retry.getWait() : defaultWait;
        check(prefix + ".wait", wait, () -> IntervalFunction.ofExponentialBackoff(wait, 1.0));
        double multiplier = retry.getMultiplier() != null ? retry.getMultiplier() : DEFAULT_RETRY_MULTIPLIER;
        IntervalFunction interval = check(prefix + ".multiplier", multiplier, () -> {
            // Resilience4j accepts a shrinking backoff; the watcher's own multipliers are >= 1 too.
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be >= 1, but was " + multiplier);
            }
            return IntervalFunction.ofExponentialBackoff(wait, multiplier);
        });
        int maxAttempts = retry.getMaxAttempts() != null ? retry.getMaxAttempts() : defaults.getMaxAttempts();
        return check(prefix + ".max-attempts", maxAttempts,
                () -> RetryConfig.custom().maxAttempts(maxAttempts).intervalFunction(interval).build());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static <T> T check(String property, Object value, Supplier<T> setting) {
        try {
            return setting.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }
}
