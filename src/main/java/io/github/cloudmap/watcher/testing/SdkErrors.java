package io.github.cloudmap.watcher.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.servicediscovery.model.DuplicateRequestException;
import software.amazon.awssdk.services.servicediscovery.model.OperationNotFoundException;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/**
 * The exceptions the real SDK client raises for Cloud Map's answers, built the way the SDK
 * builds them, so that code under test classifies them as it would in production.
 *
 * <p>Stateless and thread-safe.
 */
public final class SdkErrors {

    private static final String SERVICE = "ServiceDiscovery";

    private SdkErrors() {}

    /**
     * HTTP 400 {@code ThrottlingException} "Rate exceeded": {@code isThrottlingException()} is true.
     *
     * @param action the API action the error is for, e.g. {@code "GetOperation"}
     * @return a new exception
     */
    public static ServiceDiscoveryException throttling(String action) {
        return serviceError(400, "ThrottlingException", "Rate exceeded (" + action + ")");
    }

    /**
     * HTTP 400 {@code AccessDeniedException}: the caller's policy does not allow {@code action}
     * (for example ListOperations under a policy that grants GetOperation only).
     *
     * @param action the API action the error is for
     * @return a new exception
     */
    public static ServiceDiscoveryException accessDenied(String action) {
        return serviceError(400, "AccessDeniedException", "User is not authorized to perform: servicediscovery:"
                + action);
    }

    /**
     * An HTTP 5xx answer ({@code InternalFailure} for 500, {@code ServiceUnavailable} otherwise).
     *
     * @param statusCode the HTTP status, 500 to 599
     * @return a new exception
     */
    public static ServiceDiscoveryException serverError(int statusCode) {
        String code = statusCode == 500 ? "InternalFailure" : "ServiceUnavailable";
        return serviceError(statusCode, code, "Service error " + statusCode);
    }

    /**
     * {@code OperationNotFound} for the given ID.
     *
     * @param operationId the ID that was not found
     * @return a new exception
     */
    public static OperationNotFoundException operationNotFound(String operationId) {
        return OperationNotFoundException.builder()
                .statusCode(400)
                .message("Operation " + operationId + " not found.")
                .awsErrorDetails(details("OperationNotFound", "Operation " + operationId + " not found."))
                .build();
    }

    /**
     * HTTP 400 {@code DuplicateRequest}: the same work already runs as {@code duplicateOperationId}
     * (null for an answer without one).
     *
     * @param duplicateOperationId the running operation's ID, or null
     * @return a new exception
     */
    public static DuplicateRequestException duplicateRequest(String duplicateOperationId) {
        String message = "The operation is already in progress as " + duplicateOperationId;
        return (DuplicateRequestException) DuplicateRequestException.builder()
                .duplicateOperationId(duplicateOperationId)
                .statusCode(400)
                .message(message)
                .awsErrorDetails(details("DuplicateRequest", message))
                .build();
    }

    /**
     * An HTTP 400 {@code InvalidInput}: a client error that must not be retried.
     *
     * @param message the error message
     * @return a new exception
     */
    public static ServiceDiscoveryException invalidInput(String message) {
        return serviceError(400, "InvalidInput", message);
    }

    /** {@return a connection reset: an {@link SdkClientException} caused by an {@link IOException}} */
    public static SdkClientException connectionReset() {
        return SdkClientException.builder()
                .message("Unable to execute HTTP request: Connection reset by peer")
                .cause(new IOException("Connection reset by peer"))
                .build();
    }

    /**
     * A body the SDK cannot parse (HTTP 200 with "not json{", or an HTML error page from a
     * proxy): the SDK 2.40 client fails with an {@link SdkClientException} "Unable to execute
     * HTTP request" around an {@link UncheckedIOException} around its JSON parser's
     * {@link IOException} (its shaded Jackson's {@code JsonParseException}), as measured against
     * a loopback server. An I/O failure, so a watcher treats it as transient.
     *
     * @return a new exception
     */
    public static SdkClientException unparsableBody() {
        String parser = "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token"
                + " 'null', 'true' or 'false')";
        return SdkClientException.builder()
                .message("Unable to execute HTTP request: " + parser)
                .cause(new UncheckedIOException(new IOException(parser)))
                .build();
    }

    /**
     * A well-formed body with a member of the wrong type ({@code "CreateDate": "yesterday"}): the
     * SDK fails with an {@link SdkClientException} "Unable to parse date" around a
     * {@link NumberFormatException}; nothing about it is transient.
     *
     * @return a new exception
     */
    public static SdkClientException wronglyTypedBody() {
        return SdkClientException.builder()
                .message("Unable to parse date : yesterday")
                .cause(new NumberFormatException("Character y is neither a decimal digit number, decimal point,"
                        + " nor \"e\" notation exponential mark."))
                .build();
    }

    /**
     * A service error with any status, error code and message.
     *
     * @param statusCode the HTTP status
     * @param errorCode the error code ({@code __type})
     * @param message the error message
     * @return a new exception
     */
    public static ServiceDiscoveryException serviceError(int statusCode, String errorCode, String message) {
        return (ServiceDiscoveryException) ServiceDiscoveryException.builder()
                .statusCode(statusCode)
                .message(message)
                .awsErrorDetails(details(errorCode, message))
                .build();
    }

    private static AwsErrorDetails details(String errorCode, String message) {
        return AwsErrorDetails.builder()
                .errorCode(errorCode)
                .errorMessage(message)
                .serviceName(SERVICE)
                .build();
    }
}
