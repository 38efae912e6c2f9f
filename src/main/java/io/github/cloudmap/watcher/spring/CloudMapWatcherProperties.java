package io.github.cloudmap.watcher.spring;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cloudmap.watcher.*} settings of the auto-configured
 * {@link io.github.cloudmap.watcher.OperationWatcher} and, when the application has none, of the
 * {@code ServiceDiscoveryAsyncClient} it builds. Every builder setting of
 * {@link io.github.cloudmap.watcher.OperationWatcherBuilder} has a property here; durations take
 * Spring's forms ({@code 500ms}, {@code 10s}, {@code 5m}). A watcher setting left unset (null
 * here) is not passed to the builder, so the builder's own default applies, the same as for a
 * watcher built by hand; the defaults named below are the builder's.
 *
 * <pre>{@code
 * cloudmap.watcher.region=eu-west-1
 * cloudmap.watcher.poll-interval.initial=200ms
 * cloudmap.watcher.poll-interval.max=5s
 * cloudmap.watcher.timeout=10m
 * cloudmap.watcher.resubmission.max-attempts=5
 * }</pre>
 *
 * <p>Values are checked when the watcher is built, at startup, by the builder's own validation: a
 * bad value stops the application with the property's name in the message. Mutable, as Spring's
 * binding needs; not thread-safe, and read once at startup.
 */
@ConfigurationProperties(prefix = CloudMapWatcherProperties.PREFIX)
public class CloudMapWatcherProperties {

    /** The prefix of every property here. */
    public static final String PREFIX = "cloudmap.watcher";

    /**
     * Whether to auto-configure the watcher (and, without one of the application's own, the Cloud
     * Map client). With false, nothing of this library is configured.
     */
    private boolean enabled = true;

    /**
     * Region of the client the auto-configuration builds when the application has no
     * ServiceDiscoveryAsyncClient bean. Empty: the SDK's default region chain (AWS_REGION,
     * ~/.aws/config, instance metadata).
     */
    private String region;

    /**
     * Endpoint of the client the auto-configuration builds, e.g. an emulator's
     * http://127.0.0.1:4566. Empty: the Region's Cloud Map endpoint.
     */
    private URI endpointUrl;

    /**
     * Name of the ServiceDiscoveryAsyncClient bean the watcher polls through, for an application
     * with several. Empty: the only one, or the @Primary one; with several and no @Primary, no
     * watcher is configured.
     */
    private String clientBean;

    /** Delays between polls. */
    private final PollInterval pollInterval = new PollInterval();

    /** Growth of the delay after each poll; 1.0 polls at a fixed interval (1 to 100). Default 2.0. */
    private Double backoffMultiplier;

    /** Extra growth of the delay after a throttled poll (1 to 100). Default 2.0. */
    private Double throttleBackoffMultiplier;

    /**
     * Share of each delay taken off at random so watches drift apart; 0 turns it off (0 to below
     * 1). Default 0.2.
     */
    private Double jitter;

    /** Deadline of each watch; for submit-and-watch, of each attempt. At most 1 day. Default 5m. */
    private Duration timeout;

    /**
     * Deadline of a whole submit-and-watch, resubmissions and their waits included, beside the
     * per-attempt timeout. Default: none (the attempts and their timeouts bound it).
     */
    private Duration overallTimeout;

    /**
     * Coalesced polling: the interval between ListOperations sweeps that wake the watches whose
     * operations changed (at least 500ms). Default: off.
     */
    private Duration coalescedPolling;

    /**
     * How long after polling starts an OperationNotFound answer means "not readable yet"; 0 fails
     * on the first. Default 20s.
     */
    private Duration notFoundGrace;

    /** Retries of a GetOperation call that failed with HTTP 5xx or an I/O error. */
    private final Retry transientRetry = new Retry();

    /** Resubmissions of a request whose operation failed with THROTTLED_REQUEST, or whose submission was throttled. */
    private final Retry resubmission = new Retry();

    /**
     * The adaptive rate budget every GetOperation of the watcher draws from (Cloud Map allows an
     * account about 100/s, shared with every other caller).
     */
    private final Budget pollBudget = new Budget();

    /** The adaptive rate budget the submissions of submit-and-watch draw from (RegisterInstance about 50/s). */
    private final Budget submissionBudget = new Budget();

    /** Micrometer counters of polls, throttles, retries and resubmissions. */
    private final Metrics metrics = new Metrics();

    /**
     * {@return whether to auto-configure the watcher (and, without one of the application's own, the Cloud
     * Map client). With false, nothing of this library is configured}
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@link #isEnabled()}.
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * {@return the region of the client the auto-configuration builds when the application has no
     * ServiceDiscoveryAsyncClient bean. Empty: the SDK's default region chain (AWS_REGION, ~/.aws/config,
     * instance metadata)}
     */
    public String getRegion() {
        return region;
    }

    /**
     * Sets {@link #getRegion()}.
     *
     * @param region the new value
     */
    public void setRegion(String region) {
        this.region = region;
    }

    /**
     * {@return the endpoint of the client the auto-configuration builds, e.g. an emulator's
     * http://127.0.0.1:4566. Empty: the Region's Cloud Map endpoint}
     */
    public URI getEndpointUrl() {
        return endpointUrl;
    }

    /**
     * Sets {@link #getEndpointUrl()}.
     *
     * @param endpointUrl the new value
     */
    public void setEndpointUrl(URI endpointUrl) {
        this.endpointUrl = endpointUrl;
    }

    /**
     * {@return the name of the ServiceDiscoveryAsyncClient bean the watcher polls through, for an application
     * with several. Empty: the only one, or the {@code @Primary} one; with several and no {@code @Primary},
     * no watcher is configured}
     */
    public String getClientBean() {
        return clientBean;
    }

    /**
     * Sets {@link #getClientBean()}.
     *
     * @param clientBean the new value
     */
    public void setClientBean(String clientBean) {
        this.clientBean = clientBean;
    }

    /** {@return the delays between polls} */
    public PollInterval getPollInterval() {
        return pollInterval;
    }

    /**
     * {@return the growth of the delay after each poll; 1.0 polls at a fixed interval (1 to 100). Default 2.0}
     */
    public Double getBackoffMultiplier() {
        return backoffMultiplier;
    }

    /**
     * Sets {@link #getBackoffMultiplier()}.
     *
     * @param backoffMultiplier the new value
     */
    public void setBackoffMultiplier(Double backoffMultiplier) {
        this.backoffMultiplier = backoffMultiplier;
    }

    /** {@return the extra growth of the delay after a throttled poll (1 to 100). Default 2.0} */
    public Double getThrottleBackoffMultiplier() {
        return throttleBackoffMultiplier;
    }

    /**
     * Sets {@link #getThrottleBackoffMultiplier()}.
     *
     * @param throttleBackoffMultiplier the new value
     */
    public void setThrottleBackoffMultiplier(Double throttleBackoffMultiplier) {
        this.throttleBackoffMultiplier = throttleBackoffMultiplier;
    }

    /**
     * {@return the share of each delay taken off at random so watches drift apart; 0 turns it off (0 to below 1).
     * Default 0.2}
     */
    public Double getJitter() {
        return jitter;
    }

    /**
     * Sets {@link #getJitter()}.
     *
     * @param jitter the new value
     */
    public void setJitter(Double jitter) {
        this.jitter = jitter;
    }

    /** {@return the deadline of each watch; for submit-and-watch, of each attempt. At most 1 day. Default 5m} */
    public Duration getTimeout() {
        return timeout;
    }

    /**
     * Sets {@link #getTimeout()}.
     *
     * @param timeout the new value
     */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * {@return the deadline of a whole submit-and-watch, resubmissions and their waits included, beside the
     * per-attempt timeout. Default: none (the attempts and their timeouts bound it)}
     */
    public Duration getOverallTimeout() {
        return overallTimeout;
    }

    /**
     * Sets {@link #getOverallTimeout()}.
     *
     * @param overallTimeout the new value
     */
    public void setOverallTimeout(Duration overallTimeout) {
        this.overallTimeout = overallTimeout;
    }

    /**
     * {@return the coalesced polling: the interval between ListOperations sweeps that wake the watches whose
     * operations changed (at least 500ms). Default: off}
     */
    public Duration getCoalescedPolling() {
        return coalescedPolling;
    }

    /**
     * Sets {@link #getCoalescedPolling()}.
     *
     * @param coalescedPolling the new value
     */
    public void setCoalescedPolling(Duration coalescedPolling) {
        this.coalescedPolling = coalescedPolling;
    }

    /**
     * {@return how long after polling starts an OperationNotFound answer means "not readable yet"; 0 fails on
     * the first. Default 20s}
     */
    public Duration getNotFoundGrace() {
        return notFoundGrace;
    }

    /**
     * Sets {@link #getNotFoundGrace()}.
     *
     * @param notFoundGrace the new value
     */
    public void setNotFoundGrace(Duration notFoundGrace) {
        this.notFoundGrace = notFoundGrace;
    }

    /** {@return the retries of a GetOperation call that failed with HTTP 5xx or an I/O error} */
    public Retry getTransientRetry() {
        return transientRetry;
    }

    /**
     * {@return the resubmissions of a request whose operation failed with THROTTLED_REQUEST, or whose submission
     * was throttled}
     */
    public Retry getResubmission() {
        return resubmission;
    }

    /**
     * {@return the adaptive rate budget every GetOperation of the watcher draws from (Cloud Map allows an
     * account about 100/s, shared with every other caller)}
     */
    public Budget getPollBudget() {
        return pollBudget;
    }

    /**
     * {@return the adaptive rate budget the submissions of submit-and-watch draw from (RegisterInstance about
     * 50/s)}
     */
    public Budget getSubmissionBudget() {
        return submissionBudget;
    }

    /** {@return the Micrometer counters of polls, throttles, retries and resubmissions} */
    public Metrics getMetrics() {
        return metrics;
    }

    /** The delay after the first poll and its cap. */
    public static class PollInterval {

        /** Delay after the first poll (the first is sent at once). Default 500ms. */
        private Duration initial;

        /** Cap the growing delay never passes; at most 1 day. Default 10s. */
        private Duration max;

        /** {@return the delay after the first poll (the first is sent at once). Default 500ms} */
        public Duration getInitial() {
            return initial;
        }

        /**
         * Sets {@link #getInitial()}.
         *
         * @param initial the new value
         */
        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        /** {@return the cap the growing delay never passes; at most 1 day. Default 10s} */
        public Duration getMax() {
            return max;
        }

        /**
         * Sets {@link #getMax()}.
         *
         * @param max the new value
         */
        public void setMax(Duration max) {
            this.max = max;
        }
    }

    /**
     * Attempts and exponential backoff of one retry policy (Resilience4j's RetryConfig). Unset
     * parts take the builder's default policy's values: 3 attempts, 200ms doubling for the
     * transient retry, 1s doubling for resubmission.
     */
    public static class Retry {

        /** Attempts in all, the first included; 1 never retries. Default 3. */
        private Integer maxAttempts;

        /** Wait before the second attempt. Default 200ms (transient retry), 1s (resubmission). */
        private Duration wait;

        /** Growth of the wait after each attempt (at least 1). Default 2.0. */
        private Double multiplier;

        /** {@return the attempts in all, the first included; 1 never retries. Default 3} */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets {@link #getMaxAttempts()}.
         *
         * @param maxAttempts the new value
         */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** {@return the wait before the second attempt. Default 200ms (transient retry), 1s (resubmission)} */
        public Duration getWait() {
            return wait;
        }

        /**
         * Sets {@link #getWait()}.
         *
         * @param wait the new value
         */
        public void setWait(Duration wait) {
            this.wait = wait;
        }

        /** {@return the growth of the wait after each attempt (at least 1). Default 2.0} */
        public Double getMultiplier() {
            return multiplier;
        }

        /**
         * Sets {@link #getMultiplier()}.
         *
         * @param multiplier the new value
         */
        public void setMultiplier(Double multiplier) {
            this.multiplier = multiplier;
        }
    }

    /**
     * An adaptive rate budget (AdaptiveBudgetConfig): cut multiplicatively on a throttle, raised
     * additively while requests succeed, between a floor and a ceiling. With nothing set, the
     * watcher's default budget applies, shared by every watcher built on the same client; setting
     * any value gives this watcher a budget of its own with those settings.
     */
    public static class Budget {

        /** Whether requests wait for the budget at all; false sends them unthrottled (an explicit opt-out). Default true. */
        private Boolean enabled;

        /** Starting rate, requests per second. Default 20. */
        private Double initialRate;

        /** Floor, requests per second: the budget never goes slower. Default 0.1. */
        private Double minRate;

        /** Ceiling, requests per second: this application's share of the account's quota. Default 400. */
        private Double maxRate;

        /** Additive raise, requests per second per window without a throttle. Default 2. */
        private Double increaseStep;

        /** Multiplicative cut on a throttle, between 0 and 1. Default 0.5. */
        private Double decreaseFactor;

        /** At most one cut, and one raise, per window. Default 1s. */
        private Duration cutWindow;

        /** Permits an idle budget grants at once. Default 10. */
        private Integer burst;

        /** Double the rate per window until the first throttle. Default true. */
        private Boolean slowStart;

        /**
         * A budget shared by every process of a fleet through Redis (poll-budget only; needs
         * Lettuce on the class path): set its url to turn it on.
         */
        private final Redis redis = new Redis();

        /**
         * {@return whether requests wait for the budget at all; false sends them unthrottled (an explicit
         * opt-out). Default true}
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets {@link #getEnabled()}.
         *
         * @param enabled the new value
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return the starting rate, requests per second. Default 20} */
        public Double getInitialRate() {
            return initialRate;
        }

        /**
         * Sets {@link #getInitialRate()}.
         *
         * @param initialRate the new value
         */
        public void setInitialRate(Double initialRate) {
            this.initialRate = initialRate;
        }

        /** {@return the floor, requests per second: the budget never goes slower. Default 0.1} */
        public Double getMinRate() {
            return minRate;
        }

        /**
         * Sets {@link #getMinRate()}.
         *
         * @param minRate the new value
         */
        public void setMinRate(Double minRate) {
            this.minRate = minRate;
        }

        /**
         * {@return ceiling, requests per second: this application's share of the account's quota. Default
         * 400}
         */
        public Double getMaxRate() {
            return maxRate;
        }

        /**
         * Sets {@link #getMaxRate()}.
         *
         * @param maxRate the new value
         */
        public void setMaxRate(Double maxRate) {
            this.maxRate = maxRate;
        }

        /** {@return the additive raise, requests per second per window without a throttle. Default 2} */
        public Double getIncreaseStep() {
            return increaseStep;
        }

        /**
         * Sets {@link #getIncreaseStep()}.
         *
         * @param increaseStep the new value
         */
        public void setIncreaseStep(Double increaseStep) {
            this.increaseStep = increaseStep;
        }

        /** {@return the multiplicative cut on a throttle, between 0 and 1. Default 0.5} */
        public Double getDecreaseFactor() {
            return decreaseFactor;
        }

        /**
         * Sets {@link #getDecreaseFactor()}.
         *
         * @param decreaseFactor the new value
         */
        public void setDecreaseFactor(Double decreaseFactor) {
            this.decreaseFactor = decreaseFactor;
        }

        /** {@return the window with at most one cut, and one raise. Default 1s} */
        public Duration getCutWindow() {
            return cutWindow;
        }

        /**
         * Sets {@link #getCutWindow()}.
         *
         * @param cutWindow the new value
         */
        public void setCutWindow(Duration cutWindow) {
            this.cutWindow = cutWindow;
        }

        /** {@return the permits an idle budget grants at once. Default 10} */
        public Integer getBurst() {
            return burst;
        }

        /**
         * Sets {@link #getBurst()}.
         *
         * @param burst the new value
         */
        public void setBurst(Integer burst) {
            this.burst = burst;
        }

        /** {@return whether to double the rate per window until the first throttle. Default true} */
        public Boolean getSlowStart() {
            return slowStart;
        }

        /**
         * Sets {@link #getSlowStart()}.
         *
         * @param slowStart the new value
         */
        public void setSlowStart(Boolean slowStart) {
            this.slowStart = slowStart;
        }

        /**
         * {@return the budget shared by every process of a fleet through Redis (poll-budget only; needs Lettuce
         * on the class path): set its url to turn it on}
         */
        public Redis getRedis() {
            return redis;
        }
    }

    /**
     * The fleet budget through Redis (RedisBudget): one token bucket per AWS account and Region,
     * whose rate adapts for every process that shares it, with the adaptive settings above; on
     * a local budget while Redis is away. Closed with the application context.
     */
    public static class Redis {

        /**
         * Redis URI, redis://[[user]:password@]host[:port][/database] or rediss:// for TLS; user and
         * password percent-encoded. Set: the watcher's GetOperation calls draw from the fleet budget.
         * Never shown in a message or log line.
         */
        private String url;

        /** The 12-digit AWS account whose GetOperation quota the budget guards (part of its key). */
        private String account;

        /** The AWS Region of that quota (part of the key). Default: cloudmap.watcher.region, else the client's Region. */
        private String region;

        /** Prefix of the budget's Redis keys: give each application its own to keep their budgets apart. */
        private String keyPrefix;

        /** Bound on every wait for Redis, after which the budget serves from its local fallback (1ms to 10s). */
        private Duration timeout;

        /** How often a budget on its local fallback tries Redis again (10ms to 1m). */
        private Duration retryInterval;

        /**
         * {@return the Redis URI, redis://[[user]:password@]host[:port][/database] or rediss:// for TLS; user and
         * password percent-encoded. Set: the watcher's GetOperation calls draw from the fleet budget. Never
         * shown in a message or log line}
         */
        public String getUrl() {
            return url;
        }

        /**
         * Sets {@link #getUrl()}.
         *
         * @param url the new value
         */
        public void setUrl(String url) {
            this.url = url;
        }

        /** {@return the 12-digit AWS account whose GetOperation quota the budget guards (part of its key)} */
        public String getAccount() {
            return account;
        }

        /**
         * Sets {@link #getAccount()}.
         *
         * @param account the new value
         */
        public void setAccount(String account) {
            this.account = account;
        }

        /**
         * {@return the AWS Region of that quota (part of the key). Default: cloudmap.watcher.region, else the
         * client's Region}
         */
        public String getRegion() {
            return region;
        }

        /**
         * Sets {@link #getRegion()}.
         *
         * @param region the new value
         */
        public void setRegion(String region) {
            this.region = region;
        }

        /**
         * {@return the prefix of the budget's Redis keys: give each application its own to keep their budgets
         * apart}
         */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * Sets {@link #getKeyPrefix()}.
         *
         * @param keyPrefix the new value
         */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * {@return the bound on every wait for Redis, after which the budget serves from its local fallback (1ms
         * to 10s)}
         */
        public Duration getTimeout() {
            return timeout;
        }

        /**
         * Sets {@link #getTimeout()}.
         *
         * @param timeout the new value
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** {@return how often a budget on its local fallback tries Redis again (10ms to 1m)} */
        public Duration getRetryInterval() {
            return retryInterval;
        }

        /**
         * Sets {@link #getRetryInterval()}.
         *
         * @param retryInterval the new value
         */
        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        /** Never shows the URL: it may hold a password. */
        @Override
        public String toString() {
            return "Redis[url " + (url == null ? "unset" : "set") + ", account " + account + ", region " + region + "]";
        }
    }

    /** Whether to publish the watcher's counters when a MeterRegistry bean exists. */
    public static class Metrics {

        /** Publish cloudmap.watcher.* counters through the application's MeterRegistry. */
        private boolean enabled = true;

        /** {@return whether to publish cloudmap.watcher.* counters through the application's MeterRegistry} */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@link #isEnabled()}.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
