package io.github.cloudmap.watcher.bench.scale;

import io.github.cloudmap.watcher.OperationTimeoutException;
import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;

/**
 * {@code coalesced-prototype} (was {@code watcher-coalesced} before the library had coalesced
 * polling), issue item 3 as an experiment: instead of one GetOperation loop per
 * operation, one ListOperations sweep per namespace (NAMESPACE_ID EQ, UPDATE_DATE BETWEEN since
 * the previous sweep began, STATUS IN [SUCCESS, FAIL]) pages through NextToken, empty pages
 * included, since Cloud Map filters after paging; then one GetOperation for each watched
 * operation the sweep shows finished, so every element reported is a real Operation with its
 * ErrorCode. Sweeps repeat back to back while a namespace has pending operations.
 *
 * <p>Both quotas are drawn from static budgets at 0.9 times the limit, as {@code watcher-tuned}
 * does, and SDK retries are off; a throttle waits 1 s and retries. An AccessDenied answer to
 * ListOperations (a policy granting GetOperation only) hands every pending operation to a
 * per-operation watcher on the same GetOperation budget, quietly.
 */
final class CoalescedContender implements Contender {

    private static final Duration THROTTLE_PAUSE = Duration.ofSeconds(1);
    /** UPDATE_DATE is inclusive and settles lazily: overlap the windows so nothing falls between sweeps. */
    private static final long WINDOW_OVERLAP_MILLIS = 2_000;

    private final ServiceDiscoveryAsyncClient client;
    private final RequestBudget getBudget;
    private final RequestBudget listBudget;
    private final OperationWatcher fallbackWatcher;
    private final Disposable.Composite running = Disposables.composite();
    private final Map<String, PendingOperation> pending = new ConcurrentHashMap<>();
    private final Set<String> fetching = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean fellBack = new AtomicBoolean();
    private final AtomicInteger sweeps = new AtomicInteger();
    private volatile boolean stopped;
    private Observations observations;
    private long deadlineMillis;

    CoalescedContender(ServiceDiscoveryAsyncClient client, RequestBudget getBudget, RequestBudget listBudget,
                       OperationWatcher fallbackWatcher) {
        this.client = client;
        this.getBudget = getBudget;
        this.listBudget = listBudget;
        this.fallbackWatcher = fallbackWatcher;
    }

    @Override
    public void start(List<PendingOperation> operations, Observations observations, long deadlineMillis) {
        this.observations = observations;
        this.deadlineMillis = deadlineMillis;
        operations.forEach(op -> pending.put(op.id(), op));
        long from = System.currentTimeMillis() - WINDOW_OVERLAP_MILLIS;
        Map<String, List<PendingOperation>> byNamespace = operations.stream()
                .collect(Collectors.groupingBy(PendingOperation::namespaceId));
        byNamespace.keySet().forEach(ns -> running.add(sweepLoop(ns, from).subscribe(null, this::sweepFailed)));
        running.add(Mono.delay(Duration.ofMillis(Math.max(0, deadlineMillis - System.currentTimeMillis())))
                .subscribe(tick -> pending.keySet().forEach(id -> {
                    if (pending.remove(id) != null) {
                        observations.timedOut(id);
                    }
                })));
    }

    int sweeps() {
        return sweeps.get();
    }

    private Mono<Void> sweepLoop(String namespaceId, long firstFrom) {
        long[] from = {firstFrom};
        return Mono.defer(() -> {
            long sweepStart = System.currentTimeMillis();
            sweeps.incrementAndGet();
            return sweep(namespaceId, from[0]).then(Mono.fromRunnable(() -> from[0] = sweepStart - WINDOW_OVERLAP_MILLIS));
        }).repeat(() -> !stopped && !fellBack.get() && System.currentTimeMillis() < deadlineMillis
                && pending.values().stream().anyMatch(op -> op.namespaceId().equals(namespaceId))).then();
    }

    private Mono<Void> sweep(String namespaceId, long fromMillis) {
        long toMillis = System.currentTimeMillis() + 3_600_000;
        return page(namespaceId, fromMillis, toMillis, null)
                .expand(r -> r.nextToken() == null ? Mono.empty() : page(namespaceId, fromMillis, toMillis, r.nextToken()))
                .concatMapIterable(ListOperationsResponse::operations)
                .filter(summary -> pending.containsKey(summary.id()) && fetching.add(summary.id()))
                .flatMap(summary -> fetch(summary.id()))
                .then();
    }

    private Mono<ListOperationsResponse> page(String namespaceId, long fromMillis, long toMillis, String token) {
        return withPermit(listBudget, () -> client.listOperations(b -> b
                        .filters(filter(OperationFilterName.NAMESPACE_ID, FilterCondition.EQ, namespaceId),
                                filter(OperationFilterName.UPDATE_DATE, FilterCondition.BETWEEN,
                                        Long.toString(fromMillis), Long.toString(toMillis)),
                                filter(OperationFilterName.STATUS, FilterCondition.IN, "SUCCESS", "FAIL"))
                        .maxResults(100)
                        .nextToken(token)))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, THROTTLE_PAUSE).filter(Clients::isThrottle));
    }

    private Mono<Void> fetch(String id) {
        return withPermit(getBudget, () -> client.getOperation(r -> r.operationId(id)))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, THROTTLE_PAUSE).filter(Clients::isThrottle))
                .doOnNext(response -> seen(id, response))
                .onErrorResume(error -> {
                    if (pending.remove(id) != null) {
                        observations.error(id, Clients.unwrap(error));
                    }
                    return Mono.empty();
                })
                .then();
    }

    private void seen(String id, GetOperationResponse response) {
        if (Observations.isTerminal(response.operation()) && pending.remove(id) != null) {
            observations.saw(response.operation());
        } else {
            fetching.remove(id); // not finished after all: the next sweep looks again
        }
    }

    private void sweepFailed(Throwable error) {
        if (isAccessDenied(error) && fellBack.compareAndSet(false, true)) {
            // ListOperations is not allowed: per-operation polling, quietly, for what is left.
            pending.keySet().forEach(id -> running.add(fallbackWatcher.watch(id).subscribe(op -> {
                if (Observations.isTerminal(op) && pending.remove(id) != null) {
                    observations.saw(op);
                }
            }, e -> {
                if (pending.remove(id) != null) {
                    if (e instanceof OperationTimeoutException) {
                        observations.timedOut(id);
                    } else {
                        observations.error(id, e);
                    }
                }
            })));
            return;
        }
        if (!isAccessDenied(error)) {
            pending.keySet().forEach(id -> {
                if (pending.remove(id) != null) {
                    observations.error(id, Clients.unwrap(error));
                }
            });
        }
    }

    private static boolean isAccessDenied(Throwable error) {
        return Clients.unwrap(error) instanceof AwsServiceException service
                && (service.statusCode() == 403 || "AccessDeniedException".equals(service.awsErrorDetails().errorCode()));
    }

    private static OperationFilter filter(OperationFilterName name, FilterCondition condition, String... values) {
        return OperationFilter.builder().name(name).condition(condition).values(values).build();
    }

    /** Sends one request under a permit of {@code budget} and reports its outcome to the permit. */
    private static <T> Mono<T> withPermit(RequestBudget budget,
                                          java.util.function.Supplier<java.util.concurrent.CompletableFuture<T>> call) {
        return budget.acquire(Schedulers.parallel()).flatMap(permit -> Mono.fromFuture(call)
                .doOnSuccess(r -> permit.onAnswered())
                .doOnError(e -> {
                    if (Clients.isThrottle(e)) {
                        permit.onThrottled();
                    } else {
                        permit.onAnswered();
                    }
                })
                .doOnCancel(permit::onAnswered));
    }

    @Override
    public void close() {
        stopped = true;
        running.dispose();
        client.close();
    }
}
