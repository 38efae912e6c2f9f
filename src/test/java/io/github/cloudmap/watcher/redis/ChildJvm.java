package io.github.cloudmap.watcher.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a main class of the test class path, its stdout and stderr (logs
 * included) captured in one file: a process of a fleet, as a deployment has them.
 */
final class ChildJvm {

    private final Process process;
    private final Path output;
    private final String name;

    private ChildJvm(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    static ChildJvm start(String name, Class<?> main, List<String> jvmArgs, String... args) {
        return start(name, main, java.util.Map.of(), jvmArgs, args);
    }

    static ChildJvm start(String name, Class<?> main, java.util.Map<String, String> env, List<String> jvmArgs,
            String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Failsafe runs the tests from a manifest-only jar; it names the real class path here.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classPath));
        command.addAll(jvmArgs);
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("child-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            return new ChildJvm(name, process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the exit (bounded) and returns everything the process wrote. */
    String await(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish within " + seconds + " s; it wrote:\n" + output());
            }
            return output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError(name + " interrupted");
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void destroy() {
        process.destroyForcibly();
    }
}
