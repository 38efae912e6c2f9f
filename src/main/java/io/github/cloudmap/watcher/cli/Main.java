package io.github.cloudmap.watcher.cli;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line: {@code watch} an operation, run the {@code emulator}, or run the
 * {@code demo} (what {@code mvn -q compile exec:java} does).
 *
 * <pre>{@code
 * java -jar target/cloudmap-operation-watcher-0.1.0-SNAPSHOT-cli.jar watch <operation-id>
 * }</pre>
 *
 * <p>{@code --version} prints the jar's {@code Implementation-Version} ({@link ManifestVersion}).
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(name = "cloudmap-watcher", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        exitCodeOnInvalidInput = WatchCommand.ERROR, exitCodeOnExecutionException = WatchCommand.ERROR,
        description = "Waits for AWS Cloud Map operations, and runs a local Cloud Map emulator to try it on.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private Main() {}

    /**
     * Loggers of the AWS SDK that write credentials at DEBUG: its V4 signer logs the canonical
     * request, session token included, and once Netty's {@code LoggingHandler} logger is at DEBUG
     * the SDK's Netty client logs every request with its {@code Authorization} header.
     */
    static final List<String> LOGGERS_THAT_LOG_SECRETS = List.of(
            "io.netty.handler.logging.LoggingHandler",
            "software.amazon.awssdk.http.auth.aws.internal.signer",
            "software.amazon.awssdk.auth.signer");

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        keepSecretsOutOfDebugLogs();
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /**
     * The command line with its subcommands, wired to {@code env}; call {@code execute(args)}.
     *
     * @throws NullPointerException if {@code env} is null
     */
    public static CommandLine commandLine(CliEnvironment env) {
        Objects.requireNonNull(env, "env");
        return new CommandLine(new Main())
                .addSubcommand(new WatchCommand(env))
                .addSubcommand(new EmulatorCommand())
                .addSubcommand(new DemoCommand(env));
    }

    /**
     * Someone who turns the command line's logging up to DEBUG
     * ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}) to see what the watcher does must
     * not print their credentials: the {@link #LOGGERS_THAT_LOG_SECRETS} stay at INFO unless a
     * level is set for them by name. Must run before the first logger is created: slf4j-simple
     * reads its levels once.
     */
    static void keepSecretsOutOfDebugLogs() {
        for (String logger : LOGGERS_THAT_LOG_SECRETS) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "info");
            }
        }
    }

    @Override
    public Integer call() {
        // No subcommand: show what there is, and fail like any other usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return WatchCommand.ERROR;
    }
}
