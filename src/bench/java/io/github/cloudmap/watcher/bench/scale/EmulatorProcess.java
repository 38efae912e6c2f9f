package io.github.cloudmap.watcher.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudmap.watcher.emulator.BenchmarkHook;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The emulator in a JVM of its own ({@code emulator --benchmark-control}), so that its work (and
 * its garbage) does not count against the contender, driven through {@link BenchmarkHook}'s line
 * protocol on the child's standard input and output. One per benchmark session, warmed up once and
 * cleared before each run ({@code clear}: no operations but the ones the run creates, zero counts),
 * with its token buckets set anew (full) for each run.
 *
 * <p>Thread-safe: one command at a time.
 */
final class EmulatorProcess implements AutoCloseable {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final URI endpoint;

    private EmulatorProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.endpoint = URI.create(next().get("endpoint").asText());
    }

    /** Starts a fresh emulator on a free loopback port, on this JVM's class path. */
    static EmulatorProcess start(long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+UseParallelGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                "io.github.cloudmap.watcher.cli.Main", "emulator", "--benchmark-control", "--seed", Long.toString(seed)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new EmulatorProcess(process);
    }

    URI endpoint() {
        return endpoint;
    }

    /** Sends one command and returns its answer. */
    synchronized JsonNode command(String line) throws IOException {
        in.println(line);
        JsonNode answer = next();
        if (answer.has("error")) {
            throw new IOException("emulator refused '" + line + "': " + answer.get("error").asText());
        }
        return answer;
    }

    private JsonNode next() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(BenchmarkHook.PREFIX)) {
                return mapper.readTree(line.substring(BenchmarkHook.PREFIX.length()));
            }
        }
        throw new IOException("the emulator process ended (exit " + exitCode() + ")");
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        in.println("quit");
        in.close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
