package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Service attributes: GetServiceAttributes, UpdateServiceAttributes and DeleteServiceAttributes,
 * all synchronous.
 *
 * <p>The model's limits: an update gives 1 to 30 attributes, keys of at most 255 characters and
 * values of at most 1,024; a service holds at most 30 ({@code
 * ServiceAttributesLimitExceededException}, and the update changes nothing); a delete names 1 to
 * 30 keys. Where the model is silent the emulator chose: an update overwrites keys it names and
 * keeps the others, deleting a key the service does not have is no error, and
 * GetServiceAttributes of a service without attributes leaves out the Attributes member.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class ServiceAttributesHandler {

    static final int MAX_ATTRIBUTES = 30;
    private static final Pattern ANY = Pattern.compile("(?s).*");
    private static final Pattern NON_EMPTY = Pattern.compile("(?s).+");

    private final EmulatorState state;

    ServiceAttributesHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode get(JsonRequest request) {
        ServiceEntry service = state.service(request.requiredString("ServiceId", 255));
        ObjectNode out = JsonShapes.object();
        ObjectNode attributes = out.putObject("ServiceAttributes");
        attributes.put("ServiceArn", service.arn);
        attributes.put("ResourceOwner", state.accountId);
        if (!service.attributes.isEmpty()) {
            attributes.set("Attributes", JsonShapes.attributes(service.attributes));
        }
        return out;
    }

    ObjectNode update(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        Map<String, String> given = request.stringMap("Attributes", true, 255, NON_EMPTY, 1024, ANY);
        if (given.isEmpty() || given.size() > MAX_ATTRIBUTES) {
            throw CloudMapError.invalidInput("Member 'Attributes' must have 1 to " + MAX_ATTRIBUTES
                    + " entries, got " + given.size());
        }
        ServiceEntry service = state.service(serviceIdOrArn);
        long total = service.attributes.size()
                + given.keySet().stream().filter(k -> !service.attributes.containsKey(k)).count();
        if (total > MAX_ATTRIBUTES) {
            throw CloudMapError.of("ServiceAttributesLimitExceededException", "Service " + service.id
                    + " would hold " + total + " attributes; the limit is " + MAX_ATTRIBUTES);
        }
        service.attributes.putAll(given);
        return JsonShapes.object();
    }

    ObjectNode delete(JsonRequest request) {
        String serviceIdOrArn = request.requiredString("ServiceId", 255);
        List<String> keys = request.stringList("Attributes", true, 1, MAX_ATTRIBUTES, 255);
        ServiceEntry service = state.service(serviceIdOrArn);
        keys.forEach(service.attributes::remove);
        return JsonShapes.object();
    }
}
