package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP side of the emulator: checks method, size and {@code X-Amz-Target}, parses the JSON
 * body, counts the request, applies the fault plan, dispatches, and writes AWS JSON 1.1 answers.
 *
 * <p>Thread-safe; one instance serves every connection. Nothing a client sends escapes as an
 * exception: every answer, including failures of the emulator itself, is a well-formed JSON error
 * (logged at ERROR). A client that closes its connection before its answer gets none, and that is
 * logged at DEBUG only: clients give up on requests all the time.
 */
final class WireHandler implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final int MAX_BODY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(WireHandler.class);

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ActionDispatcher dispatcher;
    private final FaultInjector faults;
    private final RequestCounters counters;
    private final RequestJournal journal;
    /** Whether GET {@value #JOURNAL_PATH} answers with the journal (the command line turns it on). */
    private final boolean serveJournal;
    /** Completes when the emulator closes, so hung requests end with it. */
    private final Mono<Void> closing;

    /** Where a GET reads the journal as JSON, when it is served: a path no AWS client sends to. */
    static final String JOURNAL_PATH = "/_emulator/journal";

    WireHandler(ActionDispatcher dispatcher, FaultInjector faults, RequestCounters counters, RequestJournal journal,
            boolean serveJournal, Mono<Void> closing) {
        this.dispatcher = dispatcher;
        this.faults = faults;
        this.counters = counters;
        this.journal = journal;
        this.serveJournal = serveJournal;
        this.closing = closing;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        response.header("x-amzn-RequestId", UUID.randomUUID().toString());
        try {
            if (serveJournal && HttpMethod.GET.equals(request.method()) && JOURNAL_PATH.equals(pathOf(request.uri()))) {
                return send(response, 200, JournalJson.write(mapper, journal));
            }
            if (!HttpMethod.POST.equals(request.method())) {
                return send(response, new CloudMapError("UnknownOperationException", 405,
                        "Cloud Map speaks AWS JSON 1.1: send POST / with X-Amz-Target: "
                                + ActionDispatcher.TARGET_PREFIX + "<Operation>; got " + request.method() + " "
                                + request.uri()));
            }
            String target = request.requestHeaders().get("X-Amz-Target");
            // answer() counts every request that reaches it; this counts those refused before it
            // (too large, not implemented), so that each request naming a model operation counts once.
            String userAgent = request.requestHeaders().get("User-Agent");
            java.util.function.Consumer<Throwable> countRefusal = e -> dispatcher.modelOperation(target).ifPresent(a -> {
                counters.record(a, null);
                CloudMapError error = e instanceof CloudMapError c ? c : null;
                journal.record(journal.arrive(a, null, userAgent), error == null ? 0 : error.status(),
                        error == null ? null : error.type());
            });
            try {
                String length = request.requestHeaders().get("Content-Length");
                if (length != null && parseLength(length) > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
                String action = dispatcher.action(target);
                counters.userAgent(action, userAgent);
                return readBody(request)
                        .doOnError(countRefusal)
                        .flatMap(bytes -> answer(action, bytes, userAgent, response))
                        .onErrorResume(e -> answerFailure(response, e));
            } catch (CloudMapError e) {
                countRefusal.accept(e);
                return send(response, e);
            }
        } catch (RuntimeException e) {
            return send(response, asError(e));
        }
    }

    private Mono<Void> answer(String action, byte[] bytes, String userAgent, HttpServerResponse response) {
        JsonNode body;
        try {
            body = parse(bytes);
        } catch (CloudMapError e) {
            counters.record(action, null);
            journal.record(journal.arrive(action, null, userAgent), e.status(), e.type());
            return send(response, e);
        }
        RequestJournal.Arrival arrival = journal.arrive(action, body, userAgent);
        counters.record(action, "GetOperation".equals(action) && body.path("OperationId").isTextual()
                ? body.get("OperationId").asText() : null);
        FaultDecision decision = faults.decide(action);
        Mono<Void> outcome = switch (decision.kind()) {
            case HANG -> Mono.fromRunnable(() -> journal.record(arrival, 0, null))
                    .then(closing)
                    .then(Mono.fromRunnable(() -> response.withConnection(c -> c.channel().close())));
            // SO_LINGER 0 makes close() send a TCP RST, so the client sees a reset, not a clean FIN.
            case RESET -> Mono.fromRunnable(() -> response.withConnection(c -> {
                journal.record(arrival, 0, null);
                c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                c.channel().close();
            }));
            case ERROR -> {
                String type = decision.error().type();
                if ("ThrottlingException".equals(type) || "RequestLimitExceeded".equals(type)) {
                    counters.recordThrottled(action);
                }
                journal.record(arrival, decision.error().status(), type);
                yield send(response, decision.error());
            }
            case NONE -> Mono.fromCallable(() -> dispatcher.dispatch(action, body))
                    .doOnNext(result -> journal.record(arrival, 200, null))
                    .doOnError(e -> {
                        CloudMapError error = e instanceof CloudMapError c ? c : null;
                        journal.record(arrival, error == null ? 500 : error.status(),
                                error == null ? "InternalFailure" : error.type());
                    })
                    .flatMap(result -> send(response, 200, result))
                    .onErrorResume(e -> answerFailure(response, e));
        };
        Duration latency = decision.latency();
        return latency.isZero() ? outcome : Mono.delay(latency).then(outcome);
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            // Some hand-written clients send no body for operations without required members.
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                return mapper.createObjectNode();
            }
            if (!node.isObject()) {
                throw CloudMapError.of("SerializationException", "The request body must be a JSON object, got "
                        + node.getNodeType());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CloudMapError.of("SerializationException", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw CloudMapError.of("SerializationException", "The request body could not be read: " + e.getMessage());
        }
    }

    private static Mono<byte[]> readBody(HttpServerRequest request) {
        // Reading chunk by chunk keeps the limit even when a client sends no Content-Length.
        return request.receive().asByteArray()
                .reduceWith(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length > MAX_BODY_BYTES) {
                        throw tooLarge();
                    }
                    out.writeBytes(chunk);
                    return out;
                })
                .map(ByteArrayOutputStream::toByteArray)
                .defaultIfEmpty(new byte[0]);
    }

    private Mono<Void> send(HttpServerResponse response, CloudMapError error) {
        ObjectNode body = mapper.createObjectNode();
        body.put("__type", error.type());
        body.put("Message", error.getMessage());
        error.extra().forEach(body::put);
        return send(response, error.status(), body);
    }

    private Mono<Void> send(HttpServerResponse response, int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            bytes = ("{\"__type\":\"InternalFailure\",\"Message\":\"The emulator could not write its answer\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            status = 500;
        }
        return response.status(status)
                .header("Content-Type", CONTENT_TYPE)
                .header("Content-Length", Integer.toString(bytes.length))
                .sendByteArray(Mono.just(bytes))
                .then();
    }

    /** Answers a request that failed on its way through the emulator, unless its client has gone. */
    private Mono<Void> answerFailure(HttpServerResponse response, Throwable e) {
        if (clientGone(e)) {
            // A client that gives up (a timeout, Ctrl-C) closes its connection: that is normal, not
            // an emulator failure, and there is no one left to answer.
            LOG.debug("A client closed its connection before the emulator answered: {}", e.toString());
            return Mono.empty();
        }
        return send(response, asError(e));
    }

    /**
     * True when {@code e}, or a cause of it, says the connection was closed from the client's
     * side: reactor-netty's {@link AbortedException} (the request body or the answer was cut
     * off), a closed channel, or an I/O error from a reset or broken connection.
     */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AbortedException || t instanceof ClosedChannelException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof IOException && message != null
                    && (message.contains("Connection reset") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static CloudMapError asError(Throwable e) {
        if (e instanceof CloudMapError error) {
            return error;
        }
        LOG.error("Cloud Map emulator failed while answering a request", e);
        return new CloudMapError("InternalFailure", 500, "The emulator failed: " + e);
    }

    private static CloudMapError tooLarge() {
        return new CloudMapError("RequestEntityTooLargeException", 413, "The request body exceeds the limit of "
                + MAX_BODY_BYTES + " bytes");
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw CloudMapError.of("SerializationException", "Content-Length '" + value + "' is not a number");
        }
    }
}
