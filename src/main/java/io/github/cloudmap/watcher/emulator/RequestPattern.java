package io.github.cloudmap.watcher.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which journal entries a verification counts: an action and request fields to match, and
 * optionally the answer. Read it as a sentence: {@code getOperation("op-1")},
 * {@code action("RegisterInstance").withServiceId(serviceId)}, {@code anyRequest().throttled()}.
 *
 * <p>Immutable and thread-safe: every {@code with...} returns a new pattern, so one can be kept
 * as a template. Each part left unset matches anything.
 *
 * <pre>{@code
 * import static io.github.cloudmap.watcher.emulator.RequestPattern.*;
 *
 * emulator.verify(getOperation("op-1")).atMost(5);
 * emulator.verify(action("RegisterInstance").withInstanceId("i-1")).times(1);
 * emulator.verify(anyRequest()).noneAfter(cancelledAt);
 * }</pre>
 */
public final class RequestPattern {

    private static final RequestPattern ANY = new RequestPattern(null, null, null, null, null, null, null, null);

    private final String action;
    private final String operationId;
    private final String serviceId;
    private final String instanceId;
    private final String namespaceId;
    private final String errorCode;
    private final Boolean throttled;
    private final String userAgentPart;

    private RequestPattern(String action, String operationId, String serviceId, String instanceId,
            String namespaceId, String errorCode, Boolean throttled, String userAgentPart) {
        this.action = action;
        this.operationId = operationId;
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.namespaceId = namespaceId;
        this.errorCode = errorCode;
        this.throttled = throttled;
        this.userAgentPart = userAgentPart;
    }

    /** {@return every request} */
    public static RequestPattern anyRequest() {
        return ANY;
    }

    /**
     * Requests of one operation of Cloud Map's API, such as {@code "RegisterInstance"}.
     *
     * @param action the action's name
     * @return a new pattern
     * @throws IllegalArgumentException if Cloud Map has no such operation (naming the closest ones)
     */
    public static RequestPattern action(String action) {
        String known = ActionNames.requireKnown(action);
        if (ActionNames.ALL.equals(known)) {
            return ANY;
        }
        return new RequestPattern(known, null, null, null, null, null, null, null);
    }

    /**
     * GetOperation requests for this operation ID.
     *
     * @param operationId the operation's ID
     * @return a new pattern
     */
    public static RequestPattern getOperation(String operationId) {
        return action("GetOperation").withOperationId(operationId);
    }

    /**
     * Also requires this {@code OperationId}.
     *
     * @param operationId the operation's ID
     * @return a new pattern
     */
    public RequestPattern withOperationId(String operationId) {
        return new RequestPattern(action, required(operationId, "operationId"), serviceId, instanceId, namespaceId,
                errorCode, throttled, userAgentPart);
    }

    /**
     * Also requires this {@code ServiceId} (or service {@code Id}).
     *
     * @param serviceId the service's ID
     * @return a new pattern
     */
    public RequestPattern withServiceId(String serviceId) {
        return new RequestPattern(action, operationId, required(serviceId, "serviceId"), instanceId, namespaceId,
                errorCode, throttled, userAgentPart);
    }

    /**
     * Also requires this {@code InstanceId}.
     *
     * @param instanceId the instance's ID
     * @return a new pattern
     */
    public RequestPattern withInstanceId(String instanceId) {
        return new RequestPattern(action, operationId, serviceId, required(instanceId, "instanceId"), namespaceId,
                errorCode, throttled, userAgentPart);
    }

    /**
     * Also requires this {@code NamespaceId} (or namespace {@code Id}).
     *
     * @param namespaceId the namespace's ID
     * @return a new pattern
     */
    public RequestPattern withNamespaceId(String namespaceId) {
        return new RequestPattern(action, operationId, serviceId, instanceId, required(namespaceId, "namespaceId"),
                errorCode, throttled, userAgentPart);
    }

    /**
     * Also requires an answer with this error {@code __type}, such as {@code "InternalFailure"}.
     *
     * @param errorCode the error's {@code __type}
     * @return a new pattern
     */
    public RequestPattern withErrorCode(String errorCode) {
        return new RequestPattern(action, operationId, serviceId, instanceId, namespaceId,
                required(errorCode, "errorCode"), throttled, userAgentPart);
    }

    /**
     * Also requires a throttling answer ({@code ThrottlingException} or {@code RequestLimitExceeded}).
     *
     * @return a new pattern
     */
    public RequestPattern throttled() {
        return new RequestPattern(action, operationId, serviceId, instanceId, namespaceId, errorCode, true,
                userAgentPart);
    }

    /**
     * Also requires an answer that was not a throttling error.
     *
     * @return a new pattern
     */
    public RequestPattern notThrottled() {
        return new RequestPattern(action, operationId, serviceId, instanceId, namespaceId, errorCode, false,
                userAgentPart);
    }

    /**
     * Also requires a {@code User-Agent} that contains {@code part}, e.g. {@code "cloudmap-operation-watcher/"}.
     *
     * @param part the text the User-Agent must contain
     * @return a new pattern
     */
    public RequestPattern withUserAgentContaining(String part) {
        return new RequestPattern(action, operationId, serviceId, instanceId, namespaceId, errorCode, throttled,
                required(part, "part"));
    }

    /**
     * Whether {@code entry} matches every part of this pattern.
     *
     * @param entry a journaled request
     * @return true if it matches
     */
    public boolean matches(JournalEntry entry) {
        return (action == null || action.equals(entry.action()))
                && (operationId == null || operationId.equals(entry.operationId()))
                && (serviceId == null || serviceId.equals(entry.serviceId()))
                && (instanceId == null || instanceId.equals(entry.instanceId()))
                && (namespaceId == null || namespaceId.equals(entry.namespaceId()))
                && (errorCode == null || errorCode.equals(entry.errorCode()))
                && (throttled == null || throttled == entry.throttled())
                && (userAgentPart == null || (entry.userAgent() != null && entry.userAgent().contains(userAgentPart)));
    }

    /** Describes the pattern for failure messages, e.g. {@code GetOperation with OperationId=op-1}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        add(parts, "OperationId", operationId);
        add(parts, "ServiceId", serviceId);
        add(parts, "InstanceId", instanceId);
        add(parts, "NamespaceId", namespaceId);
        add(parts, "error", errorCode);
        if (throttled != null) {
            parts.add(throttled ? "throttled" : "not throttled");
        }
        if (userAgentPart != null) {
            parts.add("User-Agent containing '" + userAgentPart + "'");
        }
        String head = action == null ? "any request" : action;
        return parts.isEmpty() ? head : head + " with " + String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }

    private static String required(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
