package io.github.cloudmap.watcher.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;

/**
 * The registration's auto-configuration with {@link ApplicationContextRunner}: off by default,
 * the order of web server, readiness, registration and deregistration, failures at startup, the
 * properties and their refusals, the health indicator.
 */
class CloudMapRegistrationAutoConfigurationTest {

    private static final String R = "cloudmap.watcher.registration.";

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final Recorder recorder = new Recorder(client);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class,
                    CloudMapRegistrationAutoConfiguration.class))
            .withBean(ServiceDiscoveryAsyncClient.class, () -> client)
            .withBean(Recorder.class, () -> recorder)
            .withBean(FakeWebServerLifecycle.class, FakeWebServerLifecycle::new)
            .withPropertyValues("cloudmap.watcher.poll-interval.initial=10ms", "cloudmap.watcher.poll-interval.max=20ms");

    private final ApplicationContextRunner enabled = runner.withPropertyValues(R + "enabled=true", R + "service-id=srv-1");

    /** The web server's start as Spring Boot does it: a lifecycle in phase MAX - 2048 that announces the port. */
    static final class FakeWebServerLifecycle implements SmartLifecycle, org.springframework.context.ApplicationEventPublisherAware {
        private ApplicationEventPublisher events;
        private volatile boolean running;

        @Override
        public void setApplicationEventPublisher(ApplicationEventPublisher events) {
            this.events = events;
        }

        @Override
        public void start() {
            ReactiveWebServerApplicationContext management = new ReactiveWebServerApplicationContext();
            management.setServerNamespace("management");
            events.publishEvent(new ReactiveWebServerInitializedEvent(server(9090), management));
            events.publishEvent(new ReactiveWebServerInitializedEvent(server(8085), new ReactiveWebServerApplicationContext()));
            running = true;
        }

        private static WebServer server(int port) {
            return new WebServer() {
                @Override
                public void start() {}

                @Override
                public void stop() {}

                @Override
                public int getPort() {
                    return port;
                }
            };
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return Integer.MAX_VALUE - 2048;
        }
    }

    /** What happened, in order, with the RegisterInstance requests sent at that moment. */
    static final class Recorder implements ApplicationListener<ApplicationEvent> {
        final List<String> log = new CopyOnWriteArrayList<>();
        private final ScriptedServiceDiscoveryClient client;

        Recorder(ScriptedServiceDiscoveryClient client) {
            this.client = client;
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            long sent = client.requests().stream().filter(RegisterInstanceRequest.class::isInstance).count();
            if (event instanceof AvailabilityChangeEvent<?> availability) {
                log.add(availability.getState() + " after " + sent + " RegisterInstance");
            } else if (event instanceof ReactiveWebServerInitializedEvent web
                    && web.getApplicationContext().getServerNamespace() == null) {
                log.add("web server on " + web.getWebServer().getPort());
            } else if (event instanceof CloudMapInstanceEvent instance) {
                log.add(instance.getClass().getSimpleName() + " " + instance.instanceId() + " " + instance.operation().id()
                        + " " + instance.operation().status());
            }
        }
    }

    private List<RegisterInstanceRequest> registrations() {
        return client.requests().stream().filter(RegisterInstanceRequest.class::isInstance)
                .map(RegisterInstanceRequest.class::cast).toList();
    }

    private List<DeregisterInstanceRequest> deregistrations() {
        return client.requests().stream().filter(DeregisterInstanceRequest.class::isInstance)
                .map(DeregisterInstanceRequest.class::cast).toList();
    }

    private void scriptSuccess() {
        client.submissions().operationIds("op-register", "op-deregister");
        client.script("op-register").submitted().pending().success();
        client.script("op-deregister").type(OperationType.DEREGISTER_INSTANCE).pending().success();
    }

    @Test
    void offByDefault_noBeanAndNoRequest() {
        runner.withPropertyValues(R + "service-id=srv-1").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(OperationWatcher.class)
                    .doesNotHaveBean(CloudMapInstanceRegistration.class)
                    .doesNotHaveBean(CloudMapRegistrationHealthIndicator.class);
        });
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void registersAfterTheWebServerStartedWhileRefusingTrafficThenDeregistersOnClose() {
        scriptSuccess();
        enabled.run(context -> {
            assertThat(context).hasNotFailed();
            CloudMapInstanceRegistration registration = context.getBean(CloudMapInstanceRegistration.class);
            assertThat(registration.state().phase()).isEqualTo(RegistrationState.Phase.REGISTERED);
            assertThat(registration.isRunning()).isTrue();
            RegisterInstanceRequest request = registrations().get(0);
            assertThat(request.serviceId()).isEqualTo("srv-1");
            assertThat(request.attributes()).as("the main server's port, not the management server's")
                    .containsEntry("AWS_INSTANCE_PORT", "8085").containsKey("AWS_INSTANCE_IPV4");
            assertThat(request.instanceId()).endsWith("-8085").isEqualTo(registration.instanceId());
            assertThat(request.creatorRequestId()).isNotBlank();
            assertThat(deregistrations()).isEmpty();
        });
        assertThat(deregistrations()).hasSize(1);
        assertThat(recorder.log).containsExactly(
                "web server on 8085",
                "REFUSING_TRAFFIC after 0 RegisterInstance",
                "InstanceRegisteredEvent " + registrations().get(0).instanceId() + " op-register SUCCESS",
                "InstanceDeregisteredEvent " + registrations().get(0).instanceId() + " op-deregister SUCCESS");
    }

    @Test
    void propertiesReachTheRequest() {
        scriptSuccess();
        enabled.withPropertyValues(R + "instance-id=web-1", R + "attributes.AWS_INSTANCE_IPV4=10.1.2.3",
                        R + "attributes.AWS_INSTANCE_PORT=9443", R + "attributes.stage=blue")
                .run(context -> assertThat(context).hasNotFailed());
        RegisterInstanceRequest request = registrations().get(0);
        assertThat(request.instanceId()).isEqualTo("web-1");
        assertThat(request.attributes()).containsEntry("AWS_INSTANCE_IPV4", "10.1.2.3")
                .containsEntry("AWS_INSTANCE_PORT", "9443").containsEntry("stage", "blue").hasSize(3);
        assertThat(deregistrations().get(0).instanceId()).isEqualTo("web-1");
    }

    @Test
    void aSecondStopDoesNothing() {
        scriptSuccess();
        enabled.run(context -> {
            CloudMapInstanceRegistration registration = context.getBean(CloudMapInstanceRegistration.class);
            registration.stop();
            assertThat(registration.state().phase()).isEqualTo(RegistrationState.Phase.DEREGISTERED);
            assertThat(registration.isRunning()).isFalse();
            registration.stop();
            Runnable[] called = new Runnable[1];
            registration.stop(() -> called[0] = () -> { });
            assertThat(called[0]).as("the callback still runs").isNotNull();
        });
        assertThat(deregistrations()).hasSize(1);
    }

    /** The exception the registration threw, wherever Spring wrapped it. */
    private static Throwable registrationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.context.ApplicationContextException
                    && String.valueOf(t.getMessage()).startsWith("Cloud Map registration")) {
                return t;
            }
        }
        throw new AssertionError("no registration failure in " + failure, failure);
    }

    @Test
    void aFailAtStartupStopsItWithTheErrorCode() {
        client.submissions().operationIds("op-register");
        client.script("op-register").submitted().fail("INTERNAL_FAILURE", "Route 53 said no");
        enabled.run(context -> {
            assertThat(context).hasFailed();
            assertThat(registrationFailure(context.getStartupFailure())).hasMessageContaining("INTERNAL_FAILURE")
                    .hasMessageContaining("Route 53 said no").hasMessageContaining("srv-1")
                    .hasMessageContaining(R + "fail-startup=false");
        });
        assertThat(deregistrations()).isEmpty();
        assertThat(recorder.log).doesNotContain("InstanceRegisteredEvent");
    }

    @Test
    void aTimeoutAtStartupStopsItWithTimeout() {
        client.submissions().operationIds("op-register");
        client.script("op-register").submitted();
        enabled.withPropertyValues(R + "register-timeout=100ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(registrationFailure(context.getStartupFailure())).hasMessageContaining("TIMEOUT").hasMessageContaining("PT0.1S");
        });
    }

    @Test
    void aTimeoutAtStartupThatStopsItStillDeregistersWhatMayYetBeRegistered() {
        // The RegisterInstance was accepted; only the wait ran out. Cloud Map may still list the
        // instance after the failed application has gone, unless it is deregistered.
        client.submissions().operationIds("op-register", "op-deregister");
        client.script("op-register").submitted();
        client.script("op-deregister").type(OperationType.DEREGISTER_INSTANCE).success();
        enabled.withPropertyValues(R + "register-timeout=100ms").run(context -> assertThat(context).hasFailed());
        assertThat(registrations()).hasSize(1);
        assertThat(deregistrations()).extracting(DeregisterInstanceRequest::instanceId)
                .containsExactly(registrations().get(0).instanceId());
    }

    @Test
    void withFailStartupFalseItStartsUnregisteredAndTheHealthSaysWhy() {
        client.submissions().operationIds("op-register");
        client.script("op-register").submitted().fail("ACCESS_DENIED", "not allowed");
        enabled.withPropertyValues(R + "fail-startup=false").run(context -> {
            assertThat(context).hasNotFailed();
            CloudMapRegistrationHealthIndicator health = context.getBean(CloudMapRegistrationHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("state", "FAILED")
                    .containsEntry("errorCode", "ACCESS_DENIED").containsEntry("operationId", "op-register");
        });
        assertThat(deregistrations()).as("a FAIL registered nothing").isEmpty();
    }

    @Test
    void theHealthIndicatorIsTheRegistrationsOwnAndCanBeTurnedOff() {
        scriptSuccess();
        enabled.run(context -> {
            assertThat(context).hasBean("cloudMapRegistrationHealthIndicator");
            CloudMapRegistrationHealthIndicator health = context.getBean(CloudMapRegistrationHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("state", "REGISTERED")
                    .containsEntry("serviceId", "srv-1").containsEntry("operationId", "op-register")
                    .containsEntry("operationStatus", "SUCCESS");
        });
        client.submissions().operationIds("op-2", "op-3");
        client.script("op-2").success();
        client.script("op-3").success();
        enabled.withPropertyValues("management.health.cloudmap-registration.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CloudMapRegistrationHealthIndicator.class));
    }

    @Test
    void whilePendingTheHealthIsOutOfServiceWithTheOperationsStatus() {
        CloudMapInstanceRegistration registration = new CloudMapInstanceRegistration(
                new InstanceRegistrar(client, OperationWatcher.create(client), "srv-1"),
                new CloudMapRegistrationProperties(), e -> { }, null);
        CloudMapRegistrationHealthIndicator health = new CloudMapRegistrationHealthIndicator(registration);
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.health().getDetails()).containsEntry("state", "NOT_STARTED");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(List.of(R + "enabled=true"), R + "service-id", "is required"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id= "), R + "service-id", "is required"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=" + "s".repeat(65)), R + "service-id", "64"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "instance-id=web 1"),
                        R + "instance-id", "letters, digits"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "instance-id=" + "i".repeat(65)),
                        R + "instance-id", "64"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "attributes.AWS_INSTANCE_PORT=http"),
                        R + "attributes.AWS_INSTANCE_PORT", "port number"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "attributes.AWS_INSTANCE_PORT=70000"),
                        R + "attributes.AWS_INSTANCE_PORT", "port number"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "attributes.AWS_INSTANCE_IPV4=10.0.0.300"),
                        R + "attributes.AWS_INSTANCE_IPV4", "IPv4"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "attributes.note=" + "x".repeat(1025)),
                        R + "attributes.note", "1,024"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "register-timeout=0s"),
                        R + "register-timeout", "10ms to 1d"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "register-timeout=2d"),
                        R + "register-timeout", "10ms to 1d"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "deregister-timeout=5ms"),
                        R + "deregister-timeout", "10ms to 1d"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "deregister-timeout=31s"),
                        R + "deregister-timeout", "timeout-per-shutdown-phase (PT30S)"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "deregister-timeout=50s",
                        "spring.lifecycle.timeout-per-shutdown-phase=45s"), R + "deregister-timeout", "PT45S"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "custom-health-status.interval=500ms"),
                        R + "custom-health-status.interval", "at least 1s"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", R + "custom-health-status.enabled=true"),
                        R + "custom-health-status.enabled", "Actuator's health endpoint"),
                Arguments.of(List.of(R + "enabled=true", R + "service-id=srv-1", "cloudmap.watcher.enabled=false"),
                        R + "enabled", "one ServiceDiscoveryAsyncClient and one OperationWatcher"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void aBadValueStopsStartupNamingThePropertyBeforeAnyRequest(List<String> properties, String property, String reason) {
        runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(property)
                    .hasMessageContaining(reason)
                    .satisfies(e -> assertThat(((InvalidConfigurationPropertyValueException) e).getName()).isEqualTo(property));
        });
        assertThat(client.requests()).isEmpty();
    }

    /** What IDEs show as defaults (the metadata the build generates) is what an unset property does. */
    @Test
    void theDocumentedDefaultsAreTheProperties() throws Exception {
        java.util.Map<String, String> defaults = new java.util.HashMap<>();
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("properties").forEach(p -> {
                if (p.has("defaultValue")) {
                    defaults.put(p.get("name").asText(), p.get("defaultValue").asText());
                }
            });
        }
        org.springframework.boot.convert.ApplicationConversionService conversion =
                new org.springframework.boot.convert.ApplicationConversionService();
        CloudMapRegistrationProperties unset = new CloudMapRegistrationProperties();
        assertThat(conversion.convert(defaults.get(R + "register-timeout"), java.time.Duration.class))
                .isEqualTo(unset.getRegisterTimeout());
        assertThat(conversion.convert(defaults.get(R + "deregister-timeout"), java.time.Duration.class))
                .isEqualTo(unset.getDeregisterTimeout());
        assertThat(conversion.convert(defaults.get(R + "custom-health-status.interval"), java.time.Duration.class))
                .isEqualTo(unset.getCustomHealthStatus().getInterval());
        assertThat(Boolean.parseBoolean(defaults.get(R + "enabled"))).isEqualTo(unset.isEnabled()).isFalse();
        assertThat(Boolean.parseBoolean(defaults.get(R + "fail-startup"))).isEqualTo(unset.isFailStartup()).isTrue();
        assertThat(Boolean.parseBoolean(defaults.get(R + "custom-health-status.enabled")))
                .isEqualTo(unset.getCustomHealthStatus().isEnabled());
    }

    @Test
    void theAutoConfigurationIsListedForSpringBoot() throws Exception {
        try (var in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines())
                    .contains(CloudMapRegistrationAutoConfiguration.class.getName());
        }
    }

    /** The scripted client, plus UpdateInstanceCustomHealthStatus recorded in order with the other requests. */
    static final class CustomHealthClient implements ServiceDiscoveryAsyncClient {
        final ScriptedServiceDiscoveryClient scripted;
        final List<String> calls = new CopyOnWriteArrayList<>();

        CustomHealthClient(ScriptedServiceDiscoveryClient scripted) {
            this.scripted = scripted;
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse>
                registerInstance(RegisterInstanceRequest request) {
            calls.add("RegisterInstance");
            return scripted.registerInstance(request);
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceResponse>
                deregisterInstance(DeregisterInstanceRequest request) {
            calls.add("DeregisterInstance");
            return scripted.deregisterInstance(request);
        }

        @Override
        public java.util.concurrent.CompletableFuture<software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse>
                getOperation(software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest request) {
            return scripted.getOperation(request);
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                software.amazon.awssdk.services.servicediscovery.model.UpdateInstanceCustomHealthStatusResponse>
                updateInstanceCustomHealthStatus(
                        software.amazon.awssdk.services.servicediscovery.model.UpdateInstanceCustomHealthStatusRequest request) {
            calls.add("UpdateInstanceCustomHealthStatus " + request.instanceId() + " " + request.status());
            return java.util.concurrent.CompletableFuture.completedFuture(
                    software.amazon.awssdk.services.servicediscovery.model.UpdateInstanceCustomHealthStatusResponse.builder().build());
        }

        @Override
        public String serviceName() {
            return scripted.serviceName();
        }

        @Override
        public void close() {}
    }

    @Test
    void theCustomHealthStatusStartsOnceRegisteredAndStopsBeforeTheDeregistration() {
        scriptSuccess();
        CustomHealthClient health = new CustomHealthClient(client);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CloudMapWatcherAutoConfiguration.class,
                        CloudMapRegistrationAutoConfiguration.class))
                .withBean(ServiceDiscoveryAsyncClient.class, () -> health)
                .withBean(CloudMapRegistrationAutoConfiguration.ApplicationHealth.class, () -> () -> "DOWN")
                .withPropertyValues("cloudmap.watcher.poll-interval.initial=10ms", "cloudmap.watcher.poll-interval.max=20ms",
                        R + "enabled=true", R + "service-id=srv-1", R + "instance-id=web-1",
                        R + "custom-health-status.enabled=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // The first read and update happen on other threads once registered: wait for them, bounded.
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                    while (health.calls.size() < 2 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                });
        assertThat(health.calls).containsExactly("RegisterInstance", "UpdateInstanceCustomHealthStatus web-1 UNHEALTHY",
                "DeregisterInstance");
    }

    @Test
    void thirtyOneAttributesAreRefused() {
        String[] properties = Stream.concat(Stream.of(R + "enabled=true", R + "service-id=srv-1"),
                java.util.stream.IntStream.range(0, 31).mapToObj(i -> R + "attributes.a" + i + "=v")).toArray(String[]::new);
        runner.withPropertyValues(properties).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining(R + "attributes")
                .hasMessageContaining("at most 30"));
        assertThat(client.requests()).isEmpty();
    }
}
