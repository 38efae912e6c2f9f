package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.testing.SdkErrors;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;

/**
 * Which outcomes of a request move the adaptive budget, at the watcher level and in virtual time.
 * Found in review (issue 13, item 6): 5xx answers, I/O failures and cancellations were reported as
 * answers, so a brownout raised the rate (slow start doubled it every second).
 */
class BudgetOutcomeTest {

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

    /** A budget that starts slow and would double per second while requests queue and "succeed". */
    private static RequestBudget slowBudget() {
        return RequestBudget.adaptive(AdaptiveBudgetConfig.builder().initialRate(2).burst(1).build());
    }

    /** Forty watches against a client that fails every GetOperation the same way, for 10 s. */
    private RequestBudget afterTenSecondsOf(Supplier<Throwable> failure) {
        RequestBudget budget = slowBudget();
        ServiceDiscoveryAsyncClient client = new FailingClient(failure);
        OperationWatcher watcher = OperationWatcher.builder(client).scheduler(clock).pollBudget(budget)
                .timeout(Duration.ofMinutes(5)).build();
        for (int i = 0; i < 40; i++) {
            watcher.watch("op-" + i).subscribe(o -> { }, e -> { });
        }
        clock.advanceTimeBy(Duration.ofSeconds(10));
        return budget;
    }

    @Test
    void aRunOfServerErrorsNeitherRaisesNorCutsTheRate() {
        RequestBudget budget = afterTenSecondsOf(() -> SdkErrors.serverError(503));

        assertThat(budget.currentRate()).as("a brownout says nothing about the quota's headroom").isEqualTo(2.0);
        assertThat(budget.cuts()).isZero();
        assertThat(budget.waiting()).as("the budget held requests back throughout").isPositive();
    }

    @Test
    void aRunOfConnectionResetsNeitherRaisesNorCutsTheRate() {
        RequestBudget budget = afterTenSecondsOf(SdkErrors::connectionReset);

        assertThat(budget.currentRate()).isEqualTo(2.0);
        assertThat(budget.cuts()).isZero();
        assertThat(budget.waiting()).isPositive();
    }

    @Test
    void aRunOfNotFoundAnswersIsARunOfAnswersAndRaisesTheRate() {
        // OperationNotFound within the grace window: the service read and counted each request,
        // so it had room for them (docs/budget.md, "What counts as an answer").
        RequestBudget budget = afterTenSecondsOf(() -> SdkErrors.operationNotFound("op"));

        assertThat(budget.currentRate()).isGreaterThan(2.0);
        assertThat(budget.cuts()).isZero();
    }

    @Test
    void submissionsAnsweredWithServerErrorsDoNotRaiseTheSubmissionBudget() {
        RequestBudget submissions = slowBudget();
        OperationWatcher watcher = OperationWatcher.builder(new FailingClient(() -> SdkErrors.serverError(503)))
                .scheduler(clock).submissionBudget(submissions).timeout(Duration.ofMinutes(5)).build();
        for (int i = 0; i < 40; i++) {
            watcher.submitAndWatch(reactor.core.publisher.Mono.error(SdkErrors.serverError(503)))
                    .subscribe(o -> { }, e -> { });
        }
        clock.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(submissions.currentRate()).isEqualTo(2.0);
        assertThat(submissions.cuts()).isZero();
    }

    /** Answers every GetOperation with the same failure, at once. */
    private static final class FailingClient implements ServiceDiscoveryAsyncClient {
        private final Supplier<Throwable> failure;

        FailingClient(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
            return CompletableFuture.failedFuture(failure.get());
        }

        @Override
        public String serviceName() {
            return "servicediscovery";
        }

        @Override
        public void close() { }
    }
}
