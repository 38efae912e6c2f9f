package io.github.cloudmap.watcher;

import static io.github.cloudmap.watcher.testing.ListOperationsScript.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.PENDING;
import static software.amazon.awssdk.services.servicediscovery.model.OperationStatus.SUBMITTED;

import io.github.cloudmap.watcher.testing.ScriptedServiceDiscoveryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.StepVerifier;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListOperationsResponse;
import software.amazon.awssdk.services.servicediscovery.model.OperationFilter;
import software.amazon.awssdk.services.servicediscovery.model.OperationSummary;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;
import software.amazon.awssdk.services.servicediscovery.model.ServiceDiscoveryException;

/** {@link OperationWatcher#inFlight}: paging, filters, budget, retries and its bound, in virtual time. */
class InFlightTest {

    private static final Duration VERIFY_BOUND = Duration.ofSeconds(10);

    private final ScriptedServiceDiscoveryClient client = ScriptedServiceDiscoveryClient.create();
    private final CountingBudget listBudget = new CountingBudget();

    private OperationWatcherBuilder watcher() {
        return OperationWatcher.builder(client).jitter(0).listBudget(listBudget);
    }

    @Test
    void followsEveryNextTokenEmptyPagesIncludedAndEmitsEachIdOnce() {
        client.listings()
                .page("t1", summary("op-a", PENDING))
                .page("t2")                                        // empty, but more to come
                .page("t3")
                .page(null, summary("op-b", SUBMITTED), summary("op-a", PENDING));
        OperationWatcher watcher = watcher().build();

        StepVerifier.withVirtualTime(() -> watcher.inFlight(InFlightQuery.all()).map(OperationSummary::id))
                .expectNext("op-a", "op-b")
                .verifyComplete();

        assertThat(client.listOperationsRequests()).extracting(ListOperationsRequest::nextToken)
                .containsExactly(null, "t1", "t2", "t3");
        assertThat(listBudget.acquired.get()).as("every page draws a permit").isEqualTo(4);
    }

    @Test
    void everyPartOfTheQueryBecomesAFilterBesideStatusInSubmittedPending() {
        client.listings().page(null);
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        InFlightQuery query = InFlightQuery.all().namespace("ns-1").service("srv-1")
                .types(OperationType.REGISTER_INSTANCE, OperationType.DEREGISTER_INSTANCE).updatedSince(since);

        StepVerifier.withVirtualTime(() -> watcher().build().inFlight(query)).verifyComplete();

        Map<String, OperationFilter> filters = client.listOperationsRequests().get(0).filters().stream()
                .collect(Collectors.toMap(OperationFilter::nameAsString, f -> f));
        assertThat(filters.get("STATUS").values()).containsExactly("SUBMITTED", "PENDING");
        assertThat(filters.get("STATUS").conditionAsString()).isEqualTo("IN");
        assertThat(filters.get("NAMESPACE_ID").values()).containsExactly("ns-1");
        assertThat(filters.get("SERVICE_ID").values()).containsExactly("srv-1");
        assertThat(filters.get("TYPE").values()).containsExactly("DEREGISTER_INSTANCE", "REGISTER_INSTANCE");
        assertThat(filters.get("UPDATE_DATE").conditionAsString()).isEqualTo("BETWEEN");
        assertThat(filters.get("UPDATE_DATE").values().get(0)).isEqualTo(Long.toString(since.toEpochMilli()));
        assertThat(Long.parseLong(filters.get("UPDATE_DATE").values().get(1))).isGreaterThan(since.toEpochMilli());
        assertThat(InFlightQuery.all().toString()).contains("namespaceId=null");
    }

    @Test
    void aThrottledPageIsSentAgainAndTheBudgetHearsTheThrottle() {
        client.listings().page("t1", summary("op-a", PENDING)).throttle().page(null, summary("op-b", PENDING));

        StepVerifier.withVirtualTime(() -> watcher().build().inFlight(InFlightQuery.all()).map(OperationSummary::id))
                .expectNext("op-a")
                .thenAwait(Duration.ofSeconds(2))
                .expectNext("op-b")
                .verifyComplete();

        assertThat(client.listOperationsRequests()).extracting(ListOperationsRequest::nextToken)
                .containsExactly(null, "t1", "t1");
        assertThat(listBudget.throttled.get()).isEqualTo(1);
    }

    @Test
    void aPageAnswered503IsUnansweredForTheBudgetNotARoomToRaise() {
        // A brownout (5xx) says nothing about the quota: like polls and submissions, the listing
        // must report it as unanswered, or a run of 503s raises the adaptive ListOperations budget.
        client.listings()
                .error(() -> ServiceDiscoveryException.builder().statusCode(503).message("Service Unavailable").build())
                .page(null, summary("op-a", PENDING));

        StepVerifier.withVirtualTime(() -> watcher().build().inFlight(InFlightQuery.all()).map(OperationSummary::id))
                .thenAwait(Duration.ofSeconds(2))
                .expectNext("op-a")
                .verifyComplete();

        assertThat(listBudget.acquired.get()).isEqualTo(2);
        assertThat(listBudget.unanswered.get()).as("the 503 page").isEqualTo(1);
        assertThat(listBudget.answered.get()).as("only the page that was answered").isEqualTo(1);
    }

    @Test
    void aCancelledListingReportsItsPermitUnanswered() {
        CompletableFuture<ListOperationsResponse> never = new CompletableFuture<>();
        ServiceDiscoveryAsyncClient hanging = new ServiceDiscoveryAsyncClient() {
            @Override
            public String serviceName() {
                return "servicediscovery";
            }

            @Override
            public void close() {
            }

            @Override
            public CompletableFuture<ListOperationsResponse> listOperations(ListOperationsRequest request) {
                return never;
            }
        };
        OperationWatcher watcher = OperationWatcher.builder(hanging).jitter(0).listBudget(listBudget).build();

        StepVerifier.withVirtualTime(() -> watcher.inFlight(InFlightQuery.all()))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .thenCancel()
                .verify(VERIFY_BOUND);

        assertThat(never).as("the request is cancelled with the listing").isCancelled();
        assertThat(listBudget.unanswered.get()).isEqualTo(1);
        assertThat(listBudget.answered.get()).isZero();
    }

    @Test
    void accessDeniedEndsTheListingWithTheSdksException() {
        client.listings().accessDenied();

        StepVerifier.withVirtualTime(() -> watcher().build().inFlight(InFlightQuery.all()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ServiceDiscoveryException.class)
                        .hasMessageContaining("not authorized"))
                .verify(VERIFY_BOUND);
    }

    @Test
    void aListingThatNeverEndsFailsAtTheWatchersTimeoutNamingThePagesRead() {
        for (int i = 0; i < 100; i++) {
            client.listings().page("more-" + i);
        }
        RequestBudget onePerSecond = RequestBudget.adaptive(AdaptiveBudgetConfig.builder()
                .initialRate(1).minRate(1).maxRate(1).burst(1).build());
        OperationWatcher watcher = OperationWatcher.builder(client).listBudget(onePerSecond)
                .timeout(Duration.ofSeconds(10)).build();

        StepVerifier.withVirtualTime(() -> watcher.inFlight(InFlightQuery.all()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(9999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("PT10S").hasMessageContaining("10 ListOperations pages"))
                .verify(VERIFY_BOUND);
    }

    @Test
    void theQueryRefusesBadValues() {
        assertThatThrownBy(() -> InFlightQuery.all().namespace(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespaceId");
        assertThatThrownBy(() -> InFlightQuery.all().service("s".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
        assertThatThrownBy(() -> InFlightQuery.all().types(new OperationType[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InFlightQuery.all().types(OperationType.UNKNOWN_TO_SDK_VERSION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InFlightQuery.all().updatedSince(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> watcher().build().inFlight(null)).isInstanceOf(NullPointerException.class);
        assertThat(client.requests()).isEmpty();
    }

    @Test
    void inFlightFeedsAwaitAll() {
        client.listings().page(null, summary("op-a", PENDING), summary("op-b", SUBMITTED));
        client.script("op-a").success();
        client.script("op-b").pending().success();
        OperationWatcher watcher = watcher().pollBudget(RequestBudget.unlimited()).build();

        StepVerifier.withVirtualTime(() -> watcher.inFlight(InFlightQuery.all())
                        .map(OperationSummary::id).collectList().flatMap(watcher::awaitAll))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(batch -> assertThat(batch.succeeded()).extracting(OperationOutcome::operationId)
                        .containsExactly("op-a", "op-b"))
                .verifyComplete();
    }

    /** Unlimited, counting what it grants and hears. */
    private static final class CountingBudget implements RequestBudget {
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger unanswered = new AtomicInteger();

        @Override
        public Mono<Permit> acquire(Scheduler scheduler) {
            return Mono.fromSupplier(() -> {
                acquired.incrementAndGet();
                return new Permit() {
                    @Override
                    public void onThrottled() {
                        throttled.incrementAndGet();
                    }

                    @Override
                    public void onAnswered() {
                        answered.incrementAndGet();
                    }

                    @Override
                    public void onUnanswered() {
                        unanswered.incrementAndGet();
                    }
                };
            });
        }

        @Override
        public double currentRate() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public int waiting() {
            return 0;
        }
    }
}
