package io.github.cloudmap.watcher.junit;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/**
 * One running emulator with the client and watcher injected beside it; kept in a JUnit store,
 * which closes it (client first) when its scope ends. Thread-safe: fixed after construction.
 */
final class EmulatorResources implements AutoCloseable {

    final EmulatorSettings settings;
    final CloudMapEmulator emulator;
    final ServiceDiscoveryAsyncClient client;
    final OperationWatcher watcher;

    private EmulatorResources(EmulatorSettings settings, CloudMapEmulator emulator, ServiceDiscoveryAsyncClient client,
            OperationWatcher watcher) {
        this.settings = settings;
        this.emulator = emulator;
        this.client = client;
        this.watcher = watcher;
    }

    static EmulatorResources start(EmulatorSettings settings) {
        CloudMapEmulator.Builder builder = CloudMapEmulator.builder();
        settings.emulator().accept(builder);
        CloudMapEmulator emulator = builder.start();
        try {
            ServiceDiscoveryAsyncClientBuilder clientBuilder = clientBuilder(emulator);
            settings.client().accept(clientBuilder);
            // overrideConfiguration(Consumer) replaces the whole override configuration: put the
            // emulator's host-prefix setting back in case the test's adjustment dropped it.
            clientBuilder.overrideConfiguration(clientBuilder.overrideConfiguration().toBuilder()
                    .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true).build());
            ServiceDiscoveryAsyncClient client = clientBuilder.build();
            OperationWatcherBuilder watcherBuilder = OperationWatcher.builder(client);
            settings.watcher().accept(watcherBuilder);
            EmulatorResources resources = new EmulatorResources(settings, emulator, client, watcherBuilder.build());
            settings.faults().accept(emulator.faults());
            return resources;
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /** The emulator's own client builder, on the shared event loop. */
    static ServiceDiscoveryAsyncClientBuilder clientBuilder(CloudMapEmulator emulator) {
        return emulator.clientBuilder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().eventLoopGroup(SharedEventLoop.GROUP));
    }

    /** Back to the start state, with the configured faults applied again. */
    void reset() {
        emulator.reset();
        settings.faults().accept(emulator.faults());
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            emulator.close();
        }
    }

    /**
     * One Netty event loop for every client the extension builds: a client given its loop leaves
     * it running when closed, instead of waiting out Netty's two-second quiet period after each
     * class or method. Its threads are daemons, so it never holds the JVM open.
     */
    private static final class SharedEventLoop {
        static final SdkEventLoopGroup GROUP = SdkEventLoopGroup.builder().numberOfThreads(2).build();
    }
}
