package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;

/**
 * No credential, {@code Authorization} header or signature is logged by the library, the emulator
 * or the command line, with logging turned up to DEBUG. Each run is a JVM of its own
 * (slf4j-simple reads its levels once, at start) whose whole output is searched for the secret
 * key, the session token, the access key ID and the parts of an {@code Authorization} header.
 *
 * <p>Two loggers of the AWS SDK write credentials at DEBUG by design (see
 * {@code docs/reliability.md}, "Secrets"): its V4 signer (the canonical request, with the session
 * token) and Netty's {@code LoggingHandler}, which the SDK's Netty client adds to every connection
 * when that logger is at DEBUG (each request with its {@code Authorization} header). The library
 * run keeps those two at INFO, as the docs tell users to; the command line keeps them at INFO
 * itself, so its run sets nothing but {@code defaultLogLevel=debug}.
 */
class SecretsInLogsIT {

    private static final String ACCESS_KEY_ID = "AKIDLOGCANARY0000001";
    private static final String SECRET_KEY = "SecretKeyCanary/That+Must+Never+Be+Logged000";
    private static final String SESSION_TOKEN = "SessionTokenCanary//ThatMustNeverBeLogged+QoJb3JpZ2luX2VjE==";

    @Test
    void aSignedLibraryRunAtDebugLogsNoSecret() throws Exception {
        String log = run("secrets-library.log", Map.of(),
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                        "-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk.request=debug",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.http.wire=debug",
                        "-Dorg.slf4j.simpleLogger.log.io.netty=debug",
                        "-Dorg.slf4j.simpleLogger.log.io.netty.handler.logging.LoggingHandler=info",
                        "-Dorg.slf4j.simpleLogger.log.software.amazon.awssdk.http.auth.aws.internal.signer=info",
                        SignedRunForLogs.class.getName(), ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN));
        // Without these the search would prove nothing.
        assertThat(log)
                .contains("SignedRunForLogs: library run ended FAIL")
                .contains("DEBUG software.amazon.awssdk.request")         // the SDK's request log
                .contains("DEBUG io.netty")                               // Netty's own debug logging
                .contains("DEBUG reactor.netty.http.server")              // the emulator's server
                .contains("io.github.cloudmap.watcher");                  // the library and the emulator
        assertNoSecret(log);
    }

    @Test
    void theCommandLineAtDebugLogsNoSecret() throws Exception {
        String log;
        try (CloudMapEmulator emulator = CloudMapEmulator.builder().start();
             ServiceDiscoveryAsyncClient client = ServiceDiscoveryAsyncClient.builder()
                     .endpointOverride(emulator.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("setup", "setup")))
                     .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                     .build()) {
            String operationId = client.createHttpNamespace(b -> b.name("cli-secrets")).join().operationId();
            // Credentials as a shell user has them: in the environment, found by the default chain.
            log = run("secrets-cli.log",
                    Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                            "AWS_SESSION_TOKEN", SESSION_TOKEN),
                    List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                            "io.github.cloudmap.watcher.cli.Main", "watch", operationId,
                            "--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1", "--timeout", "60s"));
        }
        assertThat(log)
                .contains("SUCCESS")
                .contains("DEBUG software.amazon.awssdk.request")
                .contains("DEBUG io.netty");
        assertNoSecret(log);
    }

    private static void assertNoSecret(String log) {
        System.out.println("SecretsInLogsIT: searched " + log.lines().count() + " lines of DEBUG output");
        List<String> forbidden = List.of(SECRET_KEY, SESSION_TOKEN, ACCESS_KEY_ID, "Credential=", "Signature=",
                "authorization:", "x-amz-security-token:");
        List<String> leaks = log.lines()
                .filter(line -> forbidden.stream().anyMatch(f -> line.toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT))))
                .map(line -> line.length() > 400 ? line.substring(0, 400) + "..." : line)
                .toList();
        assertThat(leaks).as("log lines with a credential, an Authorization header or a signature").isEmpty();
    }

    /** Runs {@code java <args>} on the test class path and returns everything it wrote. */
    private static String run(String logName, Map<String, String> env, List<String> args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Kept after the run (target/ is the build's), so a failure can be read in full.
        Path out = Path.of("target", logName).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Dorg.slf4j.simpleLogger.showDateTime=false", "-cp", System.getProperty("java.class.path")));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the run finished within 2 minutes").isTrue();
            String log = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; the output is in %s", out).isZero();
            return log;
        } finally {
            process.destroyForcibly();
        }
    }
}
