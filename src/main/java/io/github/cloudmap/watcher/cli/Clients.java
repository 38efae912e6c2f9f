package io.github.cloudmap.watcher.cli;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/**
 * Builds the SDK clients the command line uses: Netty HTTP, and the SDK's own retries turned
 * off, so that the {@link io.github.cloudmap.watcher.OperationWatcher} is the one layer that
 * retries (retries stacked on retries multiply the requests a throttled account sends).
 *
 * <p>Stateless and thread-safe. Each client owns its Netty event loop: close it.
 *
 * <pre>{@code
 * try (ServiceDiscoveryAsyncClient client = Clients.aws(Region.US_EAST_1, null)) { ... }
 * }</pre>
 */
public final class Clients {

    /** The region the demo and the emulator examples sign for; the emulator accepts any. */
    public static final Region EMULATOR_REGION = Region.US_EAST_1;

    private Clients() {}

    /**
     * A client with the default AWS credential chain.
     *
     * @param region the region, or null for the default region provider chain
     *        ({@code AWS_REGION}, {@code ~/.aws/config}, ...)
     * @param endpoint an endpoint override, or null
     * @throws software.amazon.awssdk.core.exception.SdkClientException if no region is given and
     *         none can be found
     */
    public static ServiceDiscoveryAsyncClient aws(Region region, URI endpoint) {
        ServiceDiscoveryAsyncClientBuilder builder = base(endpoint);
        if (region != null) {
            builder.region(region);
        }
        return builder.build();
    }

    /**
     * A client for an emulator: dummy static credentials (the emulator does not check
     * signatures), region {@link #EMULATOR_REGION}.
     *
     * @throws NullPointerException if {@code endpoint} is null
     */
    public static ServiceDiscoveryAsyncClient emulator(URI endpoint) {
        java.util.Objects.requireNonNull(endpoint, "endpoint");
        return base(endpoint)
                .region(EMULATOR_REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
                .build();
    }

    private static ServiceDiscoveryAsyncClientBuilder base(URI endpoint) {
        ServiceDiscoveryAsyncClientBuilder builder = ServiceDiscoveryAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
