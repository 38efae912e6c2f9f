package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact wire shapes, checked with a plain HTTP client instead of an AWS SDK. */
class WireProtocolIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MutableClock CLOCK = MutableClock.at("2020-04-16T16:51:00.121Z");
    private static CloudMapEmulator emulator;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        emulator = CloudMapEmulator.builder().clock(CLOCK).operationTimings(OperationTimings.instant()).start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", "Route53AutoNaming_v20170314." + target);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        return JSON.readTree(response.body());
    }

    @Test
    void successAnswersCarryJsonTimestampsAsEpochSecondsWithMillis() throws Exception {
        HttpResponse<String> created = post("CreateHttpNamespace", "{\"Name\":\"wire\",\"CreatorRequestId\":\"w-1\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        String operationId = json(created).get("OperationId").asText();

        HttpResponse<String> op = post("GetOperation", "{\"OperationId\":\"" + operationId + "\"}");
        assertThat(op.statusCode()).isEqualTo(200);
        assertThat(op.body()).contains("\"CreateDate\":1587055860.121").contains("\"UpdateDate\":1587055860.121");
        JsonNode operation = json(op).get("Operation");
        assertThat(operation.get("CreateDate").isNumber()).isTrue();
        assertThat(operation.get("Status").asText()).isEqualTo("SUCCESS");
        assertThat(operation.get("Type").asText()).isEqualTo("CREATE_NAMESPACE");
        assertThat(operation.get("Targets").get("NAMESPACE").asText()).startsWith("ns-");
    }

    @Test
    void errorsCarryTypeMessageAndDocumentedExtraMembers() throws Exception {
        HttpResponse<String> missing = post("GetOperation", "{\"OperationId\":\"nope\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode body = json(missing);
        assertThat(body.get("__type").asText()).isEqualTo("OperationNotFound");
        assertThat(body.get("Message").asText()).contains("nope");

        post("CreateHttpNamespace", "{\"Name\":\"taken\",\"CreatorRequestId\":\"a\"}");
        JsonNode exists = json(post("CreateHttpNamespace", "{\"Name\":\"taken\",\"CreatorRequestId\":\"b\"}"));
        assertThat(exists.get("__type").asText()).isEqualTo("NamespaceAlreadyExists");
        assertThat(exists.get("NamespaceId").asText()).startsWith("ns-");
        assertThat(exists.get("CreatorRequestId").asText()).isEqualTo("a");
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        for (String body : new String[] {"{\"Name\":", "[1,2]", "{} trailing"}) {
            HttpResponse<String> response = post("ListNamespaces", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response).get("__type").asText()).isEqualTo("SerializationException");
        }
    }

    @Test
    void missingOrWrongTypedMembersAreInvalidInputNamingTheMember() throws Exception {
        JsonNode missing = json(post("CreateHttpNamespace", "{}"));
        assertThat(missing.get("__type").asText()).isEqualTo("InvalidInput");
        assertThat(missing.get("Message").asText()).contains("Name");
        JsonNode wrongType = json(post("ListNamespaces", "{\"MaxResults\":\"ten\"}"));
        assertThat(wrongType.get("__type").asText()).isEqualTo("InvalidInput");
        assertThat(wrongType.get("Message").asText()).contains("MaxResults");
        JsonNode badMap = json(post("RegisterInstance", "{\"ServiceId\":\"srv-x\",\"InstanceId\":\"i\",\"Attributes\":{\"a\":1}}"));
        assertThat(badMap.get("__type").asText()).isEqualTo("InvalidInput");
        assertThat(badMap.get("Message").asText()).contains("Attributes.a");
    }

    @Test
    void emptyBodyIsAnEmptyRequest() throws Exception {
        HttpResponse<String> response = post("ListNamespaces", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("Namespaces").isArray()).isTrue();
    }

    @Test
    void unknownMissingOrUnimplementedTargetsAreUnknownOperationException() throws Exception {
        JsonNode missing = json(post(null, "{}"));
        assertThat(missing.get("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(missing.get("Message").asText()).contains("X-Amz-Target");
        JsonNode unknown = json(post("FlyToTheMoon", "{}"));
        assertThat(unknown.get("__type").asText()).isEqualTo("UnknownOperationException");
    }

    @Test
    void everyOperationOfTheModelIsImplemented() throws Exception {
        for (String action : ActionDispatcher.MODEL_OPERATIONS) {
            JsonNode answer = json(post(action, "{}"));
            // An empty body misses required members of most operations: InvalidInput, never "not implemented".
            assertThat(answer.path("__type").asText()).as(action + ": " + answer).isNotEqualTo("UnknownOperationException");
        }
    }

    @Test
    void nonPostIsRefusedWithJson() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/health"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).get("Message").asText()).contains("POST");
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        String huge = "{\"Name\":\"" + "x".repeat(WireHandler.MAX_BODY_BYTES + 10) + "\"}";
        HttpResponse<String> response = post("CreateHttpNamespace", huge);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("__type").asText()).isEqualTo("RequestEntityTooLargeException");
        // The server is still fine afterwards.
        assertThat(post("ListNamespaces", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsRefusedAsTooLargeOrNotImplementedAreCountedOnce() throws Exception {
        RequestCounters counters = emulator.counters();
        int creates = counters.count("CreateHttpNamespace");
        int tags = counters.count("TagResource");
        int total = counters.total();
        String huge = "{\"Name\":\"" + "x".repeat(WireHandler.MAX_BODY_BYTES + 10) + "\"}";

        assertThat(post("CreateHttpNamespace", huge).statusCode()).isEqualTo(413);
        // Without a Content-Length (chunked), the limit is found while reading the body.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(5))
                .header("X-Amz-Target", "Route53AutoNaming_v20170314.CreateHttpNamespace")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(post("TagResource", "{}").statusCode()).isEqualTo(400);
        assertThat(post("FlyToTheMoon", "{}").statusCode()).isEqualTo(400);

        assertThat(counters.count("CreateHttpNamespace")).isEqualTo(creates + 2);
        assertThat(counters.count("TagResource")).isEqualTo(tags + 1);
        assertThat(counters.count("FlyToTheMoon")).as("not an operation of the model").isZero();
        assertThat(counters.total()).isEqualTo(total + 3);
    }

    @Test
    void endpointIsAPlainHttpUri() {
        URI endpoint = emulator.endpoint();
        assertThat(endpoint.toString()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(emulator.toString()).contains(endpoint.toString());
    }
}
