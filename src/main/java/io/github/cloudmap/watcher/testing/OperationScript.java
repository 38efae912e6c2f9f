package io.github.cloudmap.watcher.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.Operation;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationTargetType;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The answers that a {@link ScriptedServiceDiscoveryClient} gives to GetOperation for one
 * operation ID, one step per call, in order; the last step answers every call after it.
 *
 * <pre>{@code
 * client.script("op-1")
 *     .submitted().throttle().pending().serverError(503).garbageBody().success();
 * }</pre>
 *
 * <p>Thread-safe: steps may be added while a watch runs.
 */
public final class OperationScript {

    private final String operationId;
    private final List<Step> steps = new ArrayList<>();
    private int next;
    private OperationType type = OperationType.REGISTER_INSTANCE;
    private final Map<OperationTargetType, String> targets = new HashMap<>();

    OperationScript(String operationId) {
        this.operationId = operationId;
    }

    /**
     * The operation's {@code Type} in every answer. Default REGISTER_INSTANCE.
     *
     * @param type the operation type
     * @return this script
     */
    public synchronized OperationScript type(OperationType type) {
        this.type = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * Adds a {@code Targets} entry to every answer, e.g. NAMESPACE -> ns-123 for a CREATE_NAMESPACE.
     *
     * @param target the target's type
     * @param id the target's ID
     * @return this script
     */
    public synchronized OperationScript target(OperationTargetType target, String id) {
        targets.put(Objects.requireNonNull(target, "target"), Objects.requireNonNull(id, "id"));
        return this;
    }

    /**
     * Answers with the operation in status SUBMITTED.
     *
     * @return this script
     */
    public OperationScript submitted() {
        return status(OperationStatus.SUBMITTED);
    }

    /**
     * Answers with the operation in status PENDING.
     *
     * @return this script
     */
    public OperationScript pending() {
        return status(OperationStatus.PENDING);
    }

    /**
     * Answers with the operation in status SUCCESS.
     *
     * @return this script
     */
    public OperationScript success() {
        return status(OperationStatus.SUCCESS);
    }

    /**
     * Answers with the operation in status FAIL with this ErrorCode and ErrorMessage.
     *
     * @param errorCode Cloud Map's ErrorCode, such as {@code THROTTLED_REQUEST}
     * @param errorMessage Cloud Map's ErrorMessage
     * @return this script
     */
    public OperationScript fail(String errorCode, String errorMessage) {
        return add(new Step(OperationStatus.FAIL, errorCode, errorMessage, null, false));
    }

    /**
     * Answers with the operation in the given status.
     *
     * @param status the status
     * @return this script
     */
    public OperationScript status(OperationStatus status) {
        return add(new Step(Objects.requireNonNull(status, "status"), null, null, null, false));
    }

    /**
     * Answers with HTTP 400 ThrottlingException "Rate exceeded".
     *
     * @return this script
     */
    public OperationScript throttle() {
        return error(() -> SdkErrors.throttling("GetOperation"));
    }

    /**
     * Answers with an HTTP 5xx service error.
     *
     * @param statusCode the HTTP status, 500 to 599
     * @return this script
     */
    public OperationScript serverError(int statusCode) {
        if (statusCode < 500 || statusCode > 599) {
            throw new IllegalArgumentException("serverError needs a 5xx status code, but got " + statusCode);
        }
        return error(() -> SdkErrors.serverError(statusCode));
    }

    /**
     * Fails as a connection reset does: an SdkClientException caused by an IOException.
     *
     * @return this script
     */
    public OperationScript ioError() {
        return error(SdkErrors::connectionReset);
    }

    /**
     * Answers with a body the SDK cannot parse ({@link SdkErrors#unparsableBody()}).
     *
     * @return this script
     */
    public OperationScript garbageBody() {
        return error(SdkErrors::unparsableBody);
    }

    /**
     * Answers with a member of the wrong type ({@link SdkErrors#wronglyTypedBody()}).
     *
     * @return this script
     */
    public OperationScript wronglyTypedBody() {
        return error(SdkErrors::wronglyTypedBody);
    }

    /**
     * Answers with OperationNotFound, as Cloud Map may right after a submission.
     *
     * @return this script
     */
    public OperationScript notFound() {
        return error(() -> SdkErrors.operationNotFound(operationId));
    }

    /**
     * Fails with the given exception, made afresh for every call.
     *
     * @param error makes the exception for each call
     * @return this script
     */
    public OperationScript error(Supplier<? extends Throwable> error) {
        return add(new Step(null, null, null, Objects.requireNonNull(error, "error"), false));
    }

    /**
     * Never answers: the request hangs until it is cancelled.
     *
     * @return this script
     */
    public OperationScript hang() {
        return add(new Step(null, null, null, null, true));
    }

    /**
     * Repeats the last added step {@code times - 1} more times, so it answers {@code times} calls.
     *
     * @param times how many calls the last step answers, at least 1
     * @return this script
     */
    public synchronized OperationScript times(int times) {
        if (steps.isEmpty() || times < 1) {
            throw new IllegalArgumentException("times needs a step before it and a count >= 1, got " + times);
        }
        Step last = steps.get(steps.size() - 1);
        for (int i = 1; i < times; i++) {
            steps.add(last);
        }
        return this;
    }

    private synchronized OperationScript add(Step step) {
        steps.add(step);
        return this;
    }

    synchronized CompletableFuture<GetOperationResponse> answer(List<CompletableFuture<?>> hung) {
        if (steps.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new java.util.concurrent.CompletionException(SdkErrors.operationNotFound(operationId)));
        }
        Step step = steps.get(Math.min(next, steps.size() - 1));
        next++;
        if (step.hang) {
            CompletableFuture<GetOperationResponse> never = new CompletableFuture<>();
            hung.add(never);
            return never;
        }
        if (step.error != null) {
            // The SDK completes its futures with a CompletionException around the real error.
            return CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(step.error.get()));
        }
        Instant created = Instant.EPOCH;
        return CompletableFuture.completedFuture(GetOperationResponse.builder().operation(Operation.builder()
                .id(operationId)
                .type(type)
                .status(step.status)
                .errorCode(step.errorCode)
                .errorMessage(step.errorMessage)
                .targets(targets.isEmpty() ? null : new HashMap<>(targets))
                .createDate(created)
                .updateDate(created.plusSeconds(next))
                .build()).build());
    }

    private record Step(OperationStatus status, String errorCode, String errorMessage,
                        Supplier<? extends Throwable> error, boolean hang) {
    }
}
