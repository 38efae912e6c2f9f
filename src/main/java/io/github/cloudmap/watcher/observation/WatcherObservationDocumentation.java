package io.github.cloudmap.watcher.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The watcher's observations, their names and keys, as Micrometer documents instrumentation:
 * {@code docs/observability.md} lists the same, and {@code ObservabilityDocsTest} keeps the two
 * in step.
 *
 * <p>Immutable.
 */
public enum WatcherObservationDocumentation implements ObservationDocumentation {

    /** One watch, from subscription to SUCCESS, FAIL, its deadline, an error or a cancel. */
    WATCH {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultWatchObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.OPERATION_TYPE, Keys.OUTCOME, Keys.ERROR_CODE};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.OPERATION_ID, Keys.OWNER_ACCOUNT, Keys.POLLS};
        }

        @Override
        public Observation.Event[] getEvents() {
            return new Observation.Event[] {Events.STATUS, Events.POLL};
        }
    },

    /** One GetOperation request: its wait for a rate-budget permit, then its time on the wire. */
    POLL {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultPollObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.POLL_OUTCOME};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.OPERATION_ID, Keys.OWNER_ACCOUNT, Keys.BUDGET_WAIT, Keys.WIRE_TIME,
                Keys.WATCHES};
        }

        @Override
        public Observation.Event[] getEvents() {
            return new Observation.Event[] {Events.PERMIT};
        }
    },

    /** One {@code submitAndWatch}: every submission, the watches of their operations, the waits between. */
    SUBMISSION {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultSubmissionObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return new KeyName[] {Keys.OPERATION_TYPE, Keys.OUTCOME, Keys.ERROR_CODE};
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return new KeyName[] {Keys.OPERATION_ID, Keys.OWNER_ACCOUNT, Keys.ATTEMPTS, Keys.RESUBMISSIONS};
        }
    };

    /** Every key the default conventions write. */
    public enum Keys implements KeyName {
        /** The operation's type (REGISTER_INSTANCE...), {@code UNKNOWN} until a status was read. */
        OPERATION_TYPE("cloudmap.operation.type"),
        /** How a watch or a submitAndWatch ended: SUCCESS, FAIL, TIMEOUT, CANCELLED or ERROR. */
        OUTCOME("cloudmap.operation.outcome"),
        /** The FAIL's ErrorCode; {@code none} for other outcomes. */
        ERROR_CODE("cloudmap.operation.error_code"),
        /** The OperationId (the last one, for a submitAndWatch). */
        OPERATION_ID("cloudmap.operation.id"),
        /** The account that owns a shared namespace; {@code self} for the caller's own. */
        OWNER_ACCOUNT("cloudmap.operation.owner_account"),
        /** GetOperation requests sent for the watch (by its shared loop, while it ran). */
        POLLS("cloudmap.watcher.polls"),
        /** How a request ended: ANSWERED, THROTTLED, SERVER_ERROR, IO_ERROR, NOT_FOUND, CLIENT_ERROR or CANCELLED. */
        POLL_OUTCOME("cloudmap.poll.outcome"),
        /** Milliseconds the request waited for a rate-budget permit (local, before it was sent). */
        BUDGET_WAIT("cloudmap.poll.budget_wait_ms"),
        /** Milliseconds from the permit to the answer: the time on the wire. */
        WIRE_TIME("cloudmap.poll.wire_ms"),
        /** How many watches shared the poll loop when the request started. */
        WATCHES("cloudmap.poll.watches"),
        /** Submissions sent, the first included. */
        ATTEMPTS("cloudmap.submission.attempts"),
        /** Submissions sent again (attempts - 1). */
        RESUBMISSIONS("cloudmap.submission.resubmissions");

        private final String name;

        Keys(String name) {
            this.name = name;
        }

        @Override
        public String asString() {
            return name;
        }
    }

    /** The events the observations record. */
    public static final class Events {
        /** A watch saw a new status; the contextual name is the status. */
        public static final Observation.Event STATUS = Observation.Event.of("cloudmap.watcher.status");
        /** The shared loop sent a GetOperation for this watch; the contextual name is the poll's outcome. */
        public static final Observation.Event POLL = Observation.Event.of("cloudmap.watcher.poll");
        /** A request got its rate-budget permit: the wait ends, the request goes on the wire. */
        public static final Observation.Event PERMIT = Observation.Event.of("cloudmap.poll.permit");

        private Events() {}
    }
}
