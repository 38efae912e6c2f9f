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

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public URI getEndpointUrl() {
        return endpointUrl;
    }

    public void setEndpointUrl(URI endpointUrl) {
        this.endpointUrl = endpointUrl;
    }

    public String getClientBean() {
        return clientBean;
    }

    public void setClientBean(String clientBean) {
        this.clientBean = clientBean;
    }

    public PollInterval getPollInterval() {
        return pollInterval;
    }

    public Double getBackoffMultiplier() {
        return backoffMultiplier;
    }

    public void setBackoffMultiplier(Double backoffMultiplier) {
        this.backoffMultiplier = backoffMultiplier;
    }

    public Double getThrottleBackoffMultiplier() {
        return throttleBackoffMultiplier;
    }

    public void setThrottleBackoffMultiplier(Double throttleBackoffMultiplier) {
        this.throttleBackoffMultiplier = throttleBackoffMultiplier;
    }

    public Double getJitter() {
        return jitter;
    }

    public void setJitter(Double jitter) {
        this.jitter = jitter;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getOverallTimeout() {
        return overallTimeout;
    }

    public void setOverallTimeout(Duration overallTimeout) {
        this.overallTimeout = overallTimeout;
    }

    public Duration getCoalescedPolling() {
        return coalescedPolling;
    }

    public void setCoalescedPolling(Duration coalescedPolling) {
        this.coalescedPolling = coalescedPolling;
    }

    public Duration getNotFoundGrace() {
        return notFoundGrace;
    }

    public void setNotFoundGrace(Duration notFoundGrace) {
        this.notFoundGrace = notFoundGrace;
    }

    public Retry getTransientRetry() {
        return transientRetry;
    }

    public Retry getResubmission() {
        return resubmission;
    }

    public Budget getPollBudget() {
        return pollBudget;
    }

    public Budget getSubmissionBudget() {
        return submissionBudget;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** The delay after the first poll and its cap. */
    public static class PollInterval {

        /** Delay after the first poll (the first is sent at once). Default 500ms. */
        private Duration initial;

        /** Cap the growing delay never passes; at most 1 day. Default 10s. */
        private Duration max;

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

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

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getWait() {
            return wait;
        }

        public void setWait(Duration wait) {
            this.wait = wait;
        }

        public Double getMultiplier() {
            return multiplier;
        }

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

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Double getInitialRate() {
            return initialRate;
        }

        public void setInitialRate(Double initialRate) {
            this.initialRate = initialRate;
        }

        public Double getMinRate() {
            return minRate;
        }

        public void setMinRate(Double minRate) {
            this.minRate = minRate;
        }

        public Double getMaxRate() {
            return maxRate;
        }

        public void setMaxRate(Double maxRate) {
            this.maxRate = maxRate;
        }

        public Double getIncreaseStep() {
            return increaseStep;
        }

        public void setIncreaseStep(Double increaseStep) {
            this.increaseStep = increaseStep;
        }

        public Double getDecreaseFactor() {
            return decreaseFactor;
        }

        public void setDecreaseFactor(Double decreaseFactor) {
            this.decreaseFactor = decreaseFactor;
        }

        public Duration getCutWindow() {
            return cutWindow;
        }

        public void setCutWindow(Duration cutWindow) {
            this.cutWindow = cutWindow;
        }

        public Integer getBurst() {
            return burst;
        }

        public void setBurst(Integer burst) {
            this.burst = burst;
        }

        public Boolean getSlowStart() {
            return slowStart;
        }

        public void setSlowStart(Boolean slowStart) {
            this.slowStart = slowStart;
        }

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

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getAccount() {
            return account;
        }

        public void setAccount(String account) {
            this.account = account;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getRetryInterval() {
            return retryInterval;
        }

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

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
