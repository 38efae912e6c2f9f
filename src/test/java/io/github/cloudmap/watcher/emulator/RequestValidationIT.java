package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.SdkClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.HealthCheckType;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.RecordType;
import software.amazon.awssdk.services.servicediscovery.model.RoutingPolicy;
import software.amazon.awssdk.services.servicediscovery.model.Service;
import software.amazon.awssdk.services.servicediscovery.model.ServiceSummary;

/**
 * What an AWS SDK would refuse to send, sent anyway with a plain HTTP client: every member is
 * checked against the model, and whatever the emulator accepts still parses in the real SDK.
 */
class RequestValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CloudMapEmulator emulator;
    private ServiceDiscoveryAsyncClient client;
    private String httpNamespace;
    private String privateNamespace;
    private String publicNamespace;

    @BeforeEach
    void start() throws Exception {
        emulator = CloudMapEmulator.builder().operationTimings(OperationTimings.instant()).start();
        client = SdkClients.client(emulator);
        httpNamespace = namespace(join(client.createHttpNamespace(r -> r.name("shop"))).operationId());
        privateNamespace = namespace(join(client.createPrivateDnsNamespace(r -> r.name("corp.local").vpc("vpc-1")))
                .operationId());
        publicNamespace = namespace(join(client.createPublicDnsNamespace(r -> r.name("example.com"))).operationId());
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private String namespace(String operationId) {
        return join(client.getOperation(r -> r.operationId(operationId))).operation().targets()
                .get(OperationTargetType.NAMESPACE);
    }

    private JsonNode post(String action, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Route53AutoNaming_v20170314." + action)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(json.has("__type") ? 400 : 200);
        return json;
    }

    private static void assertInvalidInput(JsonNode answer, String mentioning) {
        assertThat(answer.path("__type").asText()).as(answer.toString()).isEqualTo("InvalidInput");
        assertThat(answer.path("Message").asText()).contains(mentioning);
    }

    private String createService(String namespaceId, String name, String extraMembers) throws Exception {
        JsonNode answer = post("CreateService", "{\"Name\":\"" + name + "\",\"NamespaceId\":\"" + namespaceId + "\""
                + extraMembers + "}");
        assertThat(answer.has("__type")).as(answer.toString()).isFalse();
        return answer.path("Service").path("Id").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"HealthCheckCustomConfig\":{\"FailureThreshold\":\"abc\"}|HealthCheckCustomConfig.FailureThreshold",
        "\"HealthCheckCustomConfig\":{\"FailureThreshold\":11}|HealthCheckCustomConfig.FailureThreshold",
        "\"HealthCheckCustomConfig\":{\"FailureThreshold\":1.5}|HealthCheckCustomConfig.FailureThreshold",
        "\"HealthCheckCustomConfig\":[]|HealthCheckCustomConfig",
        "\"HealthCheckConfig\":{\"Type\":\"HTTP\",\"FailureThreshold\":0}|HealthCheckConfig.FailureThreshold",
        "\"HealthCheckConfig\":{\"Type\":\"HTTP\",\"ResourcePath\":7}|HealthCheckConfig.ResourcePath",
        "\"HealthCheckConfig\":{\"FailureThreshold\":3}|HealthCheckConfig.Type",
        "\"HealthCheckConfig\":{\"Type\":\"UDP\"}|HealthCheckConfig.Type",
        "\"HealthCheckConfig\":{\"Type\":\"TCP\",\"ResourcePath\":\"/\"}|ResourcePath",
        "\"HealthCheckConfig\":{\"Type\":\"HTTP\"},\"HealthCheckCustomConfig\":{}|not both",
        "\"Tags\":{\"Key\":\"a\"}|Tags",
        "\"Tags\":[{\"Key\":\"a\"}]|Tags.1.Value",
        "\"Tags\":[{\"Key\":\"\",\"Value\":\"v\"}]|Tags.1.Key",
        "\"Type\":\"DNS\"|Type",
    })
    void createServiceChecksEveryMemberAgainstTheModel(String caseAndMention) throws Exception {
        String[] parts = caseAndMention.split("\\|");
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + publicNamespace + "\","
                + parts[0] + "}"), parts[1]);
        assertThat(join(client.listServices(r -> { })).services()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}|DnsConfig.DnsRecords",
        "{\"DnsRecords\":null}|DnsConfig.DnsRecords",
        "{\"DnsRecords\":{}}|DnsConfig.DnsRecords",
        "{\"DnsRecords\":[{\"Type\":\"MX\",\"TTL\":60}]}|DnsConfig.DnsRecords.1.Type",
        "{\"DnsRecords\":[{\"Type\":\"A\"}]}|DnsConfig.DnsRecords.1.TTL",
        "{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":-1}]}|DnsConfig.DnsRecords.1.TTL",
        "{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":2147483648}]}|DnsConfig.DnsRecords.1.TTL",
        "{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":\"60\"}]}|DnsConfig.DnsRecords.1.TTL",
        "{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60},{\"Type\":\"A\",\"TTL\":5}]}|twice",
        "{\"RoutingPolicy\":\"RANDOM\",\"DnsRecords\":[]}|DnsConfig.RoutingPolicy",
        "{\"DnsRecords\":[{\"Type\":\"CNAME\",\"TTL\":60}]}|WEIGHTED",
        "{\"RoutingPolicy\":\"WEIGHTED\",\"DnsRecords\":[{\"Type\":\"CNAME\",\"TTL\":60},{\"Type\":\"A\",\"TTL\":60}]}"
                + "|CNAME",
    })
    void createServiceChecksTheDnsConfig(String dnsConfigAndMention) throws Exception {
        String[] parts = dnsConfigAndMention.split("\\|");
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + privateNamespace
                + "\",\"DnsConfig\":" + parts[0] + "}"), parts[1]);
    }

    @Test
    void createServiceRefusesImpossibleCombinations() throws Exception {
        String records = "\"DnsConfig\":{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60}]}";
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + privateNamespace
                + "\",\"Type\":\"HTTP\"," + records + "}"), "DnsConfig");
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + privateNamespace
                + "\",\"HealthCheckConfig\":{\"Type\":\"TCP\"}}"), "private DNS namespace");
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + publicNamespace
                + "\",\"HealthCheckConfig\":{\"Type\":\"TCP\"},\"DnsConfig\":{\"RoutingPolicy\":\"WEIGHTED\","
                + "\"DnsRecords\":[{\"Type\":\"CNAME\",\"TTL\":60}]}}"), "CNAME");
        // "Public DNS and HTTP namespaces only", as the model says of HealthCheckConfig.
        createService(httpNamespace, "checked", ",\"HealthCheckConfig\":{\"Type\":\"HTTP\"}");
    }

    @Test
    void storedSettingsAreBuiltFromValidatedMembersAndParseInTheSdk() throws Exception {
        String id = createService(publicNamespace, "web", ",\"Colour\":\"red\","
                + "\"Tags\":[{\"Key\":\"team\",\"Value\":\"\"}],"
                + "\"DnsConfig\":{\"NamespaceId\":\"ns-ignored\",\"Extra\":1,"
                + "\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60,\"Weight\":5}]},"
                + "\"HealthCheckConfig\":{\"Type\":\"HTTPS\",\"ResourcePath\":\"/health\",\"FailureThreshold\":3,"
                + "\"Port\":443}");

        JsonNode raw = post("GetService", "{\"Id\":\"" + id + "\"}").path("Service");
        assertThat(raw.has("Colour")).isFalse();
        assertThat(raw.has("Tags")).isFalse();
        assertThat(raw.path("DnsConfig").toString()).isEqualTo("{\"NamespaceId\":\"" + publicNamespace
                + "\",\"RoutingPolicy\":\"MULTIVALUE\",\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60}]}");
        assertThat(raw.path("HealthCheckConfig").toString())
                .isEqualTo("{\"Type\":\"HTTPS\",\"ResourcePath\":\"/health\",\"FailureThreshold\":3}");

        Service service = join(client.getService(r -> r.id(id))).service();
        assertThat(service.dnsConfig().routingPolicy()).isEqualTo(RoutingPolicy.MULTIVALUE);
        assertThat(service.dnsConfig().dnsRecords().get(0).type()).isEqualTo(RecordType.A);
        assertThat(service.healthCheckConfig().type()).isEqualTo(HealthCheckType.HTTPS);
        assertThat(service.healthCheckConfig().failureThreshold()).isEqualTo(3);
        List<ServiceSummary> listed = join(client.listServices(r -> { })).services();
        assertThat(listed).extracting(ServiceSummary::id).containsExactly(id);
    }

    /** Malformed requests to the health, tagging, attribute and revision calls: InvalidInput naming the member. */
    @ParameterizedTest
    @ValueSource(strings = {
        "GetInstancesHealthStatus|{\"ServiceId\":\"$S\",\"Instances\":[]}|Instances",
        "GetInstancesHealthStatus|{\"ServiceId\":\"$S\",\"Instances\":\"i-1\"}|Instances",
        "GetInstancesHealthStatus|{\"ServiceId\":\"$S\",\"Instances\":[7]}|Instances.1",
        "GetInstancesHealthStatus|{\"ServiceId\":\"$S\",\"MaxResults\":0}|MaxResults",
        "GetInstancesHealthStatus|{\"ServiceId\":\"$S\",\"NextToken\":\"bogus\"}|NextToken",
        "UpdateInstanceCustomHealthStatus|{\"ServiceId\":\"$S\",\"InstanceId\":\"i-1\"}|Status",
        "UpdateInstanceCustomHealthStatus|{\"ServiceId\":\"$S\",\"InstanceId\":\"i-1\",\"Status\":\"UNKNOWN\"}"
                + "|Status",
        "TagResource|{\"ResourceARN\":\"$A\"}|Tags",
        "TagResource|{\"ResourceARN\":\"$A\",\"Tags\":[{\"Key\":\"k\",\"Value\":null}]}|Tags.1.Value",
        "TagResource|{\"ResourceARN\":\"$A\",\"Tags\":[{\"Value\":\"v\"}]}|Tags.1.Key",
        "TagResource|{\"Tags\":[]}|ResourceARN",
        "UntagResource|{\"ResourceARN\":\"$A\"}|TagKeys",
        "UntagResource|{\"ResourceARN\":\"$A\",\"TagKeys\":[\"\"]}|TagKeys.1",
        "ListTagsForResource|{\"ResourceARN\":5}|ResourceARN",
        "UpdateServiceAttributes|{\"ServiceId\":\"$S\",\"Attributes\":{\"k\":1}}|Attributes.k",
        "UpdateServiceAttributes|{\"ServiceId\":\"$S\"}|Attributes",
        "DeleteServiceAttributes|{\"ServiceId\":\"$S\",\"Attributes\":\"k\"}|Attributes",
        "GetServiceAttributes|{}|ServiceId",
        "DiscoverInstancesRevision|{\"NamespaceName\":\"shop\",\"ServiceName\":\"-bad-\"}|ServiceName",
        "DiscoverInstancesRevision|{\"NamespaceName\":\"shop\",\"ServiceName\":\"cart\",\"OwnerAccount\":\"1\"}"
                + "|OwnerAccount",
    })
    void theHealthTaggingAttributeAndRevisionCallsCheckEveryMember(String actionBodyAndMention) throws Exception {
        String serviceId = createService(httpNamespace, "cart", ",\"HealthCheckCustomConfig\":{}");
        String arn = join(client.getService(r -> r.id(serviceId))).service().arn();
        String[] parts = actionBodyAndMention.split("\\|");
        assertInvalidInput(post(parts[0], parts[1].replace("$S", serviceId).replace("$A", arn)), parts[2]);
    }

    @Test
    void customHealthCheckFailureThresholdIsAlwaysOneAsTheModelSays() throws Exception {
        String id = createService(httpNamespace, "custom", ",\"HealthCheckCustomConfig\":{\"FailureThreshold\":7}");
        assertThat(join(client.getService(r -> r.id(id))).service().healthCheckCustomConfig().failureThreshold())
                .isEqualTo(1);
    }

    @Test
    void updateServiceChecksItsChangesAgainstTheServiceAndItsNamespace() throws Exception {
        String dnsService = createService(privateNamespace, "api",
                ",\"DnsConfig\":{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":60}]}");
        String checked = createService(publicNamespace, "checked", ",\"HealthCheckConfig\":{\"Type\":\"HTTP\"}");
        String custom = createService(publicNamespace, "custom", ",\"HealthCheckCustomConfig\":{}");

        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + dnsService
                + "\",\"Service\":{\"DnsConfig\":{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":\"x\"}]}}}"), "TTL");
        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + dnsService
                + "\",\"Service\":{\"DnsConfig\":{}}}"), "Service.DnsConfig.DnsRecords");
        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + dnsService
                + "\",\"Service\":{\"HealthCheckConfig\":{\"Type\":\"HTTP\"}}}"), "private DNS namespace");
        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + checked
                + "\",\"Service\":{\"HealthCheckConfig\":{\"Type\":\"HTTP\",\"FailureThreshold\":\"abc\"}}}"),
                "Service.HealthCheckConfig.FailureThreshold");
        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + checked
                + "\",\"Service\":{\"HealthCheckConfig\":{\"Type\":\"TCP\"}}}"), "cannot change");
        assertInvalidInput(post("UpdateService", "{\"Id\":\"" + custom
                + "\",\"Service\":{\"HealthCheckConfig\":{\"Type\":\"HTTP\"}}}"), "not both");

        JsonNode accepted = post("UpdateService", "{\"Id\":\"" + checked + "\",\"Service\":{\"Unknown\":true,"
                + "\"HealthCheckConfig\":{\"Type\":\"HTTP\",\"ResourcePath\":\"/ok\",\"Extra\":[1]}}}");
        assertThat(accepted.path("OperationId").asText()).isNotBlank();
        assertThat(post("GetService", "{\"Id\":\"" + checked + "\"}").path("Service").path("HealthCheckConfig")
                .toString()).isEqualTo("{\"Type\":\"HTTP\",\"ResourcePath\":\"/ok\"}");
        assertThat(join(client.listServices(r -> { })).services()).hasSize(3);
    }

    @Test
    void hugeIntegersAreOutOfRangeInsteadOfWrappingAround() throws Exception {
        // 2^64 + 1: read with asLong() it would wrap to 1, a valid MaxResults.
        assertInvalidInput(post("ListNamespaces", "{\"MaxResults\":18446744073709551617}"), "MaxResults");
        assertInvalidInput(post("ListServices", "{\"MaxResults\":-18446744073709551615}"), "MaxResults");
        assertInvalidInput(post("CreateService", "{\"Name\":\"s\",\"NamespaceId\":\"" + privateNamespace
                + "\",\"DnsConfig\":{\"DnsRecords\":[{\"Type\":\"A\",\"TTL\":18446744073709551676}]}}"), "TTL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a b\":\"1\"}", "{\"k\":\" leading space\"}", "{\"k\":\"caf\u00e9\"}",
        "{\"k\":\"line\\nbreak\"}", "{\"\u00fc\":\"1\"}"})
    void registerInstanceChecksAttributeKeysAndValuesAgainstTheModelPatterns(String attributes) throws Exception {
        String service = createService(httpNamespace, "cart", "");
        assertInvalidInput(post("RegisterInstance", "{\"ServiceId\":\"" + service + "\",\"InstanceId\":\"i-1\","
                + "\"Attributes\":" + attributes + "}"), "Attributes");
        assertInvalidInput(post("DiscoverInstances", "{\"NamespaceName\":\"shop\",\"ServiceName\":\"cart\","
                + "\"QueryParameters\":" + attributes + "}"), "QueryParameters");
    }

    @Test
    void attributeValuesMayHoldInnerSpacesTabsAndBeEmpty() throws Exception {
        String service = createService(httpNamespace, "cart", "");
        JsonNode answer = post("RegisterInstance", "{\"ServiceId\":\"" + service + "\",\"InstanceId\":\"i-1\","
                + "\"Attributes\":{\"desc\":\"two words\\tand a tab\",\"empty\":\"\",\"sym!~\":\"a=b\"}}");
        assertThat(answer.path("OperationId").asText()).isNotBlank();
    }

    @Test
    void discoverInstancesChecksNamesAndOwnerAccount() throws Exception {
        createService(httpNamespace, "cart", "");
        assertInvalidInput(post("DiscoverInstances", "{\"NamespaceName\":\"shop\",\"ServiceName\":\"-bad-\"}"),
                "ServiceName");
        assertInvalidInput(post("DiscoverInstances", "{\"NamespaceName\":\"two words\",\"ServiceName\":\"cart\"}"),
                "NamespaceName");
        assertInvalidInput(post("DiscoverInstances", "{\"NamespaceName\":\"shop\",\"ServiceName\":\"cart\","
                + "\"OwnerAccount\":\"12345678901x\"}"), "OwnerAccount");
        JsonNode own = post("DiscoverInstances", "{\"NamespaceName\":\"shop\",\"ServiceName\":\"cart\","
                + "\"OwnerAccount\":\"" + emulator.accountId() + "\"}");
        assertThat(own.path("Instances").isArray()).isTrue();
        JsonNode other = post("DiscoverInstances", "{\"NamespaceName\":\"shop\",\"ServiceName\":\"cart\","
                + "\"OwnerAccount\":\"999999999999\"}");
        assertThat(other.path("__type").asText()).isEqualTo("NamespaceNotFound");
    }

    @Test
    void getOperationOfAnotherAccountIsOperationNotFound() throws Exception {
        String operationId = join(client.createHttpNamespace(r -> r.name("mine"))).operationId();
        assertThat(post("GetOperation", "{\"OperationId\":\"" + operationId + "\",\"OwnerAccount\":\""
                + emulator.accountId() + "\"}").path("Operation").path("Id").asText()).isEqualTo(operationId);
        assertThat(post("GetOperation", "{\"OperationId\":\"" + operationId + "\",\"OwnerAccount\":\"999999999999\"}")
                .path("__type").asText()).isEqualTo("OperationNotFound");
        assertInvalidInput(post("GetOperation", "{\"OperationId\":\"" + operationId + "\",\"OwnerAccount\":\"12\"}"),
                "OwnerAccount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CreateHttpNamespace", "CreatePrivateDnsNamespace", "CreatePublicDnsNamespace"})
    void namespaceTagsMustBeAListOfKeyValuePairs(String action) throws Exception {
        String body = "{\"Name\":\"tagged.example.org\",\"Vpc\":\"vpc-1\",\"Tags\":";
        assertInvalidInput(post(action, body + "{\"team\":\"a\"}}"), "Tags");
        assertInvalidInput(post(action, body + "[{\"Key\":\"team\",\"Value\":5}]}"), "Tags.1.Value");
        assertThat(post(action, body + "[{\"Key\":\"team\",\"Value\":\"a\"}]}").path("OperationId").asText())
                .isNotBlank();
    }
}
