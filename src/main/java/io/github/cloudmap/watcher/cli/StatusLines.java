package io.github.cloudmap.watcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;

/**
 * Formats one status change of an operation as one output line: aligned text for people, or a
 * JSON object for scripts ({@code jq}); and, in JSON, the outcome of a watch that ended without
 * a final status, so a pipeline reading stdout learns how it ended.
 *
 * <p>Text: {@code 2026-11-27T11:40:01.123Z  <id>  REGISTER_INSTANCE  FAIL  THROTTLED_REQUEST: Rate exceeded}.
 * JSON: {@code {"time":"...","operationId":"...","type":"...","status":"...","updateDate":"...",
 * "errorCode":...,"errorMessage":...,"targets":{...}}}, absent fields left out. Outcomes:
 * {@code {"outcome":"TIMEOUT","time":"...","operationId":"...","lastStatus":"PENDING"|null,
 * "timeout":"PT5M","message":"..."}} and {@code {"outcome":"ERROR","time":"...","operationId":"...",
 * "error":"<exception class>","message":"..."}}.
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

    /**
     * The outcome of a watch whose deadline passed.
     *
     * @param last the last status seen, or null if none was
     * @param message what the command prints on stderr
     */
    static String jsonTimeout(Instant seen, String operationId, Operation last, Duration timeout, String message) {
        ObjectNode node = outcome("TIMEOUT", seen, operationId);
        if (last == null) {
            node.putNull("lastStatus");
        } else {
            node.put("lastStatus", last.statusAsString());
        }
        return node.put("timeout", timeout.toString()).put("message", message).toString();
    }

    /**
     * The outcome of a watch that ended in an error other than a timeout.
     *
     * @param message what the command prints on stderr, without its {@code "error: "} prefix
     */
    static String jsonError(Instant seen, String operationId, Throwable error, String message) {
        return outcome("ERROR", seen, operationId)
                .put("error", error.getClass().getName())
                .put("message", message)
                .toString();
    }

    private static ObjectNode outcome(String outcome, Instant seen, String operationId) {
        return JSON.createObjectNode()
                .put("outcome", outcome)
                .put("time", seen.toString())
                .put("operationId", operationId);
    }
}
