package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.OperationWatcher;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ApiName;
import software.amazon.awssdk.core.SdkPlugin;

/**
 * The per-request configuration on every request the watcher sends: the SDK does not retry it
 * (the watcher is the one retry layer, and its retries draw from the rate budget, where the
 * SDK's would not), and the User-Agent names this library the way the SDK's own waiters do.
 *
 * <p>A request-level {@link SdkPlugin} can replace the retry strategy for one request (measured
 * with SDK 2.40.2: a throttled GetOperation sent once instead of four times), so this works
 * whatever client the user built. Stateless and thread-safe. Not part of the public API.
 */
final class RequestOverrides {

    /** The {@code ApiName} in the User-Agent. */
    static final String API_NAME = "cloudmap-operation-watcher";

    /** This library's version from the jar's manifest, or "dev" when it runs from classes. */
    static final String VERSION = version();

    private static final SdkPlugin NO_SDK_RETRIES = config ->
            config.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));

    private static final ApiName MARKER = ApiName.builder().name(API_NAME).version(VERSION).build();

    /** Applies both to a request's override configuration. */
    static final Consumer<AwsRequestOverrideConfiguration.Builder> APPLY =
            b -> b.addApiName(MARKER).addPlugin(NO_SDK_RETRIES);

    /**
     * The same, built once: the configuration is immutable, so every poll loop's request shares
     * it instead of holding a copy of its own (a few hundred bytes per waiting watch).
     */
    static final AwsRequestOverrideConfiguration CONFIGURATION =
            AwsRequestOverrideConfiguration.builder().applyMutation(APPLY).build();

    private RequestOverrides() {}

    private static String version() {
        String v = OperationWatcher.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v.strip();
    }
}
