package io.github.cloudmap.watcher.examples;

import io.github.cloudmap.watcher.BatchOutcome;
import io.github.cloudmap.watcher.InFlightQuery;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * A service that registers 50 instances, is killed halfway, and after its restart finds the
 * registrations still in flight with {@code inFlight} and waits for them with {@code awaitAll}.
 *
 * <p>The first run submits 25 registrations and waits for them, submits 25 more and dies before
 * they finish: the IDs it held in memory are gone. The second run, a new client and watcher that
 * know nothing of the first, asks Cloud Map what is still SUBMITTED or PENDING in its service
 * and awaits it as one batch. Run it with no argument: it starts an embedded emulator where a
 * registration takes 4 s.
 */
public final class ResumeAfterRestart {

    private static final Duration BOUND = Duration.ofMinutes(2);

    public static void main(String[] args) throws Exception {
        try (CloudMapEmulator emulator = CloudMapEmulator.builder().port(0)
                .operationTimings(OperationTimings.defaults()
                        .with(OperationType.REGISTER_INSTANCE, Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .start()) {
            String serviceId;
            try (ServiceDiscoveryAsyncClient client = AwaitNamespaceCreation.emulatorClient(emulator.endpoint())) {
                String namespaceId = AwaitNamespaceCreation.createNamespace(client, "resume.local");
                serviceId = client.createService(r -> r.name("web").namespaceId(namespaceId))
                        .get(30, TimeUnit.SECONDS).service().id();
            }

            int beforeTheCrash = firstRunKilledHalfway(emulator.endpoint(), serviceId);
            BatchOutcome resumed = secondRun(emulator.endpoint(), serviceId);

            int registered;
            try (ServiceDiscoveryAsyncClient client = AwaitNamespaceCreation.emulatorClient(emulator.endpoint())) {
                registered = client.listInstances(r -> r.serviceId(serviceId)).get(30, TimeUnit.SECONDS)
                        .instances().size();
            }
            System.out.println("Before the crash: " + beforeTheCrash + " registrations seen through");
            System.out.println("After the restart: found " + resumed.size() + " in flight; all succeeded: "
                    + resumed.allSucceeded());
            System.out.println("Registered " + registered + " instances");
        }
    }

    /** Registers i-1 .. i-25 and waits for them, then submits i-26 .. i-50 and "dies" at once. */
    static int firstRunKilledHalfway(URI endpoint, String serviceId) {
        ServiceDiscoveryAsyncClient client = AwaitNamespaceCreation.emulatorClient(endpoint);
        try {
            OperationWatcher watcher = OperationWatcher.create(client);
            BatchOutcome firstHalf = watcher.awaitAll(register(client, serviceId, 1, 25)).block(BOUND);
            register(client, serviceId, 26, 50);
            // Killed here: the process, its watches and the 25 IDs it held in memory are gone.
            return firstHalf.succeeded().size();
        } finally {
            client.close();
        }
    }

    /** A new process: finds what is still in flight in its service, and awaits it as one batch. */
    static BatchOutcome secondRun(URI endpoint, String serviceId) {
        try (ServiceDiscoveryAsyncClient client = AwaitNamespaceCreation.emulatorClient(endpoint)) {
            OperationWatcher watcher = OperationWatcher.create(client);
            return watcher.inFlight(InFlightQuery.all().service(serviceId).types(OperationType.REGISTER_INSTANCE))
                    .map(OperationSummary::id)
                    .collectList()
                    .flatMap(watcher::awaitAll)
                    .block(BOUND);
        }
    }

    /** Submits RegisterInstance for i-from .. i-to and returns their operation IDs (without waiting). */
    private static List<String> register(ServiceDiscoveryAsyncClient client, String serviceId, int from, int to) {
        return Flux.range(from, to - from + 1)
                .flatMapSequential(i -> Mono.fromFuture(() -> client.registerInstance(r -> r
                                .serviceId(serviceId)
                                .instanceId("i-" + i)
                                .creatorRequestId("i-" + i + "-first-run")
                                .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.1." + i))
                                .overrideConfiguration(OperationWatcher.requestOverrides())))
                        .map(RegisterInstanceResponse::operationId), 8)
                .collectList()
                .block(BOUND);
    }
}
