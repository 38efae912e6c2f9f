package io.github.cloudmap.watcher.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * Live, mutable fault plan of a running {@link CloudMapEmulator}: rate limits, random or counted
 * throttling and server errors, latency, hung or reset connections, and failing operations.
 *
 * <p>Thread-safe: every method may be called while requests are being served; each setter
 * returns {@code this} for chaining. {@code action} is the name of one of the 30 operations of
 * Cloud Map's API, such as {@code "GetOperation"}, spelled as in the API; {@code "*"} stands for
 * every action that has no setting of its own (for rate limits, {@code "*"} is one bucket shared
 * by those actions). Any other name throws {@link IllegalArgumentException} naming the closest
 * operations, since a misspelt one would never match a request.
 *
 * <p>Defaults: no faults at all. Random decisions come from a {@link Random} seeded with the
 * emulator seed, and rate limits use the emulator clock, so a run is repeatable. {@link #reset()}
 * clears everything and re-seeds the random source.
 *
 * <p>Order of checks for one request: hang, reset, rate limit, throttleNext, serverErrorNext,
 * throttle probability, server error probability; latency applies to every answer, faulty or not.
 * Throttling answers HTTP 400 {@code ThrottlingException} "Rate exceeded", except for
 * DiscoverInstances(Revision), whose published limit answers {@code RequestLimitExceeded};
 * server errors answer HTTP 500 {@code InternalFailure}.
 *
 * <pre>{@code
 * emulator.faults()
 *         .throttleNext("GetOperation", 2)
 *         .failNextOperations(OperationType.REGISTER_INSTANCE, 1, "THROTTLED_REQUEST", "Rate exceeded")
 *         .instanceHealth(serviceId, "i-1", HealthStatus.UNHEALTHY); // its Route 53 health check fails
 * }</pre>
 */
public final class FaultInjector {

    /** A failure planned for the next operations of one type. */
    record PlannedFailure(String errorCode, String errorMessage) { }

    private static final String ALL = ActionNames.ALL;

    private final Clock clock;
    private final long seed;
    private Random random;
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, Double> throttleProbability = new HashMap<>();
    private final Map<String, Double> serverErrorProbability = new HashMap<>();
    private final Map<String, Duration> latency = new HashMap<>();
    private final Map<String, Integer> hangNext = new HashMap<>();
    private final Map<String, Integer> resetNext = new HashMap<>();
    private final Map<String, Integer> throttleNext = new HashMap<>();
    private final Map<String, Integer> serverErrorNext = new HashMap<>();
    private final Map<OperationType, Integer> failNextCount = new EnumMap<>(OperationType.class);
    private final Map<OperationType, PlannedFailure> failNextPlan = new EnumMap<>(OperationType.class);
    /** Route 53 health by "serviceId/instanceId". */
    private final Map<String, String> route53Health = new HashMap<>();

    FaultInjector(Clock clock, long seed) {
        this.clock = clock;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * Limits {@code action} with a token bucket that starts full with {@code burst} tokens and
     * refills {@code permitsPerSecond} per second of emulator clock time.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param permitsPerSecond the refill rate
     * @param burst the bucket's size
     * @return this injector
     * @throws IllegalArgumentException if action is unknown, permitsPerSecond is not positive or
     *         burst is below 1
     */
    public synchronized FaultInjector rateLimit(String action, double permitsPerSecond, int burst) {
        buckets.put(ActionNames.requireKnown(action), new TokenBucket(permitsPerSecond, burst, clock.instant()));
        return this;
    }

    /**
     * Applies the request limits AWS's own controller takes as Cloud Map's defaults, and the
     * published DiscoverInstances limit: GetOperation 100/s (burst 200), RegisterInstance and
     * DeregisterInstance 50/s (burst 100), CreateService 5/s, ListServices 2/s, ListNamespaces and
     * CreateHttpNamespace 0.5/s (burst 1), ListInstances and GetService 50/s, DiscoverInstances
     * 1,000/s (burst 2,000), and the published DiscoverInstancesRevision limit, 3,000/s (AWS
     * publishes no burst; the emulator allows one second's worth). Other actions stay unlimited.
     *
     * @return this injector
     */
    public synchronized FaultInjector realisticLimits() {
        rateLimit("GetOperation", 100, 200);
        rateLimit("RegisterInstance", 50, 100);
        rateLimit("DeregisterInstance", 50, 100);
        rateLimit("CreateService", 5, 5);
        rateLimit("ListServices", 2, 2);
        rateLimit("ListNamespaces", 0.5, 1);
        rateLimit("CreateHttpNamespace", 0.5, 1);
        rateLimit("ListInstances", 50, 50);
        rateLimit("GetService", 50, 50);
        rateLimit("DiscoverInstances", 1000, 2000);
        rateLimit("DiscoverInstancesRevision", 3000, 3000);
        return this;
    }

    /**
     * Answers {@code ThrottlingException} to each request of {@code action} with probability p.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param p the probability, 0 to 1
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or p is outside [0, 1]
     */
    public synchronized FaultInjector throttleProbability(String action, double p) {
        throttleProbability.put(ActionNames.requireKnown(action), checkProbability(p));
        return this;
    }

    /**
     * Answers HTTP 500 {@code InternalFailure} to each request of {@code action} with probability p.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param p the probability, 0 to 1
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or p is outside [0, 1]
     */
    public synchronized FaultInjector serverErrorProbability(String action, double p) {
        serverErrorProbability.put(ActionNames.requireKnown(action), checkProbability(p));
        return this;
    }

    /**
     * Delays every answer to {@code action} by {@code delay} (without blocking a thread).
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param delay the added delay; zero for none
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or delay is negative
     */
    public synchronized FaultInjector latency(String action, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        latency.put(ActionNames.requireKnown(action), delay);
        return this;
    }

    /**
     * The next n requests of {@code action} are never answered; the connection stays open.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param n how many requests
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or n is negative
     */
    public synchronized FaultInjector hangNext(String action, int n) {
        hangNext.put(ActionNames.requireKnown(action), checkCount(n));
        return this;
    }

    /**
     * The next n requests of {@code action} get their connection closed without an answer.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param n how many requests
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or n is negative
     */
    public synchronized FaultInjector resetNext(String action, int n) {
        resetNext.put(ActionNames.requireKnown(action), checkCount(n));
        return this;
    }

    /**
     * The next n requests of {@code action} are answered {@code ThrottlingException}.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param n how many requests
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or n is negative
     */
    public synchronized FaultInjector throttleNext(String action, int n) {
        throttleNext.put(ActionNames.requireKnown(action), checkCount(n));
        return this;
    }

    /**
     * The next n requests of {@code action} are answered HTTP 500 {@code InternalFailure}.
     *
     * @param action the API action, e.g. {@code "GetOperation"}
     * @param n how many requests
     * @return this injector
     * @throws IllegalArgumentException if action is unknown or n is negative
     */
    public synchronized FaultInjector serverErrorNext(String action, int n) {
        serverErrorNext.put(ActionNames.requireKnown(action), checkCount(n));
        return this;
    }

    /**
     * The next n operations of {@code type} (counted when they are submitted) end {@code FAIL}
     * with this ErrorCode and ErrorMessage, and their effect is not applied.
     *
     * @param type the operation type, e.g. {@code REGISTER_INSTANCE}
     * @param n how many operations
     * @param errorCode for example {@code "THROTTLED_REQUEST"} or {@code "INTERNAL_FAILURE"}
     * @param errorMessage the ErrorMessage; null for the error code itself
     * @return this injector
     * @throws IllegalArgumentException if n is negative or errorCode is blank
     */
    public synchronized FaultInjector failNextOperations(OperationType type, int n, String errorCode,
                                                         String errorMessage) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(errorCode, "errorCode");
        if (errorCode.isBlank()) {
            throw new IllegalArgumentException("errorCode must not be blank");
        }
        failNextCount.put(type, checkCount(n));
        failNextPlan.put(type, new PlannedFailure(errorCode, errorMessage == null ? errorCode : errorMessage));
        return this;
    }

    /**
     * Sets what the Route 53 health check of one instance reports, for a service created with
     * {@code HealthCheckConfig}: without this fault such an instance is HEALTHY, since the
     * emulator probes nothing. UNHEALTHY makes it drop out of {@code DiscoverInstances} with
     * {@code HealthStatus=HEALTHY} and report UNHEALTHY in {@code GetInstancesHealthStatus}, so
     * failover code can be tested; HEALTHY ends the fault. It takes effect on the next request,
     * may be set before the instance is registered, outlives re-registration, and does not
     * change {@code InstancesRevision} (health changes never do). Instances of services with a
     * custom health check change with {@code UpdateInstanceCustomHealthStatus} instead, and
     * services without a health check always report UNKNOWN.
     *
     * @param serviceId the service's ID or ARN
     * @param instanceId the instance's ID
     * @param status    HEALTHY, UNHEALTHY or UNKNOWN
     * @return this injector
     * @throws IllegalArgumentException if serviceId or instanceId is blank, or status is
     *         {@code UNKNOWN_TO_SDK_VERSION}
     */
    public synchronized FaultInjector instanceHealth(String serviceId, String instanceId, HealthStatus status) {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
        if (serviceId.isBlank() || instanceId.isBlank()) {
            throw new IllegalArgumentException("serviceId and instanceId must not be blank");
        }
        if (status == HealthStatus.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("status must be HEALTHY, UNHEALTHY or UNKNOWN, got " + status);
        }
        String key = healthKey(EmulatorState.idOf(serviceId), instanceId);
        if (status == HealthStatus.HEALTHY) {
            route53Health.remove(key);
        } else {
            route53Health.put(key, status.toString());
        }
        return this;
    }

    /**
     * Removes every fault and re-seeds the random source, as if the emulator had just started.
     *
     * @return this injector
     */
    public synchronized FaultInjector reset() {
        buckets.clear();
        throttleProbability.clear();
        serverErrorProbability.clear();
        latency.clear();
        hangNext.clear();
        resetNext.clear();
        throttleNext.clear();
        serverErrorNext.clear();
        failNextCount.clear();
        failNextPlan.clear();
        route53Health.clear();
        random = new Random(seed);
        return this;
    }

    /** Decides the fate of one request of {@code action}; consumes counters and tokens. */
    synchronized FaultDecision decide(String action) {
        Duration delay = lookup(latency, action, Duration.ZERO);
        if (take(hangNext, action)) {
            return new FaultDecision(FaultDecision.Kind.HANG, delay, null);
        }
        if (take(resetNext, action)) {
            return new FaultDecision(FaultDecision.Kind.RESET, delay, null);
        }
        TokenBucket bucket = buckets.containsKey(action) ? buckets.get(action) : buckets.get(ALL);
        if (bucket != null && !bucket.tryAcquire(clock.instant())) {
            return error(delay, throttle(action));
        }
        if (take(throttleNext, action)) {
            return error(delay, throttle(action));
        }
        if (take(serverErrorNext, action)) {
            return error(delay, serverError(action));
        }
        double pThrottle = lookup(throttleProbability, action, 0.0);
        if (pThrottle > 0 && random.nextDouble() < pThrottle) {
            return error(delay, throttle(action));
        }
        double pError = lookup(serverErrorProbability, action, 0.0);
        if (pError > 0 && random.nextDouble() < pError) {
            return error(delay, serverError(action));
        }
        return FaultDecision.none(delay);
    }

    /** Consumes one planned failure for a newly submitted operation of {@code type}, if any. */
    synchronized Optional<PlannedFailure> takeOperationFailure(OperationType type) {
        int left = failNextCount.getOrDefault(type, 0);
        if (left <= 0) {
            return Optional.empty();
        }
        failNextCount.put(type, left - 1);
        return Optional.of(failNextPlan.get(type));
    }

    /** The Route 53 health a fault sets for this instance, if any. */
    synchronized Optional<String> route53Health(String serviceId, String instanceId) {
        return Optional.ofNullable(route53Health.get(healthKey(serviceId, instanceId)));
    }

    private static String healthKey(String serviceId, String instanceId) {
        return serviceId + "/" + instanceId;
    }

    private static CloudMapError throttle(String action) {
        if (action.startsWith("DiscoverInstances")) {
            return CloudMapError.of("RequestLimitExceeded", "Rate exceeded");
        }
        return CloudMapError.of("ThrottlingException", "Rate exceeded");
    }

    private static CloudMapError serverError(String action) {
        return new CloudMapError("InternalFailure", 500,
                "Injected internal failure for " + action + "; retry the request");
    }

    private static FaultDecision error(Duration delay, CloudMapError error) {
        return new FaultDecision(FaultDecision.Kind.ERROR, delay, error);
    }

    private static <V> V lookup(Map<String, V> map, String action, V fallback) {
        V own = map.get(action);
        if (own != null) {
            return own;
        }
        return map.getOrDefault(ALL, fallback);
    }

    /** Takes one from the action's own counter, else from the "*" counter. */
    private static boolean take(Map<String, Integer> counters, String action) {
        for (String key : new String[] {action, ALL}) {
            int left = counters.getOrDefault(key, 0);
            if (left > 0) {
                counters.put(key, left - 1);
                return true;
            }
        }
        return false;
    }

    private static double checkProbability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability must be within [0, 1], got " + p);
        }
        return p;
    }

    private static int checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        return n;
    }
}
