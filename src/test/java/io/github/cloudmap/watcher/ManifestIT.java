package io.github.cloudmap.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library jar that {@code package} built, as a user on the module path sees it: a stable
 * {@code Automatic-Module-Name}, so {@code requires io.github.cloudmap.watcher;} does not depend
 * on the jar's file name, and the JDK derives exactly that name.
 */
class ManifestIT {

    static final String MODULE_NAME = "io.github.cloudmap.watcher";

    /** The library jar in target/ (not the -cli, -sources or -javadoc jars). */
    static Path libraryJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("basedir", "."), "target"))) {
            List<Path> jars = files
                    .filter(f -> f.getFileName().toString().matches("cloudmap-operation-watcher-[^-]+(-SNAPSHOT)?\\.jar"))
                    .toList();
            assertThat(jars).as("the library jar built by package").hasSize(1);
            return jars.get(0);
        }
    }

    @Test
    void theManifestNamesTheAutomaticModule() throws IOException {
        try (JarFile jar = new JarFile(libraryJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo(MODULE_NAME);
        }
    }

    @Test
    void theManifestCarriesTheVersionTheUserAgentReports() throws IOException {
        // RequestOverrides puts cloudmap-operation-watcher/<Implementation-Version> in the
        // User-Agent of every request, and "dev" when the jar has none.
        Path path = libraryJar();
        String fileVersion = path.getFileName().toString()
                .replaceFirst("^cloudmap-operation-watcher-", "").replaceFirst("\\.jar$", "");
        try (JarFile jar = new JarFile(path.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version")).isEqualTo(fileVersion);
        }
    }

    @Test
    void theJdkDerivesThatModuleNameAndExportsThePublicApi() throws IOException {
        List<ModuleReference> modules = List.copyOf(ModuleFinder.of(libraryJar()).findAll());

        assertThat(modules).singleElement().satisfies(module -> {
            assertThat(module.descriptor().name()).isEqualTo(MODULE_NAME);
            assertThat(module.descriptor().isAutomatic()).isTrue();
            assertThat(module.descriptor().packages()).contains(MODULE_NAME, MODULE_NAME + ".testing");
        });
    }
}
