package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests that Netty's HTTP decoder rejects before the emulator's handler sees them still get an
 * AWS JSON 1.1 error ({@code MalformedHttpRequestException}, with the status Netty chose), not an
 * empty answer; and the emulator serves the next request. The fixed cases behind what
 * {@link EmulatorFuzzIT} draws at random.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestIT {

    private static final String HEAD = "POST / HTTP/1.1\nHost: localhost\nContent-Type: application/x-amz-json-1.1\n"
            + "X-Amz-Target: Route53AutoNaming_v20170314.ListNamespaces\nConnection: close\n";

    private CloudMapEmulator emulator;

    @BeforeAll
    void start() {
        emulator = CloudMapEmulator.builder().start();
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    /** Header lines are separated by {@code ~} (a CSV value cannot hold a line break). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "non-numeric Content-Length | Content-Length: abc                        | 400",
            "negative Content-Length    | Content-Length: -5                         | 400",
            "Content-Length past 2^63   | Content-Length: 99999999999999999999       | 400",
            "two Content-Lengths        | Content-Length: 2~Content-Length: 3        | 400",
            "a header without a colon   | NoColonHere~Content-Length: 2              | 400",
            "a bad chunk size           | Transfer-Encoding: chunked                 | 400",
            "a 16 KiB header            | X-Big: BIG~Content-Length: 2               | 431",
    })
    void isAnsweredWithAJsonErrorAndTheNextRequestIsServed(String what, String headers, int status) throws IOException {
        String head = HEAD + headers.replace("~", "\n").replace("BIG", "b".repeat(16 * 1024));
        String body = headers.contains("chunked") ? "zz\r\n{}\r\n0\r\n\r\n" : "{}";
        RawHttp.Answer answer = RawHttp.exchange(emulator.endpoint(), RawHttp.request(head, body.getBytes(StandardCharsets.UTF_8)), 10_000);

        assertThat(answer.status()).as("%s: %s", what, answer).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo(WireHandler.CONTENT_TYPE);
        JsonNode error = new ObjectMapper().readTree(answer.body());
        assertThat(error.path("__type").asText()).isEqualTo("MalformedHttpRequestException");
        assertThat(error.path("Message").asText()).startsWith("The request could not be read as HTTP/1.1: ");

        RawHttp.Answer next = RawHttp.exchange(emulator.endpoint(),
                RawHttp.request(HEAD + "Content-Length: 2", "{}".getBytes(StandardCharsets.UTF_8)), 10_000);
        assertThat(next.status()).as("the next request: %s", next).isEqualTo(200);
    }
}
