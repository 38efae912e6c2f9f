package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.CustomHealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.GetInstancesHealthStatusResponse;
import software.amazon.awssdk.services.servicediscovery.model.HealthCheckType;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatusFilter;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InstanceNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;

/**
 * The health model through the real SDK: custom health checks (AWS_INIT_HEALTH_STATUS,
 * UpdateInstanceCustomHealthStatus), Route 53 health checks (HEALTHY unless a fault says
 * otherwise), services without a health check (UNKNOWN), and the DiscoverInstances filters.
 */
class HealthIT {

    private EmulatorFixture fx;
    private String namespaceId;

    @BeforeEach
    void start() {
        fx = new EmulatorFixture();
        namespaceId = fx.httpNamespace("shop");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private Map<String, HealthStatus> health(String serviceId) {
        return join(fx.client.getInstancesHealthStatus(r -> r.serviceId(serviceId))).status();
    }

    private List<String> discover(String service, HealthStatusFilter filter) {
        DiscoverInstancesResponse answer = join(fx.client.discoverInstances(r -> r.namespaceName("shop")
                .serviceName(service).healthStatus(filter)));
        return answer.instances().stream().map(HttpInstanceSummary::instanceId).sorted().toList();
    }

    private void setCustom(String serviceId, String instanceId, CustomHealthStatus status) {
        join(fx.client.updateInstanceCustomHealthStatus(r -> r.serviceId(serviceId).instanceId(instanceId)
                .status(status)));
    }

    @Test
    void customHealthStartsPerAwsInitHealthStatusAndChangesWithUpdateInstanceCustomHealthStatus() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        fx.register(service, "default", Map.of());
        fx.register(service, "sick", Map.of("AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
        fx.register(service, "well", Map.of("AWS_INIT_HEALTH_STATUS", "HEALTHY"));

        assertThat(health(service)).containsExactly(Map.entry("default", HealthStatus.HEALTHY),
                Map.entry("sick", HealthStatus.UNHEALTHY), Map.entry("well", HealthStatus.HEALTHY));

        setCustom(service, "sick", CustomHealthStatus.HEALTHY);
        setCustom(service, "well", CustomHealthStatus.UNHEALTHY);
        assertThat(health(service)).containsEntry("sick", HealthStatus.HEALTHY)
                .containsEntry("well", HealthStatus.UNHEALTHY);
        assertThat(discover("cart", HealthStatusFilter.HEALTHY)).containsExactly("default", "sick");
        assertThat(discover("cart", HealthStatusFilter.UNHEALTHY)).containsExactly("well");
        assertThat(discover("cart", HealthStatusFilter.ALL)).containsExactly("default", "sick", "well");

        DiscoverInstancesResponse all = join(fx.client.discoverInstances(r -> r.namespaceName("shop").serviceName("cart")));
        assertThat(all.instances()).allSatisfy(i -> assertThat(i.healthStatus())
                .isEqualTo("well".equals(i.instanceId()) ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY));
    }

    @Test
    void reRegisteringReplacesTheCustomHealthCheck() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        fx.register(service, "i-1", Map.of());
        setCustom(service, "i-1", CustomHealthStatus.UNHEALTHY);
        fx.register(service, "i-1", Map.of("v", "2"));
        assertThat(health(service)).containsExactly(Map.entry("i-1", HealthStatus.HEALTHY));
    }

    @Test
    void healthyOrElseAllFailsOpenWhenNoInstanceIsHealthy() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        fx.register(service, "a", Map.of("AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
        fx.register(service, "b", Map.of());
        assertThat(discover("cart", HealthStatusFilter.HEALTHY_OR_ELSE_ALL)).containsExactly("b");

        setCustom(service, "b", CustomHealthStatus.UNHEALTHY);
        assertThat(discover("cart", HealthStatusFilter.HEALTHY)).isEmpty();
        assertThat(discover("cart", HealthStatusFilter.HEALTHY_OR_ELSE_ALL)).containsExactly("a", "b");
    }

    @Test
    void route53HealthIsHealthyUnlessAFaultSaysOtherwise() {
        String service = fx.service(namespaceId, "web", r -> r.healthCheckConfig(h -> h.type(HealthCheckType.HTTP)))
                .id();
        Map<String, String> port = Map.of("AWS_INSTANCE_PORT", "8080");
        fx.register(service, "i-1", port);
        fx.register(service, "i-2", port);
        assertThat(health(service)).containsOnly(Map.entry("i-1", HealthStatus.HEALTHY),
                Map.entry("i-2", HealthStatus.HEALTHY));

        fx.emulator.faults().instanceHealth(service, "i-2", HealthStatus.UNHEALTHY);
        assertThat(health(service)).containsEntry("i-2", HealthStatus.UNHEALTHY);
        assertThat(discover("web", HealthStatusFilter.HEALTHY)).containsExactly("i-1");
        assertThat(discover("web", HealthStatusFilter.UNHEALTHY)).containsExactly("i-2");

        // The fault is keyed by the service's ID or ARN alike, and HEALTHY ends it.
        String arn = join(fx.client.getService(r -> r.id(service))).service().arn();
        fx.emulator.faults().instanceHealth(arn, "i-2", HealthStatus.HEALTHY);
        assertThat(discover("web", HealthStatusFilter.HEALTHY)).containsExactly("i-1", "i-2");
        fx.emulator.faults().instanceHealth(service, "i-1", HealthStatus.UNHEALTHY).reset();
        assertThat(health(service)).containsEntry("i-1", HealthStatus.HEALTHY);
    }

    @Test
    void aRoute53HealthCheckCannotBeSetWithUpdateInstanceCustomHealthStatus() {
        String checked = fx.service(namespaceId, "web", r -> r.healthCheckConfig(h -> h.type(HealthCheckType.TCP)))
                .id();
        String unchecked = fx.service(namespaceId, "plain", r -> { }).id();
        fx.register(checked, "i-1", Map.of("AWS_INSTANCE_PORT", "80"));
        fx.register(unchecked, "i-1", Map.of());

        assertThatThrownBy(() -> setCustom(checked, "i-1", CustomHealthStatus.UNHEALTHY))
                .isInstanceOf(CustomHealthNotFoundException.class).hasMessageContaining("Route 53 health check");
        assertThatThrownBy(() -> setCustom(unchecked, "i-1", CustomHealthStatus.UNHEALTHY))
                .isInstanceOf(CustomHealthNotFoundException.class).hasMessageContaining("no health check");
        assertThatThrownBy(() -> setCustom(checked, "i-9", CustomHealthStatus.UNHEALTHY))
                .isInstanceOf(InstanceNotFoundException.class);
        assertThatThrownBy(() -> setCustom("srv-nope000000000000", "i-1", CustomHealthStatus.UNHEALTHY))
                .isInstanceOf(ServiceNotFoundException.class);
    }

    @Test
    void withoutAHealthCheckInstancesReportUnknownAndTheFilterIsIgnored() {
        String service = fx.service(namespaceId, "plain", r -> { }).id();
        fx.register(service, "i-1", Map.of("AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
        fx.emulator.faults().instanceHealth(service, "i-1", HealthStatus.UNHEALTHY);

        assertThat(health(service)).containsExactly(Map.entry("i-1", HealthStatus.UNKNOWN));
        assertThat(discover("plain", HealthStatusFilter.HEALTHY)).containsExactly("i-1");
        assertThat(discover("plain", HealthStatusFilter.UNHEALTHY)).containsExactly("i-1");
    }

    @Test
    void getInstancesHealthStatusTakesAListOfInstancesAndPages() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        for (int i = 0; i < 5; i++) {
            fx.register(service, "i-" + i, i % 2 == 0 ? Map.of() : Map.of("AWS_INIT_HEALTH_STATUS", "UNHEALTHY"));
        }
        GetInstancesHealthStatusResponse some = join(fx.client.getInstancesHealthStatus(r -> r.serviceId(service)
                .instances("i-3", "i-0")));
        assertThat(some.status()).containsOnly(Map.entry("i-0", HealthStatus.HEALTHY),
                Map.entry("i-3", HealthStatus.UNHEALTHY));
        assertThatThrownBy(() -> join(fx.client.getInstancesHealthStatus(r -> r.serviceId(service)
                .instances("i-0", "i-9")))).isInstanceOf(InstanceNotFoundException.class).hasMessageContaining("i-9");

        Map<String, HealthStatus> all = new LinkedHashMap<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String current = token;
            GetInstancesHealthStatusResponse page = join(fx.client.getInstancesHealthStatus(r -> r.serviceId(service)
                    .maxResults(2).nextToken(current)));
            all.putAll(page.status());
            pageSizes.add(page.status().size());
            token = page.nextToken();
        } while (token != null);
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(all).containsOnlyKeys("i-0", "i-1", "i-2", "i-3", "i-4");
        assertThatThrownBy(() -> join(fx.client.getInstancesHealthStatus(r -> r.serviceId(service).maxResults(101))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("MaxResults");
    }

    @Test
    void healthChangesDoNotChangeTheInstancesRevision() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        fx.register(service, "i-1", Map.of());
        long before = join(fx.client.discoverInstancesRevision(r -> r.namespaceName("shop").serviceName("cart")))
                .instancesRevision();
        setCustom(service, "i-1", CustomHealthStatus.UNHEALTHY);
        assertThat(join(fx.client.discoverInstancesRevision(r -> r.namespaceName("shop").serviceName("cart")))
                .instancesRevision()).as("the model: health status updates don't update InstancesRevision")
                .isEqualTo(before);
    }

    @Test
    void awsInitHealthStatusTakesOnlyHealthyOrUnhealthy() {
        String service = fx.service(namespaceId, "cart", r -> r.healthCheckCustomConfig(c -> { })).id();
        assertThatThrownBy(() -> fx.register(service, "i-1", Map.of("AWS_INIT_HEALTH_STATUS", "SICK")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("AWS_INIT_HEALTH_STATUS");
        assertThat(fx.emulator.operations()).hasSize(1); // the namespace's creation only
    }
}
