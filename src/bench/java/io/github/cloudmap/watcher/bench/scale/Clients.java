package io.github.cloudmap.watcher.bench.scale;

import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** The clients the contenders use, all with the SDK's default Netty HTTP client over loopback. */
final class Clients {

    private Clients() {
    }

    /** The SDK's defaults: what {@code ServiceDiscoveryAsyncClient.create()} gives a user. */
    static ServiceDiscoveryAsyncClient sdkDefaults(URI endpoint) {
        return build(endpoint, o -> { });
    }

    /** SDK retries off: the caller is the only retry layer. */
    static ServiceDiscoveryAsyncClient noRetries(URI endpoint) {
        return build(endpoint, o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    /** AWS's own client-side rate limiting. */
    static ServiceDiscoveryAsyncClient adaptive(URI endpoint) {
        return build(endpoint, o -> o.retryStrategy(RetryMode.ADAPTIVE_V2));
    }

    private static ServiceDiscoveryAsyncClient build(URI endpoint, Consumer<ClientOverrideConfiguration.Builder> o) {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .overrideConfiguration(o)
                .build();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static boolean isThrottle(Throwable e) {
        return unwrap(e) instanceof AwsServiceException service && service.isThrottlingException();
    }
}
