package io.github.cloudmap.watcher.spring.test;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.spring.CloudMapWatcherAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The client {@link AutoConfigureCloudMapEmulator} puts in place of the auto-configured one: runs
 * before {@link CloudMapWatcherAutoConfiguration}, whose client then backs off and whose watcher
 * polls through this one. Backs off itself when the application defines a client of its own.
 * Imported by the annotation only (not listed as an auto-configuration).
 */
@AutoConfiguration(before = CloudMapWatcherAutoConfiguration.class)
public class CloudMapEmulatorTestAutoConfiguration {

    /**
     * The emulator's client (endpoint, Region, test credentials, Netty); closed with the context.
     *
     * @param emulator the test's emulator
     * @return the client
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnBean(CloudMapEmulator.class)
    @ConditionalOnMissingBean(ServiceDiscoveryAsyncClient.class)
    public ServiceDiscoveryAsyncClient cloudMapServiceDiscoveryAsyncClient(CloudMapEmulator emulator) {
        return emulator.clientBuilder().build();
    }
}
