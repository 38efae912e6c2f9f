package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * GetOperation and ListOperations.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class OperationHandler {

    private static final Pattern ACCOUNT = Pattern.compile("^[0-9]{12}$");

    private final EmulatorState state;

    OperationHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode get(JsonRequest request) {
        String id = request.requiredString("OperationId", 255);
        request.optionalString("OwnerAccount", 12).ifPresent(account -> {
            if (!ACCOUNT.matcher(account).matches()) {
                throw CloudMapError.invalidInput("Member 'OwnerAccount' must be a 12-digit account ID, got " + account);
            }
        });
        OperationEntry op = state.operations.get(id);
        if (op == null) {
            throw CloudMapError.of("OperationNotFound", "No operation found with ID " + id);
        }
        ObjectNode out = JsonShapes.object();
        out.set("Operation", JsonShapes.operation(op, state.accountId));
        return out;
    }

    ObjectNode list(JsonRequest request) {
        Page<OperationEntry> page = ListOperationsQuery.parse(request).page(state.operations.values());
        ObjectNode out = JsonShapes.object();
        ArrayNode items = out.putArray("Operations");
        for (OperationEntry op : page.items()) {
            items.addObject().put("Id", op.id).put("Status", op.status.toString());
        }
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }
}
