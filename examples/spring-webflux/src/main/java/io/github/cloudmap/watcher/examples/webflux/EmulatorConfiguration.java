package io.github.cloudmap.watcher.examples.webflux;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * The {@code emulator} profile: starts the embedded Cloud Map emulator, defines the application's
 * own client for it (which the auto-configuration then uses instead of building one), and, once
 * the application runs, creates a namespace and a service to register into and logs its ID:
 * <pre>
 * Emulator at http://127.0.0.1:4566: register into service srv-...
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
@Profile("emulator")
public class EmulatorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmulatorConfiguration.class);

    @Bean(destroyMethod = "close")
    CloudMapEmulator cloudMapEmulator(@Value("${example.emulator.port:4566}") int port) {
        return CloudMapEmulator.builder().port(port).start();
    }

    @Bean(destroyMethod = "close")
    ServiceDiscoveryAsyncClient emulatorClient(CloudMapEmulator emulator) {
        return ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                // The emulator checks no signature; the SDK needs something to sign with.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
                .build();
    }

    /** Creates the namespace and the service to register into, waiting with the watcher itself. */
    @Bean
    ApplicationRunner createExampleService(CloudMapEmulator emulator, ServiceDiscoveryAsyncClient client,
            OperationWatcher watcher) {
        return args -> {
            Operation created = watcher.submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(r -> r
                            .name("example.local").creatorRequestId("example-namespace")
                            .overrideConfiguration(OperationWatcher.requestOverrides())))
                    .map(CreateHttpNamespaceResponse::operationId))
                    .block(Duration.ofMinutes(1));
            String namespaceId = created.targetsAsStrings().get("NAMESPACE");
            String serviceId = client.createService(r -> r.name("api").namespaceId(namespaceId)).get().service().id();
            log.info("Emulator at {}: register into service {}", emulator.endpoint(), serviceId);
        };
    }
}
