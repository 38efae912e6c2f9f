package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicediscovery.model.InvalidInputException;
import software.amazon.awssdk.services.servicediscovery.model.Service;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAttributes;
import software.amazon.awssdk.services.servicediscovery.model.ServiceAttributesLimitExceededException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceNotFoundException;

/** Service attributes through the real SDK: set, merged, deleted, and limited to 30 per service. */
class ServiceAttributesIT {

    private EmulatorFixture fx;
    private Service service;

    @BeforeEach
    void start() {
        fx = new EmulatorFixture();
        service = fx.service(fx.httpNamespace("shop"), "cart", r -> { });
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private ServiceAttributes attributes(String idOrArn) {
        return join(fx.client.getServiceAttributes(r -> r.serviceId(idOrArn))).serviceAttributes();
    }

    private static Map<String, String> numbered(int count, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < count; i++) {
            out.put(prefix + i, "v" + i);
        }
        return out;
    }

    @Test
    void attributesAreSetMergedAndDeleted() {
        ServiceAttributes none = attributes(service.id());
        assertThat(none.serviceArn()).isEqualTo(service.arn());
        assertThat(none.resourceOwner()).isEqualTo(fx.emulator.accountId());
        assertThat(none.attributes()).isEmpty();

        join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id()).attributes(Map.of("a", "1", "b", "2"))));
        join(fx.client.updateServiceAttributes(r -> r.serviceId(service.arn()).attributes(Map.of("b", "3", "c", ""))));
        assertThat(attributes(service.arn()).attributes()).containsOnly(Map.entry("a", "1"), Map.entry("b", "3"),
                Map.entry("c", ""));

        join(fx.client.deleteServiceAttributes(r -> r.serviceId(service.id()).attributes("a", "nope")));
        assertThat(attributes(service.id()).attributes()).containsOnly(Map.entry("b", "3"), Map.entry("c", ""));
    }

    @Test
    void aServiceHoldsAtMost30Attributes() {
        join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id()).attributes(numbered(25, "a"))));
        assertThatThrownBy(() -> join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id())
                .attributes(numbered(6, "b"))))).isInstanceOf(ServiceAttributesLimitExceededException.class);
        assertThat(attributes(service.id()).attributes()).as("a refused update changes nothing").hasSize(25);
        join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id()).attributes(numbered(5, "b"))));
        assertThat(attributes(service.id()).attributes()).hasSize(30);
        // Overwriting an existing key adds none.
        join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id()).attributes(Map.of("a0", "new"))));

        assertThatThrownBy(() -> join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id())
                .attributes(numbered(31, "c"))))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id())
                .attributes(Map.of())))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> join(fx.client.updateServiceAttributes(r -> r.serviceId(service.id())
                .attributes(Map.of("k", "v".repeat(1025)))))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> join(fx.client.deleteServiceAttributes(r -> r.serviceId(service.id())
                .attributes(java.util.List.of())))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void unknownServicesAreServiceNotFound() {
        String nope = "srv-nope000000000000";
        assertThatThrownBy(() -> attributes(nope)).isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> join(fx.client.updateServiceAttributes(r -> r.serviceId(nope)
                .attributes(Map.of("a", "1"))))).isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> join(fx.client.deleteServiceAttributes(r -> r.serviceId(nope).attributes("a"))))
                .isInstanceOf(ServiceNotFoundException.class);
    }
}
