package example;

import io.github.cloudmap.watcher.OperationWatcher;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClientBuilder;

/** A Spring Boot application that wires the SDK client and the watcher by hand. */
@SpringBootApplication
public class WatcherApplication {

    public static void main(String[] args) {
        SpringApplication.run(WatcherApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    ServiceDiscoveryAsyncClient cloudMapClient(@Value("${cloudmap.endpoint:}") String endpoint) {
        ServiceDiscoveryAsyncClientBuilder builder = ServiceDiscoveryAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBOOT", "boot-secret")));
        }
        return builder.build();
    }

    @Bean
    OperationWatcher operationWatcher(ServiceDiscoveryAsyncClient cloudMapClient) {
        return OperationWatcher.create(cloudMapClient);
    }
}
