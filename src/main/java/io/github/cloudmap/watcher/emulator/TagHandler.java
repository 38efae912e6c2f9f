package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tagging operations: TagResource, UntagResource and ListTagsForResource, on namespaces and
 * services named by ARN (tags given to the Create calls land in the same place).
 *
 * <p>An ARN that is not shaped like one is InvalidInput; a well-formed ARN that names no
 * namespace or service of this account and Region is {@code ResourceNotFoundException}. A
 * namespace can be tagged once its creation has succeeded, and its tags go with it when it is
 * deleted.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class TagHandler {

    private static final Pattern ARN = Pattern.compile("^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:.+$");

    private final EmulatorState state;

    TagHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode tag(JsonRequest request) {
        Map<String, String> tags = Tags.parse(request, "Tags", true);
        EmulatorState.Taggable resource = resource(request);
        Tags.checkCount(resource.tags(), tags, resource.arn());
        resource.tags().putAll(tags);
        return JsonShapes.object();
    }

    ObjectNode untag(JsonRequest request) {
        List<String> keys = request.stringList("TagKeys", true, 0, Tags.MAX_PER_REQUEST, 128);
        EmulatorState.Taggable resource = resource(request);
        keys.forEach(resource.tags()::remove);
        return JsonShapes.object();
    }

    ObjectNode list(JsonRequest request) {
        EmulatorState.Taggable resource = resource(request);
        ObjectNode out = JsonShapes.object();
        out.set("Tags", Tags.toJson(resource.tags()));
        return out;
    }

    private EmulatorState.Taggable resource(JsonRequest request) {
        String arn = request.requiredString("ResourceARN", 1011);
        if (!ARN.matcher(arn).matches()) {
            throw CloudMapError.invalidInput("Member 'ResourceARN' with value '" + arn + "' is not an ARN such as "
                    + state.arn("namespace", "ns-0123456789abcdef"));
        }
        return state.resourceByArn(arn).orElseThrow(() -> CloudMapError.of("ResourceNotFoundException",
                "Resource not found: " + arn));
    }
}
