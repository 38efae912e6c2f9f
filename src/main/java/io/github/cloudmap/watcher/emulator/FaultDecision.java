package io.github.cloudmap.watcher.emulator;

import java.time.Duration;

/**
 * What {@link FaultInjector} decided for one request: answer normally, answer an error, never
 * answer, or drop the connection; always after {@code latency}.
 */
record FaultDecision(Kind kind, Duration latency, CloudMapError error) {

    enum Kind { NONE, ERROR, HANG, RESET }

    static FaultDecision none(Duration latency) {
        return new FaultDecision(Kind.NONE, latency, null);
    }
}
