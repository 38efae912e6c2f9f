package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Writes the model's output shapes (Namespace, Service, Instance, Operation, ...) as JSON.
 *
 * <p>Stateless and thread-safe; callers hold the state lock while they read the entries.
 */
final class JsonShapes {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonShapes() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** AWS JSON timestamps: epoch seconds with a millisecond fraction, as a JSON number (1587055860.121). */
    static DecimalNode timestamp(Instant instant) {
        return new DecimalNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    static ObjectNode namespace(NamespaceEntry ns, int serviceCount, String account, boolean summary) {
        ObjectNode out = object();
        out.put("Id", ns.id);
        out.put("Arn", ns.arn);
        out.put("ResourceOwner", account);
        out.put("Name", ns.name);
        out.put("Type", ns.type);
        if (ns.description != null) {
            out.put("Description", ns.description);
        }
        out.put("ServiceCount", serviceCount);
        ObjectNode properties = out.putObject("Properties");
        ObjectNode dns = properties.putObject("DnsProperties");
        if (ns.isDns()) {
            dns.put("HostedZoneId", ns.hostedZoneId);
            if (ns.soaTtl != null) {
                dns.putObject("SOA").put("TTL", ns.soaTtl);
            }
        }
        properties.putObject("HttpProperties").put("HttpName", ns.name);
        out.set("CreateDate", timestamp(ns.createDate));
        if (!summary && ns.creatorRequestId != null) {
            out.put("CreatorRequestId", ns.creatorRequestId);
        }
        return out;
    }

    static ObjectNode service(ServiceEntry service, String account, boolean summary) {
        ObjectNode out = object();
        out.put("Id", service.id);
        out.put("Arn", service.arn);
        out.put("ResourceOwner", account);
        out.put("Name", service.name);
        if (!summary) {
            out.put("NamespaceId", service.namespaceId);
        }
        out.put("Type", service.type);
        if (service.description != null) {
            out.put("Description", service.description);
        }
        out.put("InstanceCount", service.instances.size());
        if (service.dnsConfig != null) {
            out.set("DnsConfig", service.dnsConfig.toJson(service.namespaceId));
        }
        if (service.healthCheckConfig != null) {
            out.set("HealthCheckConfig", service.healthCheckConfig.toJson());
        }
        if (service.healthCheckCustomConfig != null) {
            out.set("HealthCheckCustomConfig", service.healthCheckCustomConfig.toJson());
        }
        out.set("CreateDate", timestamp(service.createDate));
        if (!summary && service.creatorRequestId != null) {
            out.put("CreatorRequestId", service.creatorRequestId);
        }
        out.put("CreatedByAccount", account);
        return out;
    }

    static ObjectNode attributes(Map<String, String> attributes) {
        ObjectNode out = object();
        attributes.forEach(out::put);
        return out;
    }

    static ObjectNode operation(OperationEntry op, String account) {
        ObjectNode out = object();
        out.put("Id", op.id);
        out.put("OwnerAccount", account);
        out.put("Type", op.type.toString());
        out.put("Status", op.status.toString());
        if (op.errorMessage != null) {
            out.put("ErrorMessage", op.errorMessage);
        }
        if (op.errorCode != null) {
            out.put("ErrorCode", op.errorCode);
        }
        out.set("CreateDate", timestamp(op.createDate));
        out.set("UpdateDate", timestamp(op.updateDate));
        ObjectNode targets = out.putObject("Targets");
        op.targets.forEach(targets::put);
        return out;
    }

    static ObjectNode operationId(OperationEntry op) {
        return object().put("OperationId", op.id);
    }
}
