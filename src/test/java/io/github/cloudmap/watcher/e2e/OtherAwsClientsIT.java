package io.github.cloudmap.watcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.emulator.CloudMapEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.servicediscovery.model.HealthStatus;

/**
 * The emulator speaks to AWS clients other than ours with no special flags: the AWS CLI and
 * boto3, each given only {@code --endpoint-url}. The one exception is DiscoverInstances, whose
 * host prefix {@code data-} these clients prepend even to a custom endpoint: it needs host prefix
 * injection turned off, as {@code cloudmap-watcher emulator} prints. The CLI covers health (custom
 * and Route 53, with a fault) and tags too. CI installs both (.ci/run);
 * a machine without them skips these tests rather than failing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtherAwsClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROCESS_BOUND_SECONDS = 60;
    /** The Python that has boto3; .ci/run points this at Debian's when the default one lacks it. */
    private static final String PYTHON = System.getenv().getOrDefault("CLOUDMAP_PYTHON", "python3");

    private CloudMapEmulator emulator;

    @BeforeAll
    void start() {
        emulator = CloudMapEmulator.builder().start();
    }

    @AfterAll
    void stop() {
        emulator.close();
    }

    @Test
    void theAwsCliCreatesANamespaceAndReadsItsOperation() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");

        JsonNode created = aws("servicediscovery", "create-http-namespace", "--name", "cli-ns",
                "--creator-request-id", "cli-1");
        String operationId = created.path("OperationId").asText();
        assertThat(operationId).isNotBlank();

        JsonNode operation = aws("servicediscovery", "get-operation", "--operation-id", operationId).path("Operation");
        assertThat(operation.path("Id").asText()).isEqualTo(operationId);
        assertThat(operation.path("Type").asText()).isEqualTo("CREATE_NAMESPACE");
        assertThat(operation.path("Status").asText()).isIn("SUBMITTED", "PENDING", "SUCCESS");

        JsonNode listed = aws("servicediscovery", "list-operations",
                "--filters", "Name=TYPE,Values=CREATE_NAMESPACE,Condition=EQ");
        assertThat(listed.path("Operations").findValuesAsText("Id")).contains(operationId);

        Result missing = run(List.of("aws", "servicediscovery", "get-operation", "--operation-id", "nope",
                "--endpoint-url", emulator.endpoint().toString()));
        assertThat(missing.exitCode).isNotZero();
        assertThat(missing.stderr).contains("OperationNotFound");
    }

    @Test
    void boto3WatchesANamespaceCreationToSuccess() throws Exception {
        assumeTrue(onPath(PYTHON) && run(List.of(PYTHON, "-c", "import boto3")).exitCode == 0,
                "python3 with boto3 is not installed");
        Path script = Files.createTempFile("boto3_client", ".py");
        try (InputStream in = getClass().getResourceAsStream("/e2e/boto3_client.py")) {
            Files.write(script, in.readAllBytes());
        }

        Result result = run(List.of(PYTHON, script.toString(), emulator.endpoint().toString()));

        assertThat(result.exitCode).as(result.stderr).isZero();
        JsonNode seen = JSON.readTree(result.stdout);
        assertThat(seen.path("statuses").toString()).endsWith("\"SUCCESS\"]");
        assertThat(seen.path("namespaceId").asText()).startsWith("ns-");
        assertThat(seen.path("createDateType").asText()).as("boto3 parsed the epoch timestamp").isEqualTo("datetime");
        assertThat(seen.path("namespaces").toString()).contains("boto3-ns");
        assertThat(seen.path("notFound").asText()).isEqualTo("OperationNotFound");
        assertThat(seen.path("registrationStatuses").toString()).endsWith("\"SUCCESS\"]");
        assertThat(seen.path("discovered").toString())
                .as("discover_instances with inject_host_prefix=False")
                .isEqualTo("[{\"id\":\"i-boto3\",\"ipv4\":\"10.0.0.7\"}]");
        Files.deleteIfExists(script);
    }

    @Test
    void theAwsCliDiscoversInstancesWithHostPrefixInjectionTurnedOff() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        String namespaceOperation = aws("servicediscovery", "create-http-namespace", "--name", "cli-discover")
                .path("OperationId").asText();
        String namespaceId = awaitSuccess(namespaceOperation).path("Targets").path("NAMESPACE").asText();
        String serviceId = aws("servicediscovery", "create-service", "--name", "web", "--namespace-id", namespaceId)
                .path("Service").path("Id").asText();
        awaitSuccess(aws("servicediscovery", "register-instance", "--service-id", serviceId, "--instance-id", "i-cli",
                "--attributes", "AWS_INSTANCE_IPV4=10.0.0.9").path("OperationId").asText());

        List<String> discover = List.of("aws", "servicediscovery", "discover-instances", "--namespace-name",
                "cli-discover", "--service-name", "web", "--endpoint-url", emulator.endpoint().toString(),
                "--output", "json");
        // What the emulator prints: botocore releases since early 2025 read this variable.
        Result result = run(discover, Map.of("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"));

        assertThat(result.exitCode).as(result.stderr).isZero();
        JsonNode instances = JSON.readTree(result.stdout).path("Instances");
        assertThat(instances.findValuesAsText("InstanceId")).containsExactly("i-cli");
    }

    @Test
    void theAwsCliSetsCustomHealthAndReadsRoute53HealthFromAFault() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        String namespaceId = awaitSuccess(aws("servicediscovery", "create-http-namespace", "--name", "cli-health")
                .path("OperationId").asText()).path("Targets").path("NAMESPACE").asText();
        String custom = aws("servicediscovery", "create-service", "--name", "jobs", "--namespace-id", namespaceId,
                "--health-check-custom-config", "{}").path("Service").path("Id").asText();
        awaitSuccess(aws("servicediscovery", "register-instance", "--service-id", custom, "--instance-id", "i-sick",
                "--attributes", "AWS_INIT_HEALTH_STATUS=UNHEALTHY").path("OperationId").asText());
        awaitSuccess(aws("servicediscovery", "register-instance", "--service-id", custom, "--instance-id", "i-well",
                "--attributes", "zone=a").path("OperationId").asText());

        JsonNode before = aws("servicediscovery", "get-instances-health-status", "--service-id", custom).path("Status");
        assertThat(before.path("i-sick").asText()).isEqualTo("UNHEALTHY");
        assertThat(before.path("i-well").asText()).isEqualTo("HEALTHY");
        List<String> discoverHealthy = List.of("aws", "servicediscovery", "discover-instances", "--namespace-name",
                "cli-health", "--service-name", "jobs", "--health-status", "HEALTHY", "--endpoint-url",
                emulator.endpoint().toString(), "--output", "json");
        Result healthy = run(discoverHealthy, Map.of("AWS_DISABLE_HOST_PREFIX_INJECTION", "true"));
        assertThat(healthy.exitCode).as(healthy.stderr).isZero();
        assertThat(JSON.readTree(healthy.stdout).path("Instances").findValuesAsText("InstanceId"))
                .containsExactly("i-well");

        aws("servicediscovery", "update-instance-custom-health-status", "--service-id", custom, "--instance-id",
                "i-sick", "--status", "HEALTHY");
        assertThat(aws("servicediscovery", "get-instances-health-status", "--service-id", custom)
                .path("Status").path("i-sick").asText()).isEqualTo("HEALTHY");

        String checked = aws("servicediscovery", "create-service", "--name", "web", "--namespace-id", namespaceId,
                "--health-check-config", "Type=HTTP,ResourcePath=/health").path("Service").path("Id").asText();
        awaitSuccess(aws("servicediscovery", "register-instance", "--service-id", checked, "--instance-id", "i-web",
                "--attributes", "AWS_INSTANCE_IPV4=10.0.0.5,AWS_INSTANCE_PORT=8080").path("OperationId").asText());
        emulator.faults().instanceHealth(checked, "i-web", HealthStatus.UNHEALTHY);
        assertThat(aws("servicediscovery", "get-instances-health-status", "--service-id", checked)
                .path("Status").path("i-web").asText()).isEqualTo("UNHEALTHY");
        Result notCustom = run(List.of("aws", "servicediscovery", "update-instance-custom-health-status",
                "--service-id", checked, "--instance-id", "i-web", "--status", "HEALTHY",
                "--endpoint-url", emulator.endpoint().toString()));
        assertThat(notCustom.exitCode).isNotZero();
        assertThat(notCustom.stderr).contains("CustomHealthNotFound");
        Result noPort = run(List.of("aws", "servicediscovery", "register-instance", "--service-id", checked,
                "--instance-id", "i-noport", "--attributes", "AWS_INSTANCE_IPV4=10.0.0.6",
                "--endpoint-url", emulator.endpoint().toString()));
        assertThat(noPort.exitCode).isNotZero();
        assertThat(noPort.stderr).contains("InvalidInput").contains("AWS_INSTANCE_PORT");
    }

    @Test
    void theAwsCliTagsNamespacesAndServices() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        String namespaceId = awaitSuccess(aws("servicediscovery", "create-http-namespace", "--name", "cli-tags",
                "--tags", "Key=team,Value=platform").path("OperationId").asText())
                .path("Targets").path("NAMESPACE").asText();
        String namespaceArn = aws("servicediscovery", "get-namespace", "--id", namespaceId)
                .path("Namespace").path("Arn").asText();
        assertThat(aws("servicediscovery", "list-tags-for-resource", "--resource-arn", namespaceArn)
                .path("Tags").toString()).isEqualTo("[{\"Key\":\"team\",\"Value\":\"platform\"}]");

        String serviceArn = aws("servicediscovery", "create-service", "--name", "api", "--namespace-id", namespaceId)
                .path("Service").path("Arn").asText();
        aws("servicediscovery", "tag-resource", "--resource-arn", serviceArn, "--tags", "Key=tier,Value=gold",
                "Key=owner,Value=cli");
        aws("servicediscovery", "untag-resource", "--resource-arn", serviceArn, "--tag-keys", "owner");
        assertThat(aws("servicediscovery", "list-tags-for-resource", "--resource-arn", serviceArn)
                .path("Tags").findValuesAsText("Key")).containsExactly("tier");

        List<String> tooMany = new ArrayList<>(List.of("aws", "servicediscovery", "tag-resource", "--resource-arn",
                serviceArn, "--endpoint-url", emulator.endpoint().toString(), "--tags"));
        for (int i = 0; i < 50; i++) {
            tooMany.add("Key=k" + i + ",Value=v");
        }
        Result refused = run(tooMany);
        assertThat(refused.exitCode).isNotZero();
        assertThat(refused.stderr).contains("TooManyTagsException");
        Result unknown = run(List.of("aws", "servicediscovery", "list-tags-for-resource", "--resource-arn",
                serviceArn.replaceAll("srv-.*", "srv-nope000000000000"), "--endpoint-url",
                emulator.endpoint().toString()));
        assertThat(unknown.exitCode).isNotZero();
        assertThat(unknown.stderr).contains("ResourceNotFoundException");
    }

    /** Polls get-operation with the CLI until SUCCESS (bounded); fails on FAIL or after 20 s. */
    private JsonNode awaitSuccess(String operationId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode operation;
        do {
            operation = aws("servicediscovery", "get-operation", "--operation-id", operationId).path("Operation");
            if (!"SUBMITTED".equals(operation.path("Status").asText())
                    && !"PENDING".equals(operation.path("Status").asText())) {
                break;
            }
            Thread.sleep(100); // an end-to-end test polling a real server; bounded by the deadline
        } while (System.nanoTime() < deadline);
        assertThat(operation.path("Status").asText()).as(operation.toString()).isEqualTo("SUCCESS");
        return operation;
    }

    private JsonNode aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", emulator.endpoint().toString(), "--output", "json"));
        Result result = run(command);
        assertThat(result.exitCode).as(String.join(" ", command) + "\n" + result.stderr).isZero();
        return JSON.readTree(result.stdout);
    }

    private static boolean onPath(String program) {
        return run(List.of("sh", "-c", "command -v " + program)).exitCode == 0;
    }

    private static Result run(List<String> command) {
        return run(command, Map.of());
    }

    private static Result run(List<String> command, Map<String, String> extraEnvironment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> env = builder.environment();
            // Only the test that needs it turns host prefix injection off, whatever the caller's shell says.
            env.remove("AWS_DISABLE_HOST_PREFIX_INJECTION");
            env.putAll(extraEnvironment);
            env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
            env.put("AWS_SECRET_ACCESS_KEY", "secret");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_PAGER", "");
            Path out = Files.createTempFile("out", ".txt");
            Path err = Files.createTempFile("err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(PROCESS_BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", "timed out after " + PROCESS_BOUND_SECONDS + " s: " + command);
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", e.toString());
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
