package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs every example's {@code main} as a user would (each starts its own emulator), so the examples never rot. */
@Timeout(60)
class ExamplesRunIT {

    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    private static String run(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }

    @Test
    void awaitNamespaceCreationPrintsTheNewNamespaceId() throws Exception {
        assertThat(run(AwaitNamespaceCreation::main)).startsWith("Namespace ID: ns-");
    }

    @Test
    void registerManyInstancesRegistersThemAll() throws Exception {
        assertThat(run(RegisterManyInstances::main)).contains("Registered 50 instances");
    }

    @Test
    void resumeAfterRestartFindsTheInFlightHalfAndAwaitsIt() throws Exception {
        String out = run(ResumeAfterRestart::main);

        assertThat(out).contains("Before the crash: 25 registrations seen through")
                .containsPattern("After the restart: found (2[0-5]|1[0-9]|[1-9]) in flight; all succeeded: true")
                .contains("Registered 50 instances");
    }
}
