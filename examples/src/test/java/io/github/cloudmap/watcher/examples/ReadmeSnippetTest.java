package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The StepVerifier example of docs/testing.md is {@link ReadmeStepVerifierTest} word for word
 * (less the package line and the class Javadoc), and the README's testing lines are the class the
 * emulator-in-tests consumer build runs: an edit to one without the other fails the build.
 */
class ReadmeSnippetTest {

    @Test
    void theStepVerifierExampleIsTheTestTheBuildRuns() throws IOException {
        String readme = Files.readString(Path.of("docs/testing.md"));
        Matcher block = Pattern.compile("```java\\n(import static[^`]*?class ReadmeStepVerifierTest[^`]*?)```")
                .matcher(readme);
        assertThat(block.find()).as("docs/testing.md has the ReadmeStepVerifierTest example").isTrue();

        String source = Files.readString(Path.of(
                "examples/src/test/java/io/github/cloudmap/watcher/examples/ReadmeStepVerifierTest.java"));
        String comparable = source
                .replaceFirst("(?m)^package [^;]+;\\n\\n", "")
                .replaceFirst("(?m)^/\\*\\*.*\\*/\\n", "");
        assertThat(block.group(1)).isEqualTo(comparable);
    }

    @Test
    void theReadmesTestingLinesAreTheConsumerBuildsTest() throws IOException {
        String source = Files.readString(Path.of(
                "src/it/emulator-in-tests/src/test/java/example/ReadmeEmulatorTest.java"));
        String lines = source.substring(source.indexOf("@CloudMapEmulatorTest("));
        for (String doc : new String[] {"README.md", "docs/testing.md"}) {
            assertThat(Files.readString(Path.of(doc))).as(doc).contains("```java\n" + lines + "```");
        }
    }
}
