package io.github.cloudmap.watcher.bench;

import io.github.cloudmap.watcher.OperationWatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Soak: N operations (default 100,000) through one watcher, against the emulator in a process of
 * its own with Cloud Map's realistic limits (GetOperation 100/s burst 200, RegisterInstance and
 * DeregisterInstance 50/s burst 100), so the watcher's heap and threads are measured apart from
 * the emulator's growing state. Each instance is registered and then deregistered, two
 * operations, with {@code submitAndAwait}; a chain starts every 20 ms, which keeps submissions just
 * under their limits; a throttled submission is retried by the caller with backoff, as a user's
 * code would. Every 10 s it forces a GC and records the heap in use and the live threads; the
 * series goes to {@code target/bench/soak.csv} and a summary to the console.
 *
 * <p>Run: {@code mvn -q -Pbench test-compile exec:exec@soak} ({@code -Dsoak.operations=N} for
 * another count). Operations finish at once in the emulator ({@code --operation-duration 0s}), so
 * the GetOperation quota is spent on one poll per operation: 100,000 take about 17 minutes.
 */
public final class WatchSoak {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private WatchSoak() {}

    public static void main(String[] args) throws Exception {
        int operations = Integer.getInteger("soak.operations", 100_000);
        Process emulator = startEmulator();
        try {
            run(operations, emulatorEndpoint(emulator));
        } finally {
            emulator.destroy();
            if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
        System.exit(0);
    }

    private static void run(int operations, URI endpoint) throws IOException, InterruptedException {
        Path csv = Path.of("target", "bench", "soak.csv");
        Files.createDirectories(csv.getParent());
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong submissionThrottles = new AtomicLong();
        try (ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("soak", "soak")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(200))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
             PrintWriter series = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            OperationWatcher watcher = OperationWatcher.create(client); // one watcher for the whole run, defaults
            String serviceId = setUp(client, watcher);
            Retry throttled = Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                    .filter(e -> e instanceof AwsServiceException ase && ase.isThrottlingException())
                    .doBeforeRetry(s -> submissionThrottles.incrementAndGet());

            System.out.printf("soak: %,d operations through one watcher; emulator %s with realistic limits%n",
                    operations, endpoint);
            series.println("elapsed_s,operations_done,heap_used_mb,threads");
            long start = System.nanoTime();
            CompletableFuture<Void> finished = Flux.interval(Duration.ofMillis(20))
                    .onBackpressureBuffer()
                    .take(operations / 2)
                    .flatMap(k -> {
                        String instanceId = "i-" + k;
                        Mono<Operation> register = watcher.submitAndAwait(Mono.defer(() -> Mono.fromFuture(
                                        client.registerInstance(b -> b.serviceId(serviceId).instanceId(instanceId)
                                                .attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.1")))))
                                .retryWhen(throttled)
                                .map(r -> r.operationId()));
                        Mono<Operation> deregister = watcher.submitAndAwait(Mono.defer(() -> Mono.fromFuture(
                                        client.deregisterInstance(b -> b.serviceId(serviceId).instanceId(instanceId))))
                                .retryWhen(throttled)
                                .map(r -> r.operationId()));
                        return register.concatWith(deregister)
                                .doOnNext(op -> {
                                    if (op.status() == OperationStatus.SUCCESS) {
                                        done.incrementAndGet();
                                    }
                                })
                                .onErrorResume(e -> {
                                    failed.incrementAndGet();
                                    System.out.println("soak: " + instanceId + " failed: " + e);
                                    return Mono.empty();
                                });
                    }, 10_000)
                    .then()
                    .toFuture();

            long peakHeap = 0;
            long firstHeap = -1;
            int minThreads = Integer.MAX_VALUE;
            int maxThreads = 0;
            while (!finished.isDone()) {
                try {
                    finished.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // sample below
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
                long heap = settledHeap();
                int threads = THREADS.getThreadCount();
                long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                if (firstHeap < 0) {
                    firstHeap = heap;
                }
                peakHeap = Math.max(peakHeap, heap);
                minThreads = Math.min(minThreads, threads);
                maxThreads = Math.max(maxThreads, threads);
                series.printf("%d,%d,%.1f,%d%n", elapsed, done.get(), heap / 1048576.0, threads);
                series.flush();
                System.out.printf("soak: %5d s  %,8d operations done  heap %6.1f MB  threads %d%n",
                        elapsed, done.get(), heap / 1048576.0, threads);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long endHeap = settledHeap();
            System.out.printf("soak: %,d operations ended SUCCESS, %,d failed, in %.0f s (%.1f/s); %,d throttled"
                            + " submissions retried by the caller%n",
                    done.get(), failed.get(), seconds, done.get() / seconds, submissionThrottles.get());
            System.out.printf("soak: heap in use after GC: first sample %.1f MB, peak %.1f MB, at the end %.1f MB;"
                            + " live threads %d to %d%n",
                    firstHeap / 1048576.0, peakHeap / 1048576.0, endHeap / 1048576.0, minThreads, maxThreads);
            System.out.println("soak: series in " + csv.toAbsolutePath());
        }
    }

    /** A namespace and a service to register instances in; their own calls are slow at realistic limits. */
    private static String setUp(ServiceDiscoveryAsyncClient client, OperationWatcher watcher) {
        Operation namespace = watcher.submitAndAwait(Mono.fromFuture(() -> client.createHttpNamespace(b -> b.name("soak")))
                        .map(r -> r.operationId()))
                .block(Duration.ofMinutes(1));
        String namespaceId = namespace.targets().get(software.amazon.awssdk.services.servicediscovery.model.OperationTargetType.NAMESPACE);
        return client.createService(b -> b.name("soak").namespaceId(namespaceId)).join().service().id();
    }

    private static Process startEmulator() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "io.github.cloudmap.watcher.cli.Main", "emulator", "--profile", "realistic-limits",
                "--operation-duration", "0s")
                .redirectErrorStream(true)
                .start();
    }

    private static URI emulatorEndpoint(Process emulator) throws Exception {
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(emulator.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
                listening.completeExceptionally(new IllegalStateException("the emulator exited"));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        }, "emulator-output");
        reader.setDaemon(true);
        reader.start();
        return listening.get(60, TimeUnit.SECONDS);
    }

    private static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // a benchmark harness, not a test: let the collector finish
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
