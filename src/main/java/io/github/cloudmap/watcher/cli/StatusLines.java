package io.github.cloudmap.watcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Formats one status change of an operation as one output line: aligned text for people, or a
 * JSON object for scripts ({@code jq}).
 *
 * <p>Text: {@code 2026-11-27T11:40:01.123Z  <id>  REGISTER_INSTANCE  FAIL  THROTTLED_REQUEST: Rate exceeded}.
 * JSON: {@code {"time":"...","operationId":"...","type":"...","status":"...","updateDate":"...",
 * "errorCode":...,"errorMessage":...,"targets":{...}}}, absent fields left out.
 *
 * <p>Thread-safe (Jackson's {@link ObjectMapper} is, once configured).
 */
final class StatusLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusLines() {}

    static String text(Instant seen, Operation operation) {
        StringBuilder line = new StringBuilder()
                .append(seen).append("  ")
                .append(operation.id()).append("  ")
                .append(operation.typeAsString()).append("  ")
                .append(operation.statusAsString());
        if (operation.status() == OperationStatus.FAIL) {
            line.append("  ").append(operation.errorCode()).append(": ").append(operation.errorMessage());
        }
        if (operation.hasTargets() && !operation.targets().isEmpty()) {
            line.append("  targets ").append(new TreeMap<>(operation.targetsAsStrings()));
        }
        return line.toString();
    }

    static String json(Instant seen, Operation operation) {
        ObjectNode node = JSON.createObjectNode()
                .put("time", seen.toString())
                .put("operationId", operation.id())
                .put("type", operation.typeAsString())
                .put("status", operation.statusAsString());
        if (operation.updateDate() != null) {
            node.put("updateDate", operation.updateDate().toString());
        }
        if (operation.errorCode() != null) {
            node.put("errorCode", operation.errorCode());
        }
        if (operation.errorMessage() != null) {
            node.put("errorMessage", operation.errorMessage());
        }
        if (operation.hasTargets()) {
            ObjectNode targets = node.putObject("targets");
            for (Map.Entry<String, String> target : new TreeMap<>(operation.targetsAsStrings()).entrySet()) {
                targets.put(target.getKey(), target.getValue());
            }
        }
        return node.toString();
    }
}
