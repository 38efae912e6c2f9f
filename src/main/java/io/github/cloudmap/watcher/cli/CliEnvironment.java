package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.OperationWatcher;
import io.github.cloudmap.watcher.OperationWatcherBuilder;
import java.time.Clock;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What the commands take from the outside world, so tests can replace it: where clients come
 * from, the clock that stamps output lines, a last say over each watcher's settings (a test
 * makes polling fast or installs a scheduler), and whether output goes to a terminal. Output
 * streams are picocli's own ({@code CommandLine.setOut/setErr}).
 *
 * <p>Immutable and thread-safe if its parts are.
 *
 * <pre>{@code
 * CommandLine cli = Main.commandLine(new CliEnvironment(
 *     (region, endpoint) -> scriptedClient, Clock.systemUTC(), b -> b.pollInterval(ms, ms), false));
 * }</pre>
 *
 * @param clients makes the client of {@code watch}
 * @param clock stamps the status lines
 * @param watcherCustomizer applied to each watcher builder after the command's own settings
 * @param terminal true when output goes to a terminal, where the demo redraws its progress
 *        line in place; false for pipes, logs and tests
 */
public record CliEnvironment(ClientFactory clients, Clock clock,
                             UnaryOperator<OperationWatcherBuilder> watcherCustomizer, boolean terminal) {

    /** @throws NullPointerException if any part is null */
    public CliEnvironment {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(watcherCustomizer, "watcherCustomizer");
    }

    /**
     * The real world: AWS clients from {@link Clients#aws}, the system clock, no customizing,
     * a terminal when {@code System.console()} says so.
     */
    public static CliEnvironment system() {
        return new CliEnvironment(Clients::aws, Clock.systemUTC(), UnaryOperator.identity(),
                System.console() != null);
    }
}
