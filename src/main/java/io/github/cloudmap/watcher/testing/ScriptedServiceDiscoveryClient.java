package io.github.cloudmap.watcher.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceRequest;
import software.amazon.awssdk.services.servicediscovery.model.CreateHttpNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.CreatePrivateDnsNamespaceRequest;
import software.amazon.awssdk.services.servicediscovery.model.CreatePrivateDnsNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.CreatePublicDnsNamespaceRequest;
import software.amazon.awssdk.services.servicediscovery.model.CreatePublicDnsNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.DeleteNamespaceRequest;
import software.amazon.awssdk.services.servicediscovery.model.DeleteNamespaceResponse;
import software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.DeregisterInstanceResponse;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;
import software.amazon.awssdk.services.servicediscovery.model.UpdateServiceRequest;
import software.amazon.awssdk.services.servicediscovery.model.UpdateServiceResponse;

/**
 * A {@link ServiceDiscoveryAsyncClient} that answers from a script instead of the network, for
 * fast, deterministic tests of code that waits for Cloud Map operations, in virtual time.
 *
 * <ul>
 *   <li>GetOperation answers from the {@link OperationScript} of the requested ID, one step per
 *       call (statuses, throttles, 5xx, I/O errors, unparsable bodies, not-found, hangs); an ID with no script
 *       answers OperationNotFound.</li>
 *   <li>ListOperations (coalesced polling) answers from one queue of {@linkplain #listings()
 *       pages}, in order: a page of summaries with or without a NextToken, AccessDenied, a
 *       throttle, any error; once the queue is empty, every call answers an empty last page.</li>
 *   <li>The mutating calls that start operations (RegisterInstance, DeregisterInstance,
 *       Create*Namespace, DeleteNamespace, UpdateService) answer from one shared queue of
 *       {@linkplain #submissions() submission answers}: an OperationId, or an error.</li>
 *   <li>Every request is recorded, and so is every hung request that was cancelled.</li>
 * </ul>
 * Answers complete synchronously, on the calling thread, so a virtual-time test controls all
 * timing; failures arrive wrapped in a {@link CompletionException}, as the real client's do.
 * Calls that are not scripted throw {@link UnsupportedOperationException}.
 *
 * <pre>{@code
 * ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
 * client.script("op-1").submitted().pending().success();
 * OperationWatcher watcher = OperationWatcher.builder(client).jitter(0).build();
 *
 * StepVerifier.withVirtualTime(() -> watcher.watch("op-1").map(Operation::status))
 *     .expectNext(SUBMITTED)
 *     .thenAwait(Duration.ofSeconds(1)).expectNext(PENDING)
 *     .thenAwait(Duration.ofSeconds(1)).expectNext(SUCCESS)
 *     .verifyComplete();
 * assertThat(client.getOperationCount("op-1")).isEqualTo(3);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ScriptedServiceDiscoveryClient implements ServiceDiscoveryAsyncClient {

    private final Map<String, OperationScript> scripts = new ConcurrentHashMap<>();
    private final List<SdkRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<?>> hung = Collections.synchronizedList(new ArrayList<>());
    private final Submissions submissions = new Submissions();
    private final ListOperationsScript listings = new ListOperationsScript();

    private ScriptedServiceDiscoveryClient() {}

    /** {@return a client with no scripts} */
    public static ScriptedServiceDiscoveryClient create() {
        return new ScriptedServiceDiscoveryClient();
    }

    /**
     * The GetOperation script for an operation ID, created empty on first use; add steps to it.
     *
     * @param operationId the operation's ID
     * @return its script
     * @throws NullPointerException if {@code operationId} is null
     */
    public OperationScript script(String operationId) {
        Objects.requireNonNull(operationId, "operationId");
        return scripts.computeIfAbsent(operationId, OperationScript::new);
    }

    /** {@return the answers to the mutating calls that start operations} */
    public Submissions submissions() {
        return submissions;
    }

    /** {@return the answers to ListOperations, in order} */
    public ListOperationsScript listings() {
        return listings;
    }

    /** {@return every request received, in order} */
    public List<SdkRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** {@return the GetOperation requests received, in order} */
    public List<GetOperationRequest> getOperationRequests() {
        return requests().stream()
                .filter(GetOperationRequest.class::isInstance)
                .map(GetOperationRequest.class::cast)
                .toList();
    }

    /**
     * How many GetOperation requests asked for this operation ID.
     *
     * @param operationId the operation's ID
     * @return the count
     */
    public long getOperationCount(String operationId) {
        return getOperationRequests().stream().filter(r -> operationId.equals(r.operationId())).count();
    }

    /** {@return the ListOperations requests received, in order} */
    public List<ListOperationsRequest> listOperationsRequests() {
        return requests().stream()
                .filter(ListOperationsRequest.class::isInstance)
                .map(ListOperationsRequest.class::cast)
                .toList();
    }

    /** {@return how many requests started an operation (RegisterInstance and the other mutating calls)} */
    public long submissionCount() {
        return requests().stream()
                .filter(r -> !(r instanceof GetOperationRequest) && !(r instanceof ListOperationsRequest))
                .count();
    }

    /** {@return how many requests are hanging, neither answered nor cancelled} */
    public long hangingRequests() {
        synchronized (hung) {
            return hung.stream().filter(f -> !f.isDone()).count();
        }
    }

    /** {@return how many hanging requests the caller cancelled} */
    public long cancelledRequests() {
        synchronized (hung) {
            return hung.stream().filter(CompletableFuture::isCancelled).count();
        }
    }

    /**
     * Forgets the requests recorded so far and the hung requests that have ended (cancelled),
     * so that a long test (thousands of watches, a leak check) holds only what is in flight.
     * Scripts and submission answers are kept.
     */
    public void forgetHistory() {
        requests.clear();
        synchronized (hung) {
            hung.removeIf(CompletableFuture::isDone);
        }
    }

    @Override
    public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
        requests.add(request);
        return script(request.operationId()).answer(hung);
    }

    @Override
    public CompletableFuture<ListOperationsResponse> listOperations(ListOperationsRequest request) {
        requests.add(request);
        return listings.next();
    }

    @Override
    public CompletableFuture<RegisterInstanceResponse> registerInstance(RegisterInstanceRequest request) {
        return submit(request, id -> RegisterInstanceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<DeregisterInstanceResponse> deregisterInstance(DeregisterInstanceRequest request) {
        return submit(request, id -> DeregisterInstanceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<CreateHttpNamespaceResponse> createHttpNamespace(CreateHttpNamespaceRequest request) {
        return submit(request, id -> CreateHttpNamespaceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<CreatePrivateDnsNamespaceResponse> createPrivateDnsNamespace(
            CreatePrivateDnsNamespaceRequest request) {
        return submit(request, id -> CreatePrivateDnsNamespaceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<CreatePublicDnsNamespaceResponse> createPublicDnsNamespace(
            CreatePublicDnsNamespaceRequest request) {
        return submit(request, id -> CreatePublicDnsNamespaceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<DeleteNamespaceResponse> deleteNamespace(DeleteNamespaceRequest request) {
        return submit(request, id -> DeleteNamespaceResponse.builder().operationId(id).build());
    }

    @Override
    public CompletableFuture<UpdateServiceResponse> updateService(UpdateServiceRequest request) {
        return submit(request, id -> UpdateServiceResponse.builder().operationId(id).build());
    }

    private <R> CompletableFuture<R> submit(SdkRequest request, Function<String, R> response) {
        requests.add(request);
        return submissions.next(request).thenApply(response);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    /**
     * The queue of answers to the calls that start operations, shared by all of them, taken in
     * order. An empty queue answers with an {@link IllegalStateException} naming the request,
     * so a test that sends more than it scripted fails loudly.
     *
     * <p>Thread-safe.
     */
    public static final class Submissions {
        private final Deque<Supplier<CompletableFuture<String>>> answers = new ArrayDeque<>();

        private Submissions() {}

        /**
         * The next submissions return these OperationIds, one each.
         *
         * @param operationIds the IDs, in order
         * @return these submissions' script
         */
        public synchronized Submissions operationIds(String... operationIds) {
            for (String id : operationIds) {
                Objects.requireNonNull(id, "operationId");
                answers.add(() -> CompletableFuture.completedFuture(id));
            }
            return this;
        }

        /**
         * The next submission is throttled (HTTP 400 ThrottlingException).
         *
         * @return these submissions' script
         */
        public Submissions throttle() {
            return error(() -> SdkErrors.throttling("submission"));
        }

        /**
         * The next submission is answered {@code DuplicateRequest}: the same work already runs
         * as {@code duplicateOperationId}.
         *
         * @param duplicateOperationId the running operation's ID
         * @return these submissions' script
         */
        public Submissions duplicateRequest(String duplicateOperationId) {
            Objects.requireNonNull(duplicateOperationId, "duplicateOperationId");
            return error(() -> SdkErrors.duplicateRequest(duplicateOperationId));
        }

        /**
         * The next submission fails with this exception, made when the request arrives.
         *
         * @param error makes the exception
         * @return these submissions' script
         */
        public synchronized Submissions error(Supplier<? extends Throwable> error) {
            Objects.requireNonNull(error, "error");
            answers.add(() -> CompletableFuture.failedFuture(new CompletionException(error.get())));
            return this;
        }

        synchronized CompletableFuture<String> next(SdkRequest request) {
            Supplier<CompletableFuture<String>> answer = answers.poll();
            if (answer == null) {
                return CompletableFuture.failedFuture(new CompletionException(new IllegalStateException(
                        "No scripted answer left for " + request.getClass().getSimpleName())));
            }
            return answer.get();
        }
    }
}
