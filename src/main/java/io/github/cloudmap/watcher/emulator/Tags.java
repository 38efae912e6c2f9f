package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's TagList and its limits: a request lists at most 200 tags, each a Key of 1 to 128
 * characters and a Value of 0 to 256 (empty allowed, null not); a resource holds at most 50
 * ({@code TooManyTagsException}, carrying the resource's name).
 *
 * <p>Where the model is silent the emulator chose: a key given twice in one request keeps its
 * last value, and keys starting with {@code aws:} are refused (InvalidInput), since AWS reserves
 * that prefix for its own tags.
 *
 * <p>Stateless and thread-safe.
 */
final class Tags {

    static final int MAX_PER_RESOURCE = 50;
    static final int MAX_PER_REQUEST = 200;

    private Tags() {
    }

    /** The tags of a TagList member, key to value in request order; empty if absent and not required. */
    static Map<String, String> parse(JsonRequest request, String member, boolean required) {
        if (required && (request.raw().get(member) == null || request.raw().get(member).isNull())) {
            throw CloudMapError.invalidInput("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        List<JsonRequest> list = request.objectList(member);
        if (list.size() > MAX_PER_REQUEST) {
            throw CloudMapError.invalidInput("Member '" + member + "' must have at most " + MAX_PER_REQUEST
                    + " elements, got " + list.size());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonRequest tag : list) {
            String key = tag.requiredString("Key", 128);
            checkKey(key, tag.path() + ".Key");
            JsonNode value = tag.raw().get("Value");
            if (value == null || value.isNull() || !value.isTextual() || value.asText().length() > 256) {
                throw CloudMapError.invalidInput("Member '" + tag.path() + ".Value' is required and must be a string "
                        + "of at most 256 characters");
            }
            tags.put(key, value.asText());
        }
        return tags;
    }

    /** Refuses keys in the prefix AWS reserves for itself. */
    static void checkKey(String key, String path) {
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw CloudMapError.invalidInput("Member '" + path + "' with value '" + key + "': the prefix 'aws:' is "
                    + "reserved for AWS's own tags");
        }
    }

    /** Refuses a resource that would hold more than 50 tags. */
    static void checkCount(Map<String, String> current, Map<String, String> added, String resourceName) {
        long count = current.size() + added.keySet().stream().filter(k -> !current.containsKey(k)).count();
        if (count > MAX_PER_RESOURCE) {
            throw CloudMapError.of("TooManyTagsException", "A resource holds at most " + MAX_PER_RESOURCE
                    + " tags; " + resourceName + " would hold " + count).with("ResourceName", resourceName);
        }
    }

    static ArrayNode toJson(Map<String, String> tags) {
        ArrayNode out = JsonShapes.NODES.arrayNode();
        tags.forEach((key, value) -> out.addObject().put("Key", key).put("Value", value));
        return out;
    }
}
