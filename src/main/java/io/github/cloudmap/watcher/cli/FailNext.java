package io.github.cloudmap.watcher.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * One {@code --fail-next TYPE=ERROR_CODE} of the {@code emulator} command: the next operation of
 * that type ends {@code FAIL} with that ErrorCode, and an ErrorMessage that reads like Cloud Map's
 * and says the emulator injected it.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * FailNext plan = FailNext.parse("register_instance=throttled_request");
 * emulator.faults().failNextOperations(plan.type(), 1, plan.errorCode(), plan.errorMessage());
 * }</pre>
 *
 * @param type the operation type, one of the SDK's {@link OperationType} values
 * @param errorCode upper case, such as {@code THROTTLED_REQUEST}
 */
record FailNext(OperationType type, String errorCode) {

    /** The ErrorCode values Cloud Map documents for an operation ("values include"): others are allowed. */
    static final Map<String, String> DOCUMENTED_CODES = Map.of(
            "ACCESS_DENIED", "The caller is not authorized to perform this operation",
            "CANNOT_CREATE_HOSTED_ZONE", "Route 53 could not create the hosted zone",
            "EXPIRED_TOKEN", "The security token included in the request is expired",
            "HOSTED_ZONE_NOT_FOUND", "The Route 53 hosted zone was not found",
            "INTERNAL_FAILURE", "Cloud Map failed internally: submit the request again",
            "INVALID_CHANGE_BATCH", "Route 53 rejected the change batch",
            "THROTTLED_REQUEST", "The request was throttled: submit it again");

    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** @throws NullPointerException if an argument is null */
    FailNext {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(errorCode, "errorCode");
    }

    /**
     * Reads {@code TYPE=ERROR_CODE}, in any case.
     *
     * @throws TypeConversionException naming the valid types, or the expected form
     */
    static FailNext parse(String value) {
        String text = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new TypeConversionException("'" + value + "' is not TYPE=ERROR_CODE, e.g."
                    + " REGISTER_INSTANCE=THROTTLED_REQUEST");
        }
        String typeName = text.substring(0, equals).strip();
        String code = text.substring(equals + 1).strip();
        OperationType type = OperationType.fromValue(typeName);
        if (type == null || type == OperationType.UNKNOWN_TO_SDK_VERSION) {
            throw new TypeConversionException("'" + typeName + "' in '" + value + "' is not an operation type: use "
                    + validTypes());
        }
        if (!CODE.matcher(code).matches()) {
            throw new TypeConversionException("'" + code + "' in '" + value + "' is not an error code: use letters,"
                    + " digits and _, e.g. " + String.join(", ", DOCUMENTED_CODES.keySet().stream().sorted().toList()));
        }
        return new FailNext(type, code);
    }

    /** Cloud Map's wording for a documented code, else a generic one; both say where it came from. */
    String errorMessage() {
        String text = DOCUMENTED_CODES.getOrDefault(errorCode, "The operation failed with " + errorCode);
        return text + " (injected by the emulator: --fail-next " + type + "=" + errorCode + ")";
    }

    /** Every operation type the SDK knows, in its order, for the error message and the help. */
    static String validTypes() {
        return Arrays.stream(OperationType.values())
                .filter(t -> t != OperationType.UNKNOWN_TO_SDK_VERSION)
                .map(OperationType::toString)
                .collect(Collectors.joining(", "));
    }

    /** Lets picocli read {@code --fail-next} values, so a bad one is reported like any bad option value. */
    static final class Converter implements ITypeConverter<FailNext> {
        @Override
        public FailNext convert(String value) {
            return parse(value);
        }
    }
}
