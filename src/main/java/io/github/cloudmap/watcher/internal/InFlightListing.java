package io.github.cloudmap.watcher.internal;

import io.github.cloudmap.watcher.InFlightQuery;
import io.github.cloudmap.watcher.RequestBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilterName;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * The SUBMITTED and PENDING operations of the account that match an {@link InFlightQuery}, found
 * with ListOperations. Cloud Map reads a page of operations first and filters it afterwards, so a
 * page may be empty and still carry a NextToken: every token is followed, and the listing pages
 * through the account's operation history (as far back as Cloud Map keeps it) whatever the
 * filters. Every page, retries included, draws a permit from the ListOperations budget.
 *
 * <p>Bounds: a throttled or transient (5xx, I/O) page is retried up to {@value #PAGE_RETRIES}
 * times with backoff (500 ms doubling to 8 s); any other error ends the listing with the SDK's
 * exception; the whole listing ends within the watcher's timeout with a {@link TimeoutException}
 * naming the pages read. An ID on two pages is emitted once.
 *
 * <p>Thread-safe; cold (each subscription lists afresh). Not part of the public API:
 * {@link WatchEngine} is its door.
 */
final class InFlightListing {

    /** Retries of one page that was throttled or failed transiently. */
    static final int PAGE_RETRIES = 5;
    /** The end of the UPDATE_DATE window is ahead of our clock, so a service clock running ahead loses nothing. */
    static final Duration CLOCK_AHEAD = Duration.ofDays(1);

    private static final OperationFilter IN_FLIGHT = OperationFilter.builder()
            .name(OperationFilterName.STATUS).condition(FilterCondition.IN).values("SUBMITTED", "PENDING").build();

    private final WatchSettings settings;
    private final RequestBudget budget;

    /** @param budget every ListOperations page draws a permit from it */
    InFlightListing(WatchSettings settings, RequestBudget budget) {
        this.settings = settings;
        this.budget = budget;
    }

    /** The in-flight operations matching {@code query}, each once. */
    Flux<OperationSummary> list(InFlightQuery query) {
        return Flux.defer(() -> {
            Scheduler scheduler = settings.scheduler().get();
            List<OperationFilter> filters = filters(query, scheduler);
            AtomicInteger pages = new AtomicInteger();
            AtomicBoolean timedOut = new AtomicBoolean();
            Duration bound = settings.timeout();
            return page(filters, null, scheduler, pages)
                    // Cloud Map filters after paging: an empty page may still carry a NextToken.
                    .expand(response -> hasMore(response) ? page(filters, response.nextToken(), scheduler, pages)
                            : Mono.empty())
                    .concatMapIterable(ListOperationsResponse::operations)
                    .distinct(OperationSummary::id)
                    .takeUntilOther(Mono.delay(bound, scheduler).doOnNext(tick -> timedOut.set(true)))
                    .concatWith(Mono.defer(() -> timedOut.get()
                            ? Mono.error(new TimeoutException("listing in-flight operations did not finish within "
                                    + bound + " (the watcher's timeout) after " + pages.get()
                                    + " ListOperations pages; narrow the query or raise the timeout"))
                            : Mono.empty()));
        });
    }

    private static boolean hasMore(ListOperationsResponse response) {
        return response.nextToken() != null && !response.nextToken().isEmpty();
    }

    static List<OperationFilter> filters(InFlightQuery query, Scheduler scheduler) {
        List<OperationFilter> filters = new ArrayList<>();
        filters.add(IN_FLIGHT);
        query.namespaceId().ifPresent(id -> filters.add(OperationFilter.builder()
                .name(OperationFilterName.NAMESPACE_ID).condition(FilterCondition.EQ).values(id).build()));
        query.serviceId().ifPresent(id -> filters.add(OperationFilter.builder()
                .name(OperationFilterName.SERVICE_ID).condition(FilterCondition.EQ).values(id).build()));
        if (!query.types().isEmpty()) {
            filters.add(OperationFilter.builder().name(OperationFilterName.TYPE).condition(FilterCondition.IN)
                    .values(query.types().stream().map(OperationType::toString).sorted().toList()).build());
        }
        query.updatedSince().ifPresent(since -> {
            long from = since.toEpochMilli();
            // UPDATE_DATE takes BETWEEN only, so the window needs an end: well ahead of now.
            long to = Math.max(from, scheduler.now(TimeUnit.MILLISECONDS)) + CLOCK_AHEAD.toMillis();
            filters.add(OperationFilter.builder().name(OperationFilterName.UPDATE_DATE)
                    .condition(FilterCondition.BETWEEN).values(Long.toString(from), Long.toString(to)).build());
        });
        return List.copyOf(filters);
    }

    /** One page within the ListOperations budget, retried when throttled or failing transiently. */
    private Mono<ListOperationsResponse> page(List<OperationFilter> filters, String nextToken, Scheduler scheduler,
                                              AtomicInteger pages) {
        ListOperationsRequest request = ListOperationsRequest.builder()
                .filters(filters)
                .nextToken(nextToken)
                .overrideConfiguration(RequestOverrides.APPLY)
                .build();
        // PermitOutcome, as for polls and submissions: a 5xx, an I/O failure or a cancellation
        // says nothing about the quota and must not raise an adaptive ListOperations budget.
        return budget.acquire(scheduler).flatMap(PermitOutcome.sending(
                        Mono.fromFuture(() -> settings.client().listOperations(request))
                                .doOnSuccess(response -> pages.incrementAndGet())))
                .onErrorMap(FailureClassifier::unwrap)
                .retryWhen(Retry.backoff(PAGE_RETRIES, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(8))
                        .scheduler(scheduler)
                        .filter(error -> {
                            FailureClassifier.Kind kind = FailureClassifier.classify(error);
                            return kind == FailureClassifier.Kind.THROTTLED || kind == FailureClassifier.Kind.TRANSIENT;
                        })
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }
}
