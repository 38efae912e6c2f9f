package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.CloudMapErrors;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * The demo's script, against any Cloud Map endpoint: create an HTTP namespace and read its ID
 * from {@code Targets["NAMESPACE"]}, create a service, then register a batch of instances
 * concurrently with {@code submitAndWatch}, printing every status change and the batch's
 * progress.
 *
 * <p>Not thread-safe: run it once, from one thread; its watches run concurrently inside.
 */
final class DemoRun {

    /**
     * Faster polling than the library's default (0.5 s doubling to 10 s): the emulator's
     * operations take about a second, and a demo should not idle at a 10 s backoff.
     */
    static final Duration INITIAL_POLL = Duration.ofMillis(200);
    static final Duration MAX_POLL = Duration.ofSeconds(2);
    /** Each attempt's deadline; the emulator finishes in seconds, so this only catches a hang. */
    static final Duration WATCH_TIMEOUT = Duration.ofSeconds(20);
    /**
     * Bounds namespace creation, and the whole batch beyond the per-watch deadlines, so the demo
     * can never hang: at the deadline the batch ends and unfinished instances count as failed.
     */
    static final Duration BATCH_DEADLINE = Duration.ofSeconds(60);
    /** How long after the batch deadline the run may take to wind down before it gives up with an error. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(5);
    /** Bounds each synchronous call (CreateService). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ServiceDiscoveryAsyncClient client;
    private final ProgressPrinter printer;
    private final DemoStats stats = new DemoStats(this::resubmitting);
    /** Operation ID to instance label, so a resubmission can be told by name. */
    private final Map<String, String> labels = new ConcurrentHashMap<>();
    private final OperationWatcher watcher;
    private final Duration batchDeadline;

    DemoRun(ServiceDiscoveryAsyncClient client, ProgressPrinter printer, long seed) {
        this(client, printer, seed, BATCH_DEADLINE);
    }

    /** With another batch deadline, so a test can reach it in seconds. */
    DemoRun(ServiceDiscoveryAsyncClient client, ProgressPrinter printer, long seed, Duration batchDeadline) {
        this.client = Objects.requireNonNull(client, "client");
        this.printer = Objects.requireNonNull(printer, "printer");
        this.batchDeadline = Objects.requireNonNull(batchDeadline, "batchDeadline");
        this.watcher = OperationWatcher.builder(client)
                .pollInterval(INITIAL_POLL, MAX_POLL)
                .timeout(WATCH_TIMEOUT)
                // java.util.Random is thread-safe. Seeded, the jitter draws come in the same order on
                // every run; the runs still differ, since they follow the real clock and network.
                .random(new Random(seed))
                .resubmission(RetryConfig.custom()
                        .maxAttempts(3)
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0))
                        .build())
                .listener(stats)
                .build();
    }

    /** What the watches did, for the summary. */
    DemoStats stats() {
        return stats;
    }

    /** What the batch came to. */
    record Outcome(String namespaceId, String serviceId, int instances, int registered, int failed) {
    }

    Outcome run(int instances) throws Exception {
        String name = "demo-" + Long.toHexString(System.nanoTime()) + ".local";
        printer.note("creating HTTP namespace " + name + " (CreateHttpNamespace, then GetOperation until SUCCESS)");
        String namespaceId = createNamespace(name);
        printer.note("namespace ID from Targets[\"NAMESPACE\"]: " + namespaceId);

        // CreateService is synchronous: it returns the service, no operation to watch.
        String serviceId = client.createService(r -> r.name("web").namespaceId(namespaceId)
                        .creatorRequestId("demo-web-" + namespaceId))
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).service().id();
        printer.note("service created (synchronous CreateService): " + serviceId);
        printer.note("registering " + instances + " instances concurrently...");

        AtomicInteger registered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int milestone = Math.max(1, instances / 6);
        Flux.range(1, instances)
                .flatMap(i -> register(serviceId, i, instances)
                        .doOnNext(last -> {
                            int ok = last.status() == OperationStatus.SUCCESS
                                    ? registered.incrementAndGet() : registered.get();
                            int bad = last.status() == OperationStatus.SUCCESS ? failed.get() : failed.incrementAndGet();
                            printer.progress(progressLine(ok, bad, instances),
                                    (ok + bad) % milestone == 0 || ok + bad == instances);
                        }), instances)
                // The deadline ends the batch (cancelling its watches) instead of failing the run,
                // so the summary still shows what was done.
                .take(batchDeadline)
                .then()
                .block(batchDeadline.plus(WIND_DOWN));
        printer.endProgress();
        int unfinished = instances - registered.get() - failed.get();
        if (unfinished > 0) {
            printer.note("batch deadline of " + batchDeadline.toSeconds() + " s reached: " + unfinished
                    + " instance(s) unfinished, counted as failed");
        }
        return new Outcome(namespaceId, serviceId, instances, registered.get(), instances - registered.get());
    }

    private String createNamespace(String name) {
        Mono<String> submission = Mono.fromFuture(() -> client.createHttpNamespace(r -> r
                        .name(name).creatorRequestId(name)
                        .overrideConfiguration(OperationWatcher.requestOverrides())))
                .map(CreateHttpNamespaceResponse::operationId);
        Operation last = watcher.submitAndWatch(submission)
                .doOnNext(op -> {
                    labels.put(op.id(), "namespace");
                    printer.status("namespace", op);
                })
                .last()
                .block(batchDeadline);
        if (last == null || last.status() != OperationStatus.SUCCESS) {
            throw new IllegalStateException("CreateHttpNamespace " + name + " did not succeed: "
                    + (last == null ? "no status" : last.errorCode() + ": " + last.errorMessage()));
        }
        return last.targets().get(OperationTargetType.NAMESPACE);
    }

    /** One instance's registration: every status printed; yields the last one, or empty after an error. */
    private Mono<Operation> register(String serviceId, int index, int instances) {
        String label = String.format(Locale.ROOT, "i-%0" + String.valueOf(instances).length() + "d", index);
        String instanceId = "demo-" + label;
        String token = "demo-" + serviceId + "-" + label; // kept across resubmissions: idempotency
        Mono<String> submission = Mono.fromFuture(() -> client.registerInstance(r -> r
                        .serviceId(serviceId)
                        .instanceId(instanceId)
                        .creatorRequestId(token)
                        .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0." + index / 250 + "." + (index % 250 + 1),
                                "AWS_INSTANCE_PORT", "8080"))
                        // No SDK retries under the watcher's resubmissions; marked in the User-Agent.
                        .overrideConfiguration(OperationWatcher.requestOverrides())))
                .map(RegisterInstanceResponse::operationId);
        return watcher.submitAndWatch(submission)
                .doOnNext(op -> {
                    labels.put(op.id(), label);
                    printer.status(label, op);
                })
                .last()
                .onErrorResume(error -> {
                    printer.note(label + " error: " + WatchCommand.describe(CloudMapErrors.unwrap(error)));
                    return Mono.just(Operation.builder().status(OperationStatus.FAIL).build());
                });
    }

    private void resubmitting(Operation failed, int attempt) {
        if (failed == null) {
            printer.note("a throttled submission is sent again (attempt " + attempt + ")");
        } else {
            printer.note(labels.getOrDefault(failed.id(), failed.id()) + " resubmitting after "
                    + failed.errorCode() + " (attempt " + attempt + ", same CreatorRequestId)");
        }
    }

    private String progressLine(int registered, int failed, int instances) {
        return String.format(Locale.ROOT, "registered %d/%d%s, %d resubmitted, %d throttled polls absorbed",
                registered, instances, failed == 0 ? "" : " (" + failed + " failed)",
                stats.resubmissions(), stats.throttled());
    }
}
