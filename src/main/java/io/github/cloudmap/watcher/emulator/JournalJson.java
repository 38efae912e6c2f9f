package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The journal as the JSON a GET of {@link WireHandler#JOURNAL_PATH} answers with:
 * {@code {"capacity":10000,"recorded":3,"dropped":0,"entries":[{"sequence":1,"arrival":"...",
 * "action":"GetOperation","operationId":"...","status":200,...}]}}; absent fields are left out.
 */
final class JournalJson {

    private JournalJson() {}

    static ObjectNode write(ObjectMapper mapper, RequestJournal journal) {
        ObjectNode root = mapper.createObjectNode();
        // Read under one lock each; a request landing between them may make recorded exceed the list.
        root.put("capacity", journal.capacity());
        root.put("recorded", journal.recorded());
        root.put("dropped", journal.dropped());
        ArrayNode entries = root.putArray("entries");
        for (JournalEntry e : journal.entries()) {
            ObjectNode node = entries.addObject();
            node.put("sequence", e.sequence());
            node.put("arrival", e.arrival().toString());
            node.put("action", e.action());
            putIfPresent(node, "operationId", e.operationId());
            putIfPresent(node, "serviceId", e.serviceId());
            putIfPresent(node, "instanceId", e.instanceId());
            putIfPresent(node, "namespaceId", e.namespaceId());
            node.put("status", e.status());
            putIfPresent(node, "errorCode", e.errorCode());
            node.put("throttled", e.throttled());
            putIfPresent(node, "userAgent", e.userAgent());
        }
        return root;
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
