package io.github.cloudmap.watcher.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: the {@code Implementation-Version} of the jar the tool runs from
 * (for example {@code cloudmap-watcher 0.1.0-SNAPSHOT}), so it always matches the artifact; when
 * the classes do not come from a jar with that manifest entry ({@code mvn exec:java}, an IDE),
 * {@code cloudmap-watcher development build}.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * @Command(versionProvider = ManifestVersion.class)
 * }</pre>
 */
final class ManifestVersion implements IVersionProvider {

    /** Printed when no manifest names a version. */
    static final String DEVELOPMENT_BUILD = "development build";

    @Override
    public String[] getVersion() {
        return new String[] {line(Main.class.getPackage().getImplementationVersion())};
    }

    /** The version line for an {@code Implementation-Version}, which may be null or blank. */
    static String line(String implementationVersion) {
        boolean known = implementationVersion != null && !implementationVersion.isBlank();
        return "cloudmap-watcher " + (known ? implementationVersion.strip() : DEVELOPMENT_BUILD);
    }
}
