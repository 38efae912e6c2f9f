package io.github.cloudmap.watcher.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;

/**
 * The answers that a {@link ScriptedServiceDiscoveryClient} gives to ListOperations, one per
 * call, in order, whatever the request's filters; once they are used up, every call answers an
 * empty last page (no operation changed, no NextToken).
 *
 * <pre>{@code
 * client.listings()
 *     .page("token-1")                                   // empty, but more pages follow
 *     .page(null, ListOperationsScript.summary("op-1", SUCCESS))
 *     .accessDenied();
 * }</pre>
 *
 * <p>Thread-safe: answers may be added while a watch runs.
 */
public final class ListOperationsScript {

    private final Deque<Supplier<CompletableFuture<ListOperationsResponse>>> answers = new ArrayDeque<>();

    ListOperationsScript() {}

    /**
     * An {@code {Id, Status}} item of a page.
     *
     * @param operationId the operation's ID
     * @param status its status
     * @return a new item
     */
    public static OperationSummary summary(String operationId, OperationStatus status) {
        return OperationSummary.builder()
                .id(Objects.requireNonNull(operationId, "operationId"))
                .status(Objects.requireNonNull(status, "status"))
                .build();
    }

    /**
     * The next call answers this page.
     *
     * @param nextToken the page's NextToken, or null for the last page
     * @param operations the page's items; none for an empty page (Cloud Map filters after paging)
     * @return this script
     */
    public synchronized ListOperationsScript page(String nextToken, OperationSummary... operations) {
        ListOperationsResponse response = ListOperationsResponse.builder()
                .operations(List.of(operations))
                .nextToken(nextToken)
                .build();
        answers.add(() -> CompletableFuture.completedFuture(response));
        return this;
    }

    /**
     * The next call is refused: HTTP 400 {@code AccessDeniedException}.
     *
     * @return this script
     */
    public ListOperationsScript accessDenied() {
        return error(() -> SdkErrors.accessDenied("ListOperations"));
    }

    /**
     * The next call is throttled (HTTP 400 ThrottlingException).
     *
     * @return this script
     */
    public ListOperationsScript throttle() {
        return error(() -> SdkErrors.throttling("ListOperations"));
    }

    /**
     * The next call fails with this exception, made when the request arrives.
     *
     * @param error makes the exception
     * @return this script
     */
    public synchronized ListOperationsScript error(Supplier<? extends Throwable> error) {
        Objects.requireNonNull(error, "error");
        answers.add(() -> CompletableFuture.failedFuture(new CompletionException(error.get())));
        return this;
    }

    /** {@return how many scripted answers are left} */
    public synchronized int remaining() {
        return answers.size();
    }

    synchronized CompletableFuture<ListOperationsResponse> next() {
        Supplier<CompletableFuture<ListOperationsResponse>> answer = answers.poll();
        if (answer == null) {
            return CompletableFuture.completedFuture(ListOperationsResponse.builder().operations(List.of()).build());
        }
        return answer.get();
    }
}
