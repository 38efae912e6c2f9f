package io.github.cloudmap.watcher.e2e;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/** The real SDK async client over Netty, pointed at an emulator: what each end-to-end test starts from. */
final class E2eClients {

    private E2eClients() {}

    /** A builder with the emulator's endpoint, a Region, test credentials and the Netty client; add what the test needs. */
    static ServiceDiscoveryAsyncClientBuilder builder(CloudMapEmulator emulator) {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder());
    }
}
