package io.github.cloudmap.watcher.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package; {@code .ci/run} installs it) on a free loopback
 * port with a temporary directory of its own, for the tests that need Redis. Those tests call
 * {@link #assumeInstalled()} first: they are skipped, saying why, only where no
 * {@code redis-server} can be found. Persistence is off, so a {@link #kill()} and
 * {@link #restart()} lose every key, as a restarted cache node does.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class RedisServer implements AutoCloseable {

    private static final String[] CANDIDATES = {"/usr/bin/redis-server", "/usr/local/bin/redis-server",
        "/usr/sbin/redis-server"};

    private final Path executable;
    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(Path executable, int port, List<String> extraArgs) throws IOException {
        this.executable = executable;
        this.port = port;
        this.extraArgs = extraArgs;
        this.dir = Files.createTempDirectory("redis-test-");
    }

    /** Skips the calling test (with the reason) where redis-server is not installed. */
    static void assumeInstalled() {
        assumeTrue(find().isPresent(), "redis-server not found (apt-get install -y redis-server; .ci/run installs it):"
                + " this test needs a real Redis");
    }

    static Optional<Path> find() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Stream.of(CANDIDATES).map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts a server on a free loopback port; {@code extraArgs} are redis-server options such as {@code --requirepass}. */
    static RedisServer start(String... extraArgs) {
        assumeInstalled();
        try {
            RedisServer server = new RedisServer(find().orElseThrow(), freePort(), List.of(extraArgs));
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, or with {@code userInfo@} before the host. */
    String uri(String userInfo) {
        return "redis://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port;
    }

    String uri() {
        return uri(null);
    }

    /** Kills the server at once (SIGKILL), as a crashed node. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server (again) on the same port, empty, and waits until it accepts connections. */
    void restart() {
        kill();
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + executable, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(20);   // waiting for a real process to start: not a unit test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("redis-server did not accept connections on port " + port + " within 10 s");
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind harms nobody
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "redis-server on 127.0.0.1:" + port;
    }
}
