package io.github.cloudmap.watcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cloudmap.watcher.RequestBudget;
import io.github.cloudmap.watcher.testing.SdkErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;

/** Which outcome of a request each permit hears: the decisions of docs/budget.md, "What counts as an answer". */
class PermitOutcomeTest {

    /** Records what it was told. */
    private static final class RecordingPermit implements RequestBudget.Permit {
        final List<String> heard = new ArrayList<>();

        @Override
        public void onThrottled() {
            heard.add("throttled");
        }

        @Override
        public void onAnswered() {
            heard.add("answered");
        }

        @Override
        public void onUnanswered() {
            heard.add("unanswered");
        }
    }

    private static List<String> heardFor(Supplier<Throwable> failure) {
        RecordingPermit permit = new RecordingPermit();
        PermitOutcome.reported(Mono.error(failure.get()), permit).onErrorResume(e -> Mono.empty()).block();
        return permit.heard;
    }

    @Test
    void aResultIsAnAnswer() {
        RecordingPermit permit = new RecordingPermit();
        PermitOutcome.reported(Mono.just("op-1"), permit).block();
        assertThat(permit.heard).containsExactly("answered");
    }

    @Test
    void aThrottleIsAThrottleEvenWrappedInACompletionException() {
        assertThat(heardFor(() -> SdkErrors.throttling("GetOperation"))).containsExactly("throttled");
        assertThat(heardFor(() -> new CompletionException(SdkErrors.throttling("GetOperation"))))
                .containsExactly("throttled");
    }

    @Test
    void otherClientErrorAnswersOfTheServiceAreAnswers() {
        assertThat(heardFor(() -> SdkErrors.operationNotFound("op-1"))).containsExactly("answered");
        assertThat(heardFor(() -> SdkErrors.invalidInput("bad"))).containsExactly("answered");
        assertThat(heardFor(() -> SdkErrors.accessDenied("GetOperation"))).containsExactly("answered");
        assertThat(heardFor(() -> SdkErrors.duplicateRequest("op-2"))).containsExactly("answered");
    }

    @Test
    void serverErrorsIoFailuresAndTimeoutsAreNotAnswers() {
        assertThat(heardFor(() -> SdkErrors.serverError(503))).containsExactly("unanswered");
        assertThat(heardFor(() -> SdkErrors.serverError(500))).containsExactly("unanswered");
        assertThat(heardFor(SdkErrors::connectionReset)).containsExactly("unanswered");
        assertThat(heardFor(() -> SdkErrors.serviceError(400, "RequestTimeout", "too slow")))
                .containsExactly("unanswered");
        assertThat(heardFor(() -> ApiCallAttemptTimeoutException.create(1_000))).containsExactly("unanswered");
    }

    @Test
    void anErrorThatIsNotTheServicesAnswerSaysNothingAboutTheQuota() {
        assertThat(heardFor(() -> new IllegalStateException("the submission's own bug"))).containsExactly("unanswered");
    }

    @Test
    void aCancelledRequestIsNotAnAnswer() {
        RecordingPermit permit = new RecordingPermit();
        StepVerifier.create(PermitOutcome.reported(Mono.never(), permit))
                .thenCancel()
                .verify();
        assertThat(permit.heard).containsExactly("unanswered");
    }

    @Test
    void aBudgetWrittenBeforeOnUnansweredHearsOnAnsweredAsBefore() {
        List<String> heard = new ArrayList<>();
        RequestBudget.Permit old = new RequestBudget.Permit() {
            @Override
            public void onThrottled() {
                heard.add("throttled");
            }

            @Override
            public void onAnswered() {
                heard.add("answered");
            }
        };
        old.onUnanswered();
        assertThat(heard).containsExactly("answered");
    }
}
