package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The emulator under abuse: seeded random hostile requests over real HTTP on loopback (random
 * bytes, wrong JSON types, huge and deeply nested JSON, missing and unknown members, bad targets,
 * headers, methods and request lines, malformed Content-Length, written to a raw socket). Every
 * answer must be a well-formed AWS JSON 1.1 answer ({@code __type} and {@code Message} on an
 * error), and the emulator must keep serving: a valid request succeeds every 100 cases and at the
 * end.
 *
 * <p>The seed is printed first and in every failure; {@code -Dfuzz.seed=N} replays a run,
 * {@code -Dfuzz.cases=N} sets its length (default 1,000).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorFuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    private static final int CASES = Integer.getInteger("fuzz.cases", 1_000);
    private static final String PREFIX = ActionDispatcher.TARGET_PREFIX;
    private static final List<String> OPERATIONS = ActionDispatcher.MODEL_OPERATIONS.stream().sorted().toList();
    private static final List<String> MEMBERS = List.of("OperationId", "OwnerAccount", "Name", "NamespaceId",
            "ServiceId", "InstanceId", "Id", "CreatorRequestId", "Description", "Attributes", "Filters",
            "MaxResults", "NextToken", "Tags", "DnsConfig", "HealthCheckConfig", "HealthCheckCustomConfig",
            "Namespace", "Service", "Properties", "QueryParameters", "OptionalParameters", "HealthStatus",
            "Type", "Vpc", "UpdaterRequestId", "ResourceARN", "TagKeys", "Status", "Values", "Condition",
            "Unknown", "__type", "");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CloudMapEmulator emulator;
    private URI endpoint;
    private final List<String> realIds = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        System.out.println("EmulatorFuzzIT: seed " + SEED + ", " + CASES + " cases (replay with -Dfuzz.seed=" + SEED + ")");
        emulator = CloudMapEmulator.builder().seed(SEED).operationTimings(OperationTimings.instant()).start();
        endpoint = emulator.endpoint();
        // Real IDs, so that random requests also reach the handlers' deeper paths.
        JsonNode created = post("CreateHttpNamespace", "{\"Name\":\"fuzz\"}");
        String operationId = created.get("OperationId").asText();
        realIds.add(operationId);
        String namespaceId = post("GetOperation", "{\"OperationId\":\"" + operationId + "\"}")
                .path("Operation").path("Targets").path("NAMESPACE").asText();
        realIds.add(namespaceId);
        String serviceId = post("CreateService", "{\"Name\":\"web\",\"NamespaceId\":\"" + namespaceId + "\"}")
                .path("Service").path("Id").asText();
        realIds.add(serviceId);
        realIds.add("i-1");
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    @Test
    void everyHostileRequestGetsAWellFormedJsonAnswerAndTheEmulatorKeepsServing() throws IOException {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        java.util.Map<String, Integer> byKind = new java.util.TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            HostileRequest request = draw(random);
            RawHttp.Answer answer = RawHttp.exchange(endpoint, request.bytes(), request.readTimeoutMillis());
            String problem = problem(request, answer);
            if (problem != null) {
                failures.add("case " + i + " [" + request.kind() + "] " + request.describe() + "\n    -> " + answer
                        + "\n    " + problem);
                byKind.merge(request.kind() + ": " + (answer.closedWithoutAnswer() ? "no answer" : answer.status() + " " + problem),
                        1, Integer::sum);
            }
            if (i % 100 == 99) {
                assertServing("after case " + i);
            }
        }
        assertServing("at the end");
        assertThat(failures)
                .as("seed %d (replay with -Dfuzz.seed=%d): %d of %d hostile requests got a bad answer: %s; first ones:%n%s",
                        SEED, SEED, failures.size(), CASES, byKind,
                        String.join("\n", failures.subList(0, Math.min(15, failures.size()))))
                .isEmpty();
    }

    /** Why {@code answer} is not acceptable for {@code request}, or {@code null}. */
    private static String problem(HostileRequest request, RawHttp.Answer answer) {
        if (answer.closedWithoutAnswer()) {
            return request.mayGoUnanswered() ? null : "no answer";
        }
        if (!WireHandler.CONTENT_TYPE.equals(answer.header("Content-Type"))) {
            return "Content-Type is " + answer.header("Content-Type");
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(answer.body());
        } catch (IOException e) {
            return "body is not JSON: " + e.getMessage();
        }
        if (body == null || !body.isObject()) {
            return "body is not a JSON object";
        }
        if (answer.status() == 200) {
            return null;
        }
        if (answer.status() < 400 || answer.status() > 599) {
            return "status " + answer.status();
        }
        if (!body.path("__type").isTextual() || body.path("__type").asText().isEmpty()) {
            return "error without __type";
        }
        if (!body.path("Message").isTextual()) {
            return "error without Message";
        }
        if ("InternalFailure".equals(body.path("__type").asText())) {
            return "the emulator failed on it (InternalFailure)";
        }
        return null;
    }

    private void assertServing(String when) throws IOException {
        RawHttp.Answer answer = RawHttp.exchange(endpoint, postRequest("ListNamespaces", "{}".getBytes(StandardCharsets.UTF_8)), 10_000);
        assertThat(answer.status()).as("seed %d: a valid request %s: %s", SEED, when, answer).isEqualTo(200);
        assertThat(MAPPER.readTree(answer.body()).path("Namespaces").isArray()).as("seed %d: %s", SEED, answer).isTrue();
    }

    private JsonNode post(String operation, String body) throws IOException {
        RawHttp.Answer answer = RawHttp.exchange(endpoint, postRequest(operation, body.getBytes(StandardCharsets.UTF_8)), 10_000);
        assertThat(answer.status()).as("%s %s: %s", operation, body, answer).isEqualTo(200);
        return MAPPER.readTree(answer.body());
    }

    // ---- the hostile requests -------------------------------------------------------------

    /** One request as bytes, with what it is and how long to wait for its answer. */
    record HostileRequest(String kind, String describe, byte[] bytes, int readTimeoutMillis, boolean mayGoUnanswered) {

        static HostileRequest of(String kind, String describe, byte[] bytes) {
            return new HostileRequest(kind, describe, bytes, 10_000, false);
        }
    }

    private HostileRequest draw(Random random) {
        String operation = OPERATIONS.get(random.nextInt(OPERATIONS.size()));
        switch (random.nextInt(12)) {
            case 0: {
                byte[] body = new byte[random.nextInt(2_000)];
                random.nextBytes(body);
                return HostileRequest.of("random bytes", operation + " " + body.length + " bytes", postRequest(operation, body));
            }
            case 1: {
                String body = randomValue(random, 3).toString();
                return HostileRequest.of("JSON, not an object", operation + " " + abbreviate(body), postRequest(operation, utf8(body)));
            }
            case 2:
            case 3:
            case 4: {
                String body = randomObject(random, 4).toString();
                return HostileRequest.of("random members", operation + " " + abbreviate(body), postRequest(operation, utf8(body)));
            }
            case 5: {
                int depth = 500 + random.nextInt(random.nextBoolean() ? 2_000 : 200_000);
                boolean arrays = random.nextBoolean();
                StringBuilder body = new StringBuilder("{\"" + MEMBERS.get(random.nextInt(MEMBERS.size())) + "\":");
                body.append((arrays ? "[" : "{\"a\":").repeat(depth)).append("1").append((arrays ? "]" : "}").repeat(depth)).append('}');
                return HostileRequest.of("deeply nested", operation + " depth " + depth, postRequest(operation, utf8(body.toString())));
            }
            case 6:
                return huge(random, operation);
            case 7:
                return badTarget(random);
            case 8:
                return badHeaders(random, operation);
            case 9:
                return badContentLength(random, operation);
            case 10:
                return badRequestLine(random, operation);
            default: {
                // valid JSON text with invalid UTF-8 inside a string, or odd numbers
                byte[] body = random.nextBoolean()
                        ? concat(utf8("{\"Name\":\""), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, utf8("\"}"))
                        : utf8("{\"MaxResults\":" + List.of("1e999999", "-0", "1.5", "NaN", "0x10", "99999999999999999999999",
                                "1" + "0".repeat(5_000)).get(random.nextInt(7)) + "}");
                return HostileRequest.of("odd encodings", operation + " " + abbreviate(new String(body, StandardCharsets.ISO_8859_1)),
                        postRequest(operation, body));
            }
        }
    }

    private HostileRequest huge(Random random, String operation) {
        int size = WireHandler.MAX_BODY_BYTES - 50_000 + random.nextInt(100_000);
        String member = MEMBERS.get(random.nextInt(MEMBERS.size()));
        String body = switch (random.nextInt(3)) {
            case 0 -> "{\"" + member + "\":\"" + "x".repeat(size) + "\"}";
            case 1 -> "{\"" + member + "\":[" + "1,".repeat(size / 2) + "1]}";
            default -> "{\"" + "k".repeat(size) + "\":1}";
        };
        return HostileRequest.of("huge", operation + " " + body.length() + " bytes in " + member, postRequest(operation, utf8(body)));
    }

    private HostileRequest badTarget(Random random) {
        String target = List.of("", PREFIX, "Route53AutoNaming_v20170314", PREFIX + "getOperation", PREFIX + "GetOperations",
                PREFIX + "GetOperation ", " " + PREFIX + "GetOperation", "Route53AutoNaming_v20170315.GetOperation",
                PREFIX + "..", PREFIX + "GetOperation." + "x".repeat(random.nextInt(6_000)), "\u00e9\u00e8",
                PREFIX + "GetOperation\tx", "AmazonS3.GetObject").get(random.nextInt(13));
        boolean omit = random.nextInt(5) == 0;
        String head = "POST / HTTP/1.1\nHost: localhost\nContent-Type: application/x-amz-json-1.1\nConnection: close\n"
                + (omit ? "" : "X-Amz-Target: " + target + "\n") + "Content-Length: 2";
        return HostileRequest.of("bad target", omit ? "no X-Amz-Target" : abbreviate(target), RawHttp.request(head, utf8("{}")));
    }

    private HostileRequest badHeaders(Random random, String operation) {
        String base = "Host: localhost\nX-Amz-Target: " + PREFIX + operation + "\nConnection: close\n";
        String head;
        String what;
        switch (random.nextInt(7)) {
            case 0 -> {
                what = "wrong Content-Type";
                head = base + "Content-Type: " + List.of("text/plain", "application/json", "", "x/\u00ff", ";;;").get(random.nextInt(5));
            }
            case 1 -> {
                what = "two X-Amz-Target";
                head = base + "X-Amz-Target: " + PREFIX + "ListNamespaces";
            }
            case 2 -> {
                what = "header of " + (4_000 + random.nextInt(12_000)) + " bytes";
                head = base + "X-Big: " + "b".repeat(Integer.parseInt(what.split(" ")[2]));
            }
            case 3 -> {
                what = "hundreds of headers";
                StringBuilder many = new StringBuilder(base);
                for (int i = 0; i < 300 + random.nextInt(300); i++) {
                    many.append("X-H").append(i).append(": ").append(i).append('\n');
                }
                head = many.substring(0, many.length() - 1);
            }
            case 4 -> {
                what = "header without a colon";
                head = base + "NoColonHere";
            }
            case 5 -> {
                what = "Authorization garbage";
                head = base + "Authorization: AWS4-HMAC-SHA256 " + "\u00e9".repeat(random.nextInt(50)) + "Credential=/,,,=";
            }
            default -> {
                what = "chunked with a bad chunk size";
                return HostileRequest.of("bad headers", what, RawHttp.request("POST / HTTP/1.1\n" + base
                        + "Transfer-Encoding: chunked", utf8(List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\nFFFFFFFFFFFFFFFF\r\n",
                                "-1\r\n{}\r\n0\r\n\r\n").get(random.nextInt(3)))));
            }
        }
        return HostileRequest.of("bad headers", what, RawHttp.request("POST / HTTP/1.1\n" + head + "\nContent-Length: 2", utf8("{}")));
    }

    private HostileRequest badContentLength(Random random, String operation) {
        String base = "POST / HTTP/1.1\nHost: localhost\nX-Amz-Target: " + PREFIX + operation
                + "\nContent-Type: application/x-amz-json-1.1\nConnection: close\n";
        byte[] body = utf8("{}");
        int kind = random.nextInt(8);
        String length = List.of("abc", "-5", "1e3", "99999999999999999999", " 2 ", "2, 2", "0x2", "").get(kind);
        if (random.nextInt(4) == 0) {
            // two conflicting lengths
            return HostileRequest.of("malformed Content-Length", "Content-Length: 2 and 3",
                    RawHttp.request(base + "Content-Length: 2\nContent-Length: 3", body));
        }
        if (random.nextInt(4) == 0) {
            // longer than the body: the server waits for the rest (HTTP semantics); the client gives up
            return new HostileRequest("malformed Content-Length", "Content-Length: 50 with 2 bytes sent",
                    RawHttp.request(base + "Content-Length: 50", body), 300, true);
        }
        if (random.nextInt(4) == 0) {
            return HostileRequest.of("malformed Content-Length", "Content-Length: 1 with 2 bytes sent",
                    RawHttp.request(base + "Content-Length: 1", body));
        }
        return HostileRequest.of("malformed Content-Length", "Content-Length: '" + length + "'",
                RawHttp.request(base + "Content-Length: " + length, body));
    }

    private HostileRequest badRequestLine(Random random, String operation) {
        String rest = "Host: localhost\nX-Amz-Target: " + PREFIX + operation
                + "\nContent-Type: application/x-amz-json-1.1\nConnection: close\nContent-Length: 2";
        String line = List.of("GET / HTTP/1.1", "PUT /x HTTP/1.1", "FOO / HTTP/1.1", "POST /../../etc/passwd HTTP/1.1",
                "POST http://example.com/ HTTP/1.1", "POST * HTTP/1.1", "POST / HTTP/9.9", "POST /%zz HTTP/1.1",
                "POST /" + "a".repeat(5_000 + random.nextInt(10_000)) + " HTTP/1.1", "\u0001\u0002 / HTTP/1.1",
                "POST / HTTP/1.0", "POST /?Action=GetOperation HTTP/1.1").get(random.nextInt(12));
        return HostileRequest.of("bad request line", abbreviate(line), RawHttp.request(line + "\n" + rest, utf8("{}")));
    }

    private JsonNode randomValue(Random random, int depth) {
        switch (random.nextInt(depth <= 0 ? 7 : 9)) {
            case 0: return JSON.textNode(randomString(random));
            case 1: return JSON.numberNode(random.nextInt(2_000) - 1_000);
            case 2: return JSON.numberNode(random.nextDouble() * 1e6);
            case 3: return JSON.booleanNode(random.nextBoolean());
            case 4: return JSON.nullNode();
            case 5: return JSON.textNode(realIds.isEmpty() ? "x" : realIds.get(random.nextInt(realIds.size())));
            case 6: return JSON.numberNode(BigInteger.TWO.pow(64 + random.nextInt(64)).add(BigInteger.ONE));
            case 7: {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                return array;
            }
            default: return randomObject(random, depth - 1);
        }
    }

    private ObjectNode randomObject(Random random, int depth) {
        ObjectNode object = JSON.objectNode();
        for (int i = random.nextInt(6); i > 0; i--) {
            object.set(MEMBERS.get(random.nextInt(MEMBERS.size())), randomValue(random, depth));
        }
        return object;
    }

    private static String randomString(Random random) {
        int length = List.of(0, 1, 12, 64, 255, 256, 1_024, 5_001).get(random.nextInt(8));
        StringBuilder s = new StringBuilder(length);
        String alphabet = "abcXYZ019-_.:/ \u00e9\u4e2d\ud83d\ude00\"\\\u0000\n";
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static byte[] postRequest(String operation, byte[] body) {
        return RawHttp.request("POST / HTTP/1.1\nHost: localhost\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: "
                + PREFIX + operation + "\nConnection: close\nContent-Length: " + body.length, body);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + " chars)" : s;
    }
}
