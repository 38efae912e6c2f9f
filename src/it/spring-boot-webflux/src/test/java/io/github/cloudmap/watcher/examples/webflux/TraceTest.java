package io.github.cloudmap.watcher.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.OperationWatcher;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;

/**
 * One HTTP request that streams an operation on the emulator to its end yields one trace: the
 * server span, the watch span under it, the GetOperation spans under the watch. The application
 * runs as in production (started by {@link SpringApplicationBuilder}, not {@code @SpringBootTest},
 * which turns tracing off in tests), with Micrometer Tracing on OpenTelemetry, every span sampled
 * and kept in memory. The trace it asserts is drawn to {@code target/observability-trace.svg} (docs/ keeps a copy).
 */
class TraceTest {

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    /** Trace IDs the test endpoint's subscriber saw on its delivery worker, with the thread's name. */
    private static final List<String> SEEN_BY_SUBSCRIBER = new CopyOnWriteArrayList<>();

    private static ConfigurableApplicationContext app;
    private static WebClient http;

    /** The test's beans, registered as a source (not scanned, so the other tests' contexts never see them). */
    static class Tracing {

        @Bean
        SpanExporter inMemorySpans() {
            return SPANS;
        }

        /** A subscriber that logs from the delivery worker: which trace is current there? */
        @Bean
        RouterFunction<ServerResponse> tracedWatch(OperationWatcher watcher, Tracer tracer) {
            return RouterFunctions.route().GET("/traced/{operationId}", request -> ServerResponse.ok()
                    .body(watcher.watch(request.pathVariable("operationId"))
                            .doOnNext(operation -> {
                                Span current = tracer.currentSpan();
                                SEEN_BY_SUBSCRIBER.add((current == null ? "none" : current.context().traceId())
                                        + " " + Thread.currentThread().getName());
                            })
                            .map(Operation::statusAsString)
                            .collectList(), List.class))
                    .build();
        }
    }

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        app = new SpringApplicationBuilder(RegistrationApplication.class, Tracing.class)
                .properties(Map.of(
                        "server.port", "0",
                        "cloudmap.watcher.endpoint-url", TestEmulator.EMULATOR.endpoint().toString(),
                        "cloudmap.watcher.region", "us-east-1",
                        "cloudmap.watcher.poll-interval.initial", "200ms",
                        "cloudmap.watcher.poll-interval.max", "500ms",
                        "management.tracing.sampling.probability", "1.0",
                        "management.opentelemetry.tracing.export.schedule-delay", "50ms",
                        // Reactor restores the request's thread locals (the tracer's span, the MDC) on
                        // each watch's delivery worker: Hooks.enableAutomaticContextPropagation().
                        "spring.reactor.context-propagation", "auto"))
                .run();
        String port = app.getEnvironment().getProperty("local.server.port");
        http = WebClient.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void oneRequestIsOneTraceServerThenWatchThenPolls() throws Exception {
        String operationId = TestEmulator.CLIENT.registerInstance(r -> r.serviceId(TestEmulator.SERVICE_ID)
                .instanceId(TestEmulator.newInstanceId()).attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.7")))
                .join().operationId();

        List<ServerSentEvent<Map<String, Object>>> events = http.get().uri("/operations/{id}", operationId)
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() {})
                .collectList().block(Duration.ofSeconds(60));
        assertThat(events).last().satisfies(e -> assertThat(e.data()).containsEntry("status", "SUCCESS"));

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/operations/"));
        List<SpanData> trace = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(server.getTraceId())).toList();
        String shape = trace.stream().sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
                .map(s -> s.getName() + " " + s.getSpanId() + " <- " + s.getParentSpanId() + " @" + s.getStartEpochNanos())
                .collect(java.util.stream.Collectors.joining("\n  ", "\n  ", ""));
        System.out.println("TraceTest: the request's trace:" + shape);
        List<SpanData> watches = trace.stream().filter(s -> s.getName().equals("cloudmap watch")).toList();
        assertThat(watches).as("one watch span in the request's trace: %s", trace).hasSize(1);
        SpanData watch = watches.get(0);
        assertThat(watch.getParentSpanId()).as("the watch is a child of the server span").isEqualTo(server.getSpanId());
        assertThat(watch.getAttributes().asMap().toString())
                .contains("cloudmap.operation.outcome=SUCCESS", "cloudmap.operation.type=REGISTER_INSTANCE",
                        "cloudmap.operation.id=" + operationId);
        List<SpanData> polls = trace.stream().filter(s -> s.getName().equals("cloudmap GetOperation")).toList();
        assertThat(polls).as("the polls of a 3 s registration, at most 500 ms apart").hasSizeGreaterThanOrEqualTo(3)
                .extracting(SpanData::getParentSpanId).as("each poll is a child of the watch:%s", shape)
                .containsOnly(watch.getSpanId());
        assertThat(polls)
                .allSatisfy(poll -> {
                    assertThat(poll.getAttributes().asMap().toString()).contains("cloudmap.poll.outcome=ANSWERED",
                            "cloudmap.poll.budget_wait_ms=", "cloudmap.poll.wire_ms=");
                    assertThat(poll.getEvents()).extracting(e -> e.getName()).contains("cloudmap.poll.permit");
                });
        assertThat(watch.getEvents()).extracting(e -> e.getName()).contains("status SUCCESS");

        String svg = System.getProperty("trace.svg");
        if (svg != null) {
            List<SpanData> drawn = new ArrayList<>(List.of(server, watch));
            drawn.addAll(polls);
            TraceSvg.write(drawn, Path.of(svg));
        }
    }

    @Test
    void aSubscriberOnTheDeliveryWorkerSeesTheRequestsTrace() throws Exception {
        String operationId = TestEmulator.CLIENT.registerInstance(r -> r.serviceId(TestEmulator.SERVICE_ID)
                .instanceId(TestEmulator.newInstanceId()).attributes(Map.of("AWS_INSTANCE_IPV4", "10.0.0.8")))
                .join().operationId();
        SEEN_BY_SUBSCRIBER.clear();

        List<?> statuses = http.get().uri("/traced/{id}", operationId).retrieve().bodyToMono(List.class)
                .block(Duration.ofSeconds(60));
        assertThat(statuses).last().isEqualTo("SUCCESS");

        SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/traced/"));
        assertThat(SEEN_BY_SUBSCRIBER).as("trace ID and thread of each status the subscriber saw")
                .isNotEmpty()
                .allSatisfy(seen -> assertThat(seen).startsWith(server.getTraceId() + " boundedElastic"));
    }

    /** The span the predicate picks, once it has been exported (a batch goes out every 50 ms). */
    private static SpanData awaitSpan(java.util.function.Predicate<SpanData> which) throws InterruptedException {
        SdkTracerProvider provider = app.getBean(SdkTracerProvider.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            provider.forceFlush().join(5, TimeUnit.SECONDS);
            for (SpanData span : SPANS.getFinishedSpanItems()) {
                if (which.test(span)) {
                    return span;
                }
            }
            Thread.sleep(100); // the server span ends just after the response is written
        }
        throw new AssertionError("no such span within 20 s among " + SPANS.getFinishedSpanItems());
    }
}
