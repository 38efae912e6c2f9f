package io.github.cloudmap.watcher.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's StepVerifier example is {@link ReadmeStepVerifierTest} word for word (less the
 * package line and the class Javadoc): an edit to one without the other fails the build.
 */
class ReadmeSnippetTest {

    @Test
    void theReadmeExampleIsTheTestTheBuildRuns() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher block = Pattern.compile("```java\\n(import static[^`]*?class ReadmeStepVerifierTest[^`]*?)```")
                .matcher(readme);
        assertThat(block.find()).as("README.md has the ReadmeStepVerifierTest example").isTrue();

        String source = Files.readString(Path.of(
                "examples/src/test/java/io/github/cloudmap/watcher/examples/ReadmeStepVerifierTest.java"));
        String comparable = source
                .replaceFirst("(?m)^package [^;]+;\\n\\n", "")
                .replaceFirst("(?m)^/\\*\\*.*\\*/\\n", "");
        assertThat(block.group(1)).isEqualTo(comparable);
    }
}
