package io.github.cloudmap.watcher.cli;

import java.net.URI;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * Makes the Cloud Map client a command talks to. The command line uses {@link Clients#aws};
 * tests pass a factory that returns a scripted client.
 *
 * <p>Implementations must be thread-safe. The command closes the client it was given.
 *
 * <pre>{@code
 * ClientFactory scripted = (region, endpoint) -> ScriptedServiceDiscoveryClient.create();
 * }</pre>
 */
@FunctionalInterface
public interface ClientFactory {

    /**
     * A client for the region and endpoint the user chose.
     *
     * @param region the region, or null to use the SDK's default region provider chain
     * @param endpoint an endpoint override (an emulator, a VPC endpoint), or null for AWS's
     * @throws software.amazon.awssdk.core.exception.SdkClientException if no region can be found
     */
    ServiceDiscoveryAsyncClient create(Region region, URI endpoint);
}
