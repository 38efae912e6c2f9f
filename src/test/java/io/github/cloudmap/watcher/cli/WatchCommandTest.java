package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * {@code watch}: exit codes, output lines and error messages, against a scripted client. Runs
 * that need time to pass go through {@link WatchCommand#exitCode} in virtual time; runs that end
 * on the first poll go through picocli's {@code execute}, as a user's would.
 */
class WatchCommandTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Duration VERIFY_BOUND = Duration.ofSeconds(10);

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Region requestedRegion;
    private ClientFactory clients = (region, endpoint) -> {
        requestedRegion = region;
        return client;
    };

    private CommandLine cli() {
        CliEnvironment env = new CliEnvironment((r, e) -> clients.create(r, e),
                Clock.fixed(NOW, ZoneOffset.UTC), UnaryOperator.identity(), false);
        return Main.commandLine(env).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private int execute(String... args) {
        return cli().execute(args);
    }

    /** Parses {@code args} and returns the watch command, ready to run in virtual time. */
    private WatchCommand parsed(String... args) {
        CommandLine cli = cli();
        return cli.parseArgs(args).subcommand().commandSpec().commandLine().getCommand();
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void printsEachStatusChangeAndExits0OnSuccess() {
        client.script("op-1").submitted().submitted().pending().success();
        WatchCommand watch = parsed("watch", "op-1", "--region", "eu-west-1");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(WatchCommand.SUCCEEDED)
                .verifyComplete();

        assertThat(outLines()).containsExactly(
                "2026-01-02T03:04:05Z  op-1  REGISTER_INSTANCE  SUBMITTED",
                "2026-01-02T03:04:05Z  op-1  REGISTER_INSTANCE  PENDING",
                "2026-01-02T03:04:05Z  op-1  REGISTER_INSTANCE  SUCCESS");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void executeExits0AndPassesTheRegionToTheClientFactory() {
        client.script("op-1").success();

        assertThat(execute("watch", "op-1", "--region", "eu-west-1")).isZero();
        assertThat(requestedRegion).isEqualTo(Region.EU_WEST_1);
        assertThat(outLines()).hasSize(1);
    }

    @Test
    void failPrintsErrorCodeAndErrorMessageAndExits1() {
        client.script("op-1").fail("ACCESS_DENIED", "User is not authorized");

        assertThat(execute("watch", "op-1")).isEqualTo(WatchCommand.FAILED);

        assertThat(outLines()).containsExactly(
                "2026-01-02T03:04:05Z  op-1  REGISTER_INSTANCE  FAIL  ACCESS_DENIED: User is not authorized");
        assertThat(err.toString()).contains("ErrorCode ACCESS_DENIED", "ErrorMessage User is not authorized");
    }

    @Test
    void timeoutExits2AndPrintsTheLastStatusSeen() {
        client.script("op-1").submitted().pending();
        WatchCommand watch = parsed("watch", "op-1", "--timeout", "90s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(89))
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(WatchCommand.TIMED_OUT)
                .expectComplete()
                .verify(VERIFY_BOUND);

        assertThat(err.toString()).contains("Timed out after PT1M30S", "last status seen: PENDING");
    }

    @Test
    void aTimeoutAfterOnlyNotFoundAnswersSaysSo() {
        client.script("op-typo").notFound();
        WatchCommand watch = parsed("watch", "op-typo", "--timeout", "10s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(WatchCommand.TIMED_OUT)
                .verifyComplete();

        assertThat(err.toString()).contains("last status seen: none (Cloud Map answered OperationNotFound");
    }

    @Test
    void jsonModePrintsOneParsableObjectPerStatusChange() throws Exception {
        client.script("op-ns").type(OperationType.CREATE_NAMESPACE)
                .target(OperationTargetType.NAMESPACE, "ns-123").pending().success();
        WatchCommand watch = parsed("watch", "op-ns", "--json");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(WatchCommand.SUCCEEDED)
                .verifyComplete();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = outLines().stream().map(line -> {
            try {
                return json.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
        assertThat(lines).extracting(n -> n.get("status").asText()).containsExactly("PENDING", "SUCCESS");
        JsonNode last = lines.get(1);
        assertThat(last.get("operationId").asText()).isEqualTo("op-ns");
        assertThat(last.get("type").asText()).isEqualTo("CREATE_NAMESPACE");
        assertThat(last.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(last.at("/targets/NAMESPACE").asText()).isEqualTo("ns-123");
    }

    @Test
    void jsonModeCarriesErrorCodeAndMessageOfAFail() throws Exception {
        client.script("op-1").fail("THROTTLED_REQUEST", "Rate exceeded");

        assertThat(execute("watch", "--json", "op-1")).isEqualTo(WatchCommand.FAILED);

        JsonNode line = new ObjectMapper().readTree(outLines().get(0));
        assertThat(line.get("errorCode").asText()).isEqualTo("THROTTLED_REQUEST");
        assertThat(line.get("errorMessage").asText()).isEqualTo("Rate exceeded");
    }

    @Test
    void jsonModePrintsATimeoutOutcomeOnStdoutAndKeepsTheMessageOnStderr() throws Exception {
        client.script("op-1").submitted().pending();
        WatchCommand watch = parsed("watch", "op-1", "--json", "--timeout", "90s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(90))
                .expectNext(WatchCommand.TIMED_OUT)
                .verifyComplete();

        List<String> lines = outLines();
        assertThat(lines).hasSize(3);
        JsonNode outcome = new ObjectMapper().readTree(lines.get(2));
        assertThat(outcome.get("outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(outcome.get("operationId").asText()).isEqualTo("op-1");
        assertThat(outcome.get("lastStatus").asText()).isEqualTo("PENDING");
        assertThat(outcome.get("timeout").asText()).isEqualTo("PT1M30S");
        assertThat(outcome.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(err.toString()).contains("Timed out after PT1M30S", "last status seen: PENDING");
    }

    @Test
    void jsonModeTimeoutWithoutAnyStatusHasANullLastStatus() throws Exception {
        client.script("op-typo").notFound();
        WatchCommand watch = parsed("watch", "op-typo", "--json", "--timeout", "10s");

        StepVerifier.withVirtualTime(() -> watch.exitCode(client))
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(WatchCommand.TIMED_OUT)
                .verifyComplete();

        JsonNode outcome = new ObjectMapper().readTree(outLines().get(0));
        assertThat(outcome.get("outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(outcome.get("lastStatus").isNull()).isTrue();
        assertThat(outcome.get("message").asText()).contains("OperationNotFound");
    }

    @Test
    void jsonModePrintsAnErrorOutcomeOnStdoutAndKeepsTheMessageOnStderr() throws Exception {
        client.script("op-1").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "not allowed"));

        assertThat(execute("watch", "--json", "op-1")).isEqualTo(WatchCommand.ERROR);

        assertThat(outLines()).hasSize(1);
        JsonNode outcome = new ObjectMapper().readTree(outLines().get(0));
        assertThat(outcome.get("outcome").asText()).isEqualTo("ERROR");
        assertThat(outcome.get("operationId").asText()).isEqualTo("op-1");
        assertThat(outcome.get("error").asText()).endsWith("ServiceDiscoveryException");
        assertThat(outcome.get("message").asText())
                .isEqualTo("Cloud Map answered AccessDeniedException (HTTP 400): not allowed");
        assertThat(err.toString()).contains("error: Cloud Map answered AccessDeniedException");
    }

    @Test
    void jsonModePrintsAnErrorOutcomeWhenTheClientCannotBeBuilt() throws Exception {
        clients = (region, endpoint) -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        };

        assertThat(execute("watch", "--json", "op-1")).isEqualTo(WatchCommand.ERROR);

        JsonNode outcome = new ObjectMapper().readTree(out.toString().strip());
        assertThat(outcome.get("outcome").asText()).isEqualTo("ERROR");
        assertThat(outcome.get("error").asText()).isEqualTo(SdkClientException.class.getName());
        assertThat(outcome.get("message").asText()).startsWith("Unable to load region");
    }

    @Test
    void textModePrintsNothingOnStdoutForAnError() {
        client.script("op-1").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "not allowed"));

        assertThat(execute("watch", "op-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void versionComesFromTheManifestOrSaysDevelopmentBuild() {
        assertThat(execute("--version")).isZero();
        // Test classes run from target/classes, where there is no manifest: the fallback shows.
        String expected = ManifestVersion.line(Main.class.getPackage().getImplementationVersion());
        assertThat(out.toString().strip()).isEqualTo(expected).startsWith("cloudmap-watcher ");
        assertThat(ManifestVersion.line(null)).isEqualTo("cloudmap-watcher development build");
        assertThat(ManifestVersion.line(" ")).isEqualTo("cloudmap-watcher development build");
        assertThat(ManifestVersion.line("0.1.0-SNAPSHOT")).isEqualTo("cloudmap-watcher 0.1.0-SNAPSHOT");
    }

    @Test
    void theOwnerAccountIsSentWithEveryGetOperation() {
        client.script("op-1").success();

        assertThat(execute("watch", "op-1", "--owner-account", "123456789012")).isZero();
        assertThat(client.getOperationRequests()).extracting(r -> r.ownerAccount()).containsOnly("123456789012");
    }

    @Test
    void aBadOperationIdExits3WithTheValidationMessage() {
        assertThat(execute("watch", "x".repeat(256))).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).startsWith("error: invalid input: ").contains("255");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void aBadOwnerAccountExits3WithTheValidationMessage() {
        assertThat(execute("watch", "op-1", "--owner-account", "12345")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).startsWith("error: invalid input: ").contains("12");
    }

    @Test
    void missingCredentialsExit3WithTheSdkMessage() {
        client.script("op-1").error(() -> SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain"));

        assertThat(execute("watch", "op-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString().strip())
                .isEqualTo("error: Unable to load credentials from any of the providers in the chain");
    }

    @Test
    void aServiceErrorExits3NamingTheErrorCode() {
        client.script("op-1").error(() -> SdkErrors.serviceError(400, "AccessDeniedException", "not allowed"));

        assertThat(execute("watch", "op-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Cloud Map answered AccessDeniedException (HTTP 400): not allowed");
    }

    @Test
    void aClientThatCannotBeBuiltExits3WithItsMessage() {
        clients = (region, endpoint) -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        };

        assertThat(execute("watch", "op-1")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Unable to load region");
    }

    @Test
    void anUnreadableTimeoutExits3ShowingTheAcceptedForms() {
        assertThat(execute("watch", "op-1", "--timeout", "5 minutes")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("'5 minutes' is not a duration", "30s", "PT5M");
    }

    @Test
    void aHugeTimeoutExits3SayingItIsTooLarge() {
        // 106752d is just over 2^63 nanoseconds: it used to wrap around to a negative duration.
        assertThat(execute("watch", "op-1", "--timeout", "106752d")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("'106752d' is too large: at most 1 day (24h or PT24H)");
    }

    @Test
    void aTimeoutOverTheLibrarysLimitIsRefusedByTheOptionNotByTheWatcher() {
        // It used to pass the option and fail in the builder: "invalid input: timeout must be at most PT24H".
        assertThat(execute("watch", "op-1", "--timeout", "2d")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("--timeout", "'2d' is too large: at most 1 day (24h or PT24H)")
                .doesNotContain("invalid input");
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void aTimeoutOfExactlyOneDayIsAccepted() {
        client.script("op-1").success();

        assertThat(execute("watch", "op-1", "--timeout", "24h")).isZero();
    }

    @Test
    void aZeroTimeoutExits3() {
        assertThat(execute("watch", "op-1", "--timeout", "0s")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("--timeout must be positive");
    }

    @Test
    void aMissingOperationIdExits3() {
        assertThat(execute("watch")).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Missing required parameter: '<operation-id>'");
    }

    @Test
    void helpExits0AndListsTheExitCodes() {
        assertThat(execute("watch", "--help")).isZero();
        assertThat(out.toString()).contains("--owner-account", "--endpoint-url", "Exit codes:", "timed out");
    }

    @Test
    void noSubcommandPrintsUsageAndExits3() {
        assertThat(execute()).isEqualTo(WatchCommand.ERROR);
        assertThat(err.toString()).contains("Usage: cloudmap-watcher", "watch");
    }
}
