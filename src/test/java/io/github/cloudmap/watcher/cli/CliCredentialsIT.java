package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import io.github.cloudmap.watcher.emulator.OperationTimings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * The runnable {@code -cli.jar} finds the credentials people run it with: an IAM Identity Center
 * (SSO) profile, legacy and {@code sso-session}, and web identity as on EKS (IRSA). Each run is
 * the real jar in a JVM of its own with nothing but the SDK's default chain: SSO's
 * GetRoleCredentials and STS's AssumeRoleWithWebIdentity answer from loopback stand-ins
 * ({@code AWS_ENDPOINT_URL_SSO}, {@code AWS_ENDPOINT_URL_STS}), and the watch then runs against
 * the emulator. Without the SDK's {@code sso}, {@code ssooidc} and {@code sts} modules in the jar,
 * the chain answers "... service module must be on the class path" and {@code watch} exits 3.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliCredentialsIT {

    private static final String START_URL = "https://example.awsapps.com/start";

    @TempDir
    static Path dir;

    private final List<String> ssoRequests = new CopyOnWriteArrayList<>();
    private final List<String> stsRequests = new CopyOnWriteArrayList<>();
    private HttpServer stand;
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;

    @BeforeEach
    void forget() {
        ssoRequests.clear();
        stsRequests.clear();
    }

    @BeforeAll
    void start() throws IOException {
        stand = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stand.createContext("/federation/credentials", this::sso);
        stand.createContext("/", this::sts);
        stand.start();
        emulator = CloudMapEmulator.builder().operationTimings(OperationTimings.instant()).start();
        client = Clients.emulator(emulator.endpoint());
        Files.createDirectories(dir.resolve("home/.aws/sso/cache"));
    }

    @AfterAll
    void stop() {
        client.close();
        emulator.close();
        stand.stop(0);
    }

    /** SSO GetRoleCredentials: GET /federation/credentials with the cached bearer token. */
    private void sso(HttpExchange exchange) throws IOException {
        ssoRequests.add(exchange.getRequestURI().getQuery() + " token="
                + exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token"));
        respond(exchange, "application/json", """
                {"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":"sso-secret",\
                "sessionToken":"sso-session-token","expiration":4102444800000}}""");
    }

    /** STS AssumeRoleWithWebIdentity: a form POST carrying the web identity token. */
    private void sts(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        stsRequests.add(URLDecoder.decode(body, StandardCharsets.UTF_8));
        respond(exchange, "text/xml", """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials>
                      <AccessKeyId>ASIASTSEXAMPLE</AccessKeyId>
                      <SecretAccessKey>sts-secret</SecretAccessKey>
                      <SessionToken>sts-session-token</SessionToken>
                      <Expiration>2100-01-01T00:00:00Z</Expiration>
                    </Credentials>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::123456789012:assumed-role/watcher/cli</Arn>
                      <AssumedRoleId>AROAEXAMPLE:cli</AssumedRoleId>
                    </AssumedRoleUser>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>""");
    }

    private static void respond(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String stand() {
        return "http://127.0.0.1:" + stand.getAddress().getPort();
    }

    private String operation() throws Exception {
        return client.createHttpNamespace(b -> b.name("creds-" + System.nanoTime() + ".local"))
                .get(10, TimeUnit.SECONDS).operationId();
    }

    @Test
    void theJarCarriesTheModulesTheDefaultChainLoadsByName() throws IOException {
        try (JarFile jar = new JarFile(cliJar().toFile())) {
            for (String type : List.of(
                    "software/amazon/awssdk/services/sso/auth/SsoProfileCredentialsProviderFactory.class",
                    "software/amazon/awssdk/services/ssooidc/SsoOidcProfileTokenProviderFactory.class",
                    "software/amazon/awssdk/services/sts/internal/StsWebIdentityCredentialsProviderFactory.class")) {
                assertThat(jar.getEntry(type)).as(type).isNotNull();
            }
        }
    }

    @Test
    void watchRunsWithALegacySsoProfile() throws Exception {
        cachedToken(sha1(START_URL), "legacy-token");
        Files.writeString(dir.resolve("config"), """
                [profile dev]
                sso_start_url = %s
                sso_region = us-east-1
                sso_account_id = 123456789012
                sso_role_name = Watcher
                """.formatted(START_URL));

        Run run = watch(operation(), Map.of("AWS_PROFILE", "dev", "AWS_ENDPOINT_URL_SSO", stand()));

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("SUCCESS").doesNotContain("must be on the class path");
        assertThat(ssoRequests).singleElement().asString()
                .contains("role_name=Watcher").contains("account_id=123456789012").contains("token=legacy-token");
    }

    @Test
    void watchRunsWithAnSsoSessionProfile() throws Exception {
        cachedToken(sha1("corp"), "session-token");
        Files.writeString(dir.resolve("config"), """
                [profile dev]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = Watcher

                [sso-session corp]
                sso_start_url = %s
                sso_region = us-east-1
                """.formatted(START_URL));

        Run run = watch(operation(), Map.of("AWS_PROFILE", "dev", "AWS_ENDPOINT_URL_SSO", stand()));

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("SUCCESS").doesNotContain("must be on the class path");
        assertThat(ssoRequests).singleElement().asString().contains("token=session-token");
    }

    @Test
    void watchRunsWithAWebIdentityTokenAsOnEks() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOi.web-identity.token");

        Run run = watch(operation(), Map.of(
                "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/watcher",
                "AWS_ROLE_SESSION_NAME", "cli",
                "AWS_ENDPOINT_URL_STS", stand()));

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("SUCCESS").doesNotContain("must be on the class path");
        assertThat(stsRequests).singleElement().asString()
                .contains("Action=AssumeRoleWithWebIdentity")
                .contains("RoleArn=arn:aws:iam::123456789012:role/watcher")
                .contains("WebIdentityToken=eyJhbGciOi.web-identity.token");
    }

    private void cachedToken(String fileStem, String accessToken) throws IOException {
        Files.writeString(dir.resolve("home/.aws/sso/cache/" + fileStem + ".json"), """
                {"startUrl":"%s","region":"us-east-1","accessToken":"%s","expiresAt":"2100-01-01T00:00:00Z"}"""
                .formatted(START_URL, accessToken));
    }

    private record Run(int exit, String output) {
    }

    /** The jar, in a JVM of its own, with an environment that holds only what the test gives it. */
    private Run watch(String operationId, Map<String, String> credentials) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", cliJar().toString(),
                "watch", operationId, "--region", "us-east-1",
                "--endpoint-url", emulator.endpoint().toString(), "--timeout", "30s")
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("HOME", dir.resolve("home").toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString());
        env.put("AWS_REGION", "us-east-1");
        // No instance metadata on a test machine: without this the chain waits for IMDS.
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(credentials);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the jar exits").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static Path cliJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("basedir", "."), "target"))) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith("-cli.jar")).toList();
            assertThat(jars).as("the -cli.jar built by package").hasSize(1);
            return jars.get(0);
        }
    }

    private static String sha1(String text) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
