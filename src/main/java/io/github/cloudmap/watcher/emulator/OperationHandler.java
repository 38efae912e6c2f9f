package io.github.cloudmap.watcher.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * GetOperation and ListOperations.
 *
 * <p>Called only under the state lock ({@link EmulatorState#locked}); holds no state of its own.
 */
final class OperationHandler {

    private final EmulatorState state;

    OperationHandler(EmulatorState state) {
        this.state = state;
    }

    ObjectNode get(JsonRequest request) {
        String id = request.requiredString("OperationId", 255);
        // The emulator's one account owns every operation: another account has none here.
        boolean otherAccount = request.optionalAccountId("OwnerAccount").filter(a -> !a.equals(state.accountId))
                .isPresent();
        OperationEntry op = state.operations.get(id);
        if (op == null || otherAccount) {
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
