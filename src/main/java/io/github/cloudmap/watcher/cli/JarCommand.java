package io.github.cloudmap.watcher.cli;

import java.net.URI;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The shell command that runs this tool, for output that tells a person what to type next
 * (the {@code emulator} banner): {@code java -jar} and the runnable jar this process runs from,
 * relative to the working directory when it is under it; or, when the classes do not come from
 * that jar ({@code mvn exec:java}, an IDE), the path {@code mvn package} builds it at.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * out.println("  " + JarCommand.current() + " watch <operation-id>");
 * }</pre>
 */
final class JarCommand {

    /** How the runnable (shaded) jar's name ends; the plain jar next to it cannot run alone. */
    static final String RUNNABLE_SUFFIX = "-cli.jar";

    private JarCommand() {}

    /** The command for this process. */
    static String current() {
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        URI location = null;
        if (source != null && source.getLocation() != null) {
            try {
                location = source.getLocation().toURI();
            } catch (java.net.URISyntaxException e) {
                // A location that is no URI cannot be a jar we could name: use the build path.
            }
        }
        return of(location, Main.class.getPackage().getImplementationVersion(), Path.of("").toAbsolutePath());
    }

    /**
     * The command for classes loaded from {@code codeSource}.
     *
     * @param codeSource where the classes come from, or null if unknown
     * @param version the jar's Implementation-Version, or null if unknown ({@code *} is printed,
     *        which a shell expands to the one jar there)
     * @param workingDirectory absolute
     */
    static String of(URI codeSource, String version, Path workingDirectory) {
        if (codeSource != null && "file".equals(codeSource.getScheme())
                && codeSource.getPath() != null && codeSource.getPath().endsWith(RUNNABLE_SUFFIX)) {
            Path jar = Path.of(codeSource).toAbsolutePath().normalize();
            Path shown = jar.startsWith(workingDirectory) ? workingDirectory.relativize(jar) : jar;
            return "java -jar " + quoted(shown.toString());
        }
        String shownVersion = version == null || version.isBlank() ? "*" : version.strip();
        return "java -jar target/cloudmap-operation-watcher-" + shownVersion + RUNNABLE_SUFFIX;
    }

    /** Single quotes around a path a shell would split or expand; others as they are. */
    private static String quoted(String path) {
        return path.matches("[A-Za-z0-9_./@:+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
