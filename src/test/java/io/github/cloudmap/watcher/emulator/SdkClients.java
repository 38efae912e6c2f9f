package io.github.cloudmap.watcher.emulator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/** Builds the real AWS SDK client against an emulator, without retries so fault counts are exact. */
final class SdkClients {

    /**
     * One event loop for every test client: closing a client then leaves it running, instead of
     * waiting for Netty's two-second quiet period on every test.
     */
    private static final SdkEventLoopGroup EVENT_LOOP = SdkEventLoopGroup.builder().numberOfThreads(2).build();

    private SdkClients() {
    }

    static ServiceDiscoveryAsyncClient client(CloudMapEmulator emulator) {
        return client(emulator, Duration.ofSeconds(10));
    }

    static ServiceDiscoveryAsyncClient client(CloudMapEmulator emulator, Duration apiCallTimeout) {
        return emulator.clientBuilder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().eventLoopGroup(EVENT_LOOP))
                // Replaces the builder's override configuration: the host prefix stays off (clientBuilder()).
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(apiCallTimeout)
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    /** Waits (bounded) for an SDK call and unwraps the CompletionException around its failure. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("SDK call did not finish within 15 s", e);
        }
    }
}
