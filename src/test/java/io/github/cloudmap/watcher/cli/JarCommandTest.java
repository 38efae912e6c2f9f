package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JarCommandTest {

    private static final Path PROJECT = Path.of("/home/me/cloudmap");

    @Test
    void theRunnableJarUnderTheWorkingDirectoryIsShownRelative() {
        URI jar = URI.create("file:/home/me/cloudmap/target/cloudmap-operation-watcher-0.1.0-SNAPSHOT-cli.jar");
        assertThat(JarCommand.of(jar, "0.1.0-SNAPSHOT", PROJECT))
                .isEqualTo("java -jar target/cloudmap-operation-watcher-0.1.0-SNAPSHOT-cli.jar");
    }

    @Test
    void aJarElsewhereIsShownAbsoluteAndQuotedWhenAShellWouldSplitIt() {
        assertThat(JarCommand.of(URI.create("file:/opt/tools/cloudmap-operation-watcher-1.0-cli.jar"), "1.0", PROJECT))
                .isEqualTo("java -jar /opt/tools/cloudmap-operation-watcher-1.0-cli.jar");
        assertThat(JarCommand.of(URI.create("file:/opt/my%20tools/watcher-cli.jar"), null, PROJECT))
                .isEqualTo("java -jar '/opt/my tools/watcher-cli.jar'");
    }

    @Test
    void classesOutsideTheRunnableJarPointAtTheJarTheBuildMakes() {
        // mvn exec:java, an IDE, or the plain jar (which cannot run alone).
        assertThat(JarCommand.of(URI.create("file:/home/me/cloudmap/target/classes/"), null, PROJECT))
                .isEqualTo("java -jar target/cloudmap-operation-watcher-*-cli.jar");
        assertThat(JarCommand.of(URI.create("file:/home/me/cloudmap/target/cloudmap-operation-watcher-0.1.0.jar"),
                "0.1.0", PROJECT)).isEqualTo("java -jar target/cloudmap-operation-watcher-0.1.0-cli.jar");
        assertThat(JarCommand.of(null, " ", PROJECT)).isEqualTo("java -jar target/cloudmap-operation-watcher-*-cli.jar");
    }

    @Test
    void currentNamesSomeRunnableJar() {
        assertThat(JarCommand.current()).startsWith("java -jar ").endsWith("-cli.jar");
    }
}
