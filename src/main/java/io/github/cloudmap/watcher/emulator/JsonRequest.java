package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed, validating access to one request body (or a nested structure of it). Every problem is an
 * {@code InvalidInput} naming the member by its path, e.g. {@code "Namespace.Description"}.
 *
 * <p>Immutable; not shared between threads in practice.
 */
final class JsonRequest {

    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private final JsonNode node;
    private final String path;

    JsonRequest(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonRequest of(JsonNode body) {
        return new JsonRequest(body, "");
    }

    /** A required string member: missing, null, empty or not a string is InvalidInput. */
    String requiredString(String member, int maxLength) {
        return optionalString(member, maxLength).orElseThrow(() -> CloudMapError.invalidInput(
                "1 validation error detected: Value null at '" + name(member)
                        + "' failed to satisfy constraint: Member must not be null"));
    }

    Optional<String> optionalString(String member, int maxLength) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be a string, got " + value.getNodeType());
        }
        String text = value.asText();
        if (text.isEmpty()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must have length at least 1");
        }
        if (text.length() > maxLength) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must have length at most " + maxLength);
        }
        return Optional.of(text);
    }

    String requiredString(String member, int maxLength, Pattern pattern) {
        String text = requiredString(member, maxLength);
        checkPattern(member, text, pattern);
        return text;
    }

    /**
     * A string-to-string map whose keys and values must also match patterns, such as Attributes
     * (AttrKey, AttrValue); {@code null} if absent and not required.
     */
    Map<String, String> stringMap(String member, boolean required, int maxKeyLength, Pattern keyPattern,
                                  int maxValueLength, Pattern valuePattern) {
        Map<String, String> map = stringMap(member, required);
        if (map != null) {
            map.forEach((key, value) -> {
                String path = name(member) + "." + key;
                if (key.isEmpty() || key.length() > maxKeyLength || !keyPattern.matcher(key).matches()) {
                    throw CloudMapError.invalidInput("Member '" + name(member) + "' has key '" + key
                            + "', which must have 1 to " + maxKeyLength + " characters matching "
                            + keyPattern.pattern());
                }
                if (value.length() > maxValueLength || !valuePattern.matcher(value).matches()) {
                    throw CloudMapError.invalidInput("Member '" + path + "' with value '" + value + "' must have at most "
                            + maxValueLength + " characters matching " + valuePattern.pattern());
                }
            });
        }
        return map;
    }

    /** An optional string restricted to the enum values of the model. */
    Optional<String> optionalEnum(String member, List<String> allowed) {
        Optional<String> value = optionalString(member, 64);
        value.ifPresent(v -> {
            if (!allowed.contains(v)) {
                throw CloudMapError.invalidInput("Member '" + name(member) + "' must be one of " + allowed + ", got " + v);
            }
        });
        return value;
    }

    String requiredEnum(String member, List<String> allowed) {
        requiredString(member, 64);
        return optionalEnum(member, allowed).orElseThrow();
    }

    /** MaxResults-style integer: absent gives {@code fallback}; out of range is InvalidInput. */
    int intInRange(String member, int min, int max, int fallback) {
        return optionalInt(member, min, max).orElse(fallback);
    }

    /** An optional integer member within [min, max]; a string, a fraction or a number out of range is InvalidInput. */
    Optional<Integer> optionalInt(String member, int min, int max) {
        return optionalLong(member, min, max).map(Long::intValue);
    }

    Optional<Long> optionalLong(String member, long min, long max) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        // canConvertToLong first: asLong() on a BigInteger such as 2^64 + 1 wraps around into the range.
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be an integer from " + min
                    + " to " + max + ", got " + value);
        }
        return Optional.of(value.asLong());
    }

    JsonRequest requiredObject(String member) {
        return optionalObject(member).orElseThrow(() -> CloudMapError.invalidInput(
                "1 validation error detected: Value null at '" + name(member)
                        + "' failed to satisfy constraint: Member must not be null"));
    }

    Optional<JsonRequest> optionalObject(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be an object, got " + value.getNodeType());
        }
        return Optional.of(new JsonRequest(value, name(member)));
    }

    /** The elements of an optional list member (empty if absent), each a structure. */
    List<JsonRequest> objectList(String member) {
        JsonNode value = node.get(member);
        List<JsonRequest> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be a list, got " + value.getNodeType());
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = name(member) + "." + (i + 1);
            if (!element.isObject()) {
                throw CloudMapError.invalidInput("Member '" + elementPath + "' must be an object");
            }
            out.add(new JsonRequest(element, elementPath));
        }
        return out;
    }

    /** The elements of a required list member, each a structure; an empty list is allowed. */
    List<JsonRequest> requiredObjectList(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            throw CloudMapError.invalidInput("1 validation error detected: Value null at '" + name(member)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return objectList(member);
    }

    /**
     * A list of strings such as InstanceIdList or TagKeyList: {@code minItems} to {@code maxItems}
     * elements, each a string of 1 to {@code maxLength} characters; {@code null} if absent and not
     * required.
     */
    List<String> stringList(String member, boolean required, int minItems, int maxItems, int maxLength) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                throw CloudMapError.invalidInput("1 validation error detected: Value null at '" + name(member)
                        + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!value.isArray()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be a list of strings, got "
                    + value.getNodeType());
        }
        if (value.size() < minItems || value.size() > maxItems) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must have " + minItems + " to " + maxItems
                    + " elements, got " + value.size());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual() || element.asText().isEmpty() || element.asText().length() > maxLength) {
                throw CloudMapError.invalidInput("Member '" + name(member) + "." + (i + 1) + "' must be a string of 1 to "
                        + maxLength + " characters");
            }
            out.add(element.asText());
        }
        return out;
    }

    /** An optional AWSAccountId member such as OwnerAccount: 12 digits. */
    Optional<String> optionalAccountId(String member) {
        Optional<String> account = optionalString(member, 12);
        account.ifPresent(a -> checkPattern(member, a, ACCOUNT_ID));
        return account;
    }

    /** A required list of strings (e.g. filter Values): at least one, each 1-255 characters. */
    List<String> requiredStringList(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull() || !value.isArray()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' is required and must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual() || element.asText().isEmpty() || element.asText().length() > 255) {
                throw CloudMapError.invalidInput("Member '" + name(member) + "' must hold strings of 1 to 255 characters");
            }
            out.add(element.asText());
        }
        return out;
    }

    /** A string-to-string map such as Attributes; {@code null} if absent and not required. */
    Map<String, String> stringMap(String member, boolean required) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                throw CloudMapError.invalidInput("1 validation error detected: Value null at '" + name(member)
                        + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        if (!value.isObject()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' must be a map of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!field.getValue().isTextual()) {
                throw CloudMapError.invalidInput("Member '" + name(member) + "." + field.getKey() + "' must be a string");
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    JsonNode raw() {
        return node;
    }

    String path() {
        return path;
    }

    private void checkPattern(String member, String text, Pattern pattern) {
        if (!pattern.matcher(text).matches()) {
            throw CloudMapError.invalidInput("Member '" + name(member) + "' with value '" + text
                    + "' must match the pattern " + pattern.pattern());
        }
    }

    private String name(String member) {
        return path.isEmpty() ? member : path + "." + member;
    }
}
