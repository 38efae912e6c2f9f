package io.github.cloudmap.watcher.emulator;

import static io.github.cloudmap.watcher.emulator.RequestPattern.action;
import static io.github.cloudmap.watcher.emulator.RequestPattern.anyRequest;
import static io.github.cloudmap.watcher.emulator.RequestPattern.getOperation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The journal's bounds and fields, and each verification's failure message, without a server. */
class RequestJournalTest {

    private static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final ObjectMapper json = new ObjectMapper();

    private RequestJournal journal(int capacity) {
        return new RequestJournal(clock, capacity);
    }

    private void getOperationAnswered(RequestJournal journal, String operationId, int status, String error) {
        journal.record(journal.arrive("GetOperation", json.createObjectNode().put("OperationId", operationId),
                "aws-sdk-java/2 cloudmap-operation-watcher/0.1.0"), status, error);
    }

    @Test
    void keepsTheLastEntriesWithinItsCapacityAndCountsTheDroppedOnes() {
        RequestJournal journal = journal(3);
        for (int i = 1; i <= 5; i++) {
            getOperationAnswered(journal, "op-" + i, 200, null);
        }
        assertThat(journal.entries()).extracting(JournalEntry::operationId).containsExactly("op-3", "op-4", "op-5");
        assertThat(journal.entries()).extracting(JournalEntry::sequence).containsExactly(3L, 4L, 5L);
        assertThat(journal.dropped()).isEqualTo(2);
        assertThat(journal.recorded()).isEqualTo(5);
    }

    @Test
    void clearEmptiesItAndStartsTheNumberingAgain() {
        RequestJournal journal = journal(2);
        for (int i = 1; i <= 3; i++) {
            getOperationAnswered(journal, "op-" + i, 200, null);
        }
        journal.clear();
        assertThat(journal.entries()).isEmpty();
        assertThat(journal.dropped()).isZero();
        getOperationAnswered(journal, "op-9", 200, null);
        assertThat(journal.entries()).extracting(JournalEntry::sequence).containsExactly(1L);
    }

    @Test
    void aCapacityOfZeroKeepsNothingButCountsEverything() {
        RequestJournal journal = journal(0);
        getOperationAnswered(journal, "op-1", 200, null);
        assertThat(journal.entries()).isEmpty();
        assertThat(journal.dropped()).isEqualTo(1);
        assertThatThrownBy(() -> new RequestJournal(clock, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal capacity must be >= 0, got -1");
    }

    @Test
    void recordsTheKeyFieldsTheAnswerAndTheCaller() {
        RequestJournal journal = journal(10);
        clock.advance(Duration.ofSeconds(3));
        journal.record(journal.arrive("RegisterInstance", json.createObjectNode().put("ServiceId", "srv-1")
                .put("InstanceId", "i-1"), "ua/1"), 400, "ThrottlingException");
        journal.record(journal.arrive("GetNamespace", json.createObjectNode().put("Id", "ns-1"), null), 200, null);
        journal.record(journal.arrive("UpdateService", json.createObjectNode().put("Id", "srv-2"), null), 200, null);

        JournalEntry register = journal.entries().get(0);
        assertThat(register).isEqualTo(new JournalEntry(1, T0.plusSeconds(3), "RegisterInstance", null, "srv-1", "i-1",
                null, 400, "ThrottlingException", true, "ua/1"));
        assertThat(journal.entries().get(1).namespaceId()).isEqualTo("ns-1");
        assertThat(journal.entries().get(2).serviceId()).isEqualTo("srv-2");
        assertThat(journal.count(anyRequest().throttled())).isEqualTo(1);
        assertThat(journal.count(action("RegisterInstance").withServiceId("srv-1").withInstanceId("i-1"))).isEqualTo(1);
        assertThat(journal.count(action("GetNamespace").withNamespaceId("ns-1").notThrottled())).isEqualTo(1);
    }

    @Test
    void aPatternRefusesAnOperationCloudMapDoesNotHave() {
        assertThatThrownBy(() -> action("GetOperations")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown action 'GetOperations'").hasMessageContaining("GetOperation");
    }

    @Test
    void passingVerificationsReturnForChaining() {
        RequestJournal journal = journal(10);
        getOperationAnswered(journal, "op-1", 200, null);
        getOperationAnswered(journal, "op-1", 400, "ThrottlingException");
        new JournalVerification(journal, getOperation("op-1")).times(2).atLeast(2).atMost(2)
                .noneAfter(T0).noneBefore(T0);
        new JournalVerification(journal, getOperation("op-2")).never();
        new JournalVerification(journal, getOperation("op-1").throttled()).times(1);
    }

    // One failing assertion per verification: each message says what was expected and what the journal holds.

    @Test
    void timesSaysHowManyWereExpectedAndListsTheJournal() {
        RequestJournal journal = twoPolls();
        assertThatThrownBy(() -> new JournalVerification(journal, getOperation("op-1")).times(3))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected exactly 3 requests matching GetOperation with OperationId=op-1,"
                        + " but the journal holds 2")
                .hasMessageContaining("The journal holds 3 requests:")
                .hasMessageContaining("* #1 GetOperation OperationId=op-1 -> 200 at 2026-12-03T07:00:00Z")
                .hasMessageContaining("  #3 GetOperation OperationId=op-2 -> 200");
    }

    @Test
    void atLeastSaysTheMinimumAndWhatMatched() {
        RequestJournal journal = twoPolls();
        assertThatThrownBy(() -> new JournalVerification(journal, getOperation("op-2")).atLeast(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected at least 2 requests matching GetOperation with OperationId=op-2,"
                        + " but the journal holds 1")
                .hasMessageContaining("* #3 GetOperation OperationId=op-2");
    }

    @Test
    void atMostSaysTheMaximumAndCountsDroppedEntries() {
        RequestJournal journal = journal(2);
        for (int i = 0; i < 4; i++) {
            getOperationAnswered(journal, "op-1", 200, null);
        }
        assertThatThrownBy(() -> new JournalVerification(journal, getOperation("op-1")).atMost(1))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected at most 1 requests matching GetOperation with OperationId=op-1,"
                        + " but the journal holds 2")
                .hasMessageContaining("The journal holds 2 requests (2 older ones dropped, capacity 2):");
    }

    @Test
    void neverNamesTheRequestsThatMatched() {
        RequestJournal journal = twoPolls();
        assertThatThrownBy(() -> new JournalVerification(journal, anyRequest().withErrorCode("ThrottlingException"))
                        .never())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected no requests matching any request with error=ThrottlingException,"
                        + " but the journal holds 1")
                .hasMessageContaining("* #2 GetOperation OperationId=op-1 -> 400 ThrottlingException");
    }

    @Test
    void noneAfterNamesTheFirstLateRequest() {
        RequestJournal journal = twoPolls();
        Instant cancelled = T0.plusMillis(500);
        assertThatThrownBy(() -> new JournalVerification(journal, anyRequest()).noneAfter(cancelled))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected no request matching any request after 2026-12-03T07:00:00.500Z,"
                        + " but 2 arrived after it, the first: #2 GetOperation OperationId=op-1 -> 400"
                        + " ThrottlingException at 2026-12-03T07:00:01Z")
                .hasMessageContaining("The journal holds 3 requests:");
    }

    @Test
    void noneBeforeNamesTheFirstEarlyRequest() {
        RequestJournal journal = twoPolls();
        assertThatThrownBy(() -> new JournalVerification(journal, getOperation("op-2")).noneBefore(T0.plusSeconds(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expected no request matching GetOperation with OperationId=op-2 before"
                        + " 2026-12-03T07:00:05Z, but 1 arrived before it, the first: #3 GetOperation OperationId=op-2");
    }

    @Test
    void anEmptyJournalSaysSo() {
        assertThatThrownBy(() -> new JournalVerification(journal(5), anyRequest()).atLeast(1))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expected at least 1 requests matching any request, but the journal holds 0\n"
                        + "The journal holds 0 requests.");
    }

    /** op-1 answered at T0, op-1 throttled at T0+1s, op-2 answered at T0+2s. */
    private RequestJournal twoPolls() {
        RequestJournal journal = journal(10);
        getOperationAnswered(journal, "op-1", 200, null);
        clock.advance(Duration.ofSeconds(1));
        getOperationAnswered(journal, "op-1", 400, "ThrottlingException");
        clock.advance(Duration.ofSeconds(1));
        getOperationAnswered(journal, "op-2", 200, null);
        return journal;
    }
}
