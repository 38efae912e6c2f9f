package io.github.cloudmap.watcher.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/observability.md lists exactly the observations, keys and events the code declares in
 * {@link WatcherObservationDocumentation}, section by section.
 */
class ObservabilityDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_.]+)` \\|", Pattern.MULTILINE);

    private static String section(String docs, String name) {
        int start = docs.indexOf("### `" + name + "`");
        assertThat(start).as("docs/observability.md has a section for %s", name).isNotNegative();
        int end = docs.indexOf("\n## ", start);
        int next = docs.indexOf("\n### ", start + 1);
        int stop = next > 0 && (end < 0 || next < end) ? next : end;
        return docs.substring(start, stop < 0 ? docs.length() : stop);
    }

    @Test
    void everyDeclaredKeyAndEventIsDocumentedAndNothingElse() throws IOException {
        String docs = Files.readString(Path.of("docs/observability.md"));
        String[][] observations = {
            {"cloudmap.watcher.watch", "WATCH"},
            {"cloudmap.watcher.poll", "POLL"},
            {"cloudmap.watcher.submission", "SUBMISSION"}};
        for (String[] observation : observations) {
            WatcherObservationDocumentation declared = WatcherObservationDocumentation.valueOf(observation[1]);
            Set<String> expected = new TreeSet<>();
            Arrays.stream(declared.getLowCardinalityKeyNames()).map(KeyName::asString).forEach(expected::add);
            Arrays.stream(declared.getHighCardinalityKeyNames()).map(KeyName::asString).forEach(expected::add);
            Arrays.stream(declared.getEvents()).map(Observation.Event::getName).forEach(expected::add);
            Set<String> documented = new TreeSet<>();
            Matcher row = ROW.matcher(section(docs, observation[0]));
            while (row.find()) {
                documented.add(row.group(1));
            }
            assertThat(documented).as("keys and events documented for %s", observation[0])
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theDefaultConventionsNameTheDocumentedObservations() {
        Set<String> names = new LinkedHashSet<>();
        names.add(DefaultWatchObservationConvention.INSTANCE.getName());
        names.add(DefaultPollObservationConvention.INSTANCE.getName());
        names.add(DefaultSubmissionObservationConvention.INSTANCE.getName());
        assertThat(names).containsExactly("cloudmap.watcher.watch", "cloudmap.watcher.poll", "cloudmap.watcher.submission");
    }

    @Test
    void theDefaultConventionsWriteEveryDeclaredKey() {
        WatchContext watch = new WatchContext(null);
        Set<String> written = new TreeSet<>();
        DefaultWatchObservationConvention.INSTANCE.getLowCardinalityKeyValues(watch).forEach(k -> written.add(k.getKey()));
        DefaultWatchObservationConvention.INSTANCE.getHighCardinalityKeyValues(watch).forEach(k -> written.add(k.getKey()));
        assertThat(written).containsExactlyInAnyOrderElementsOf(keys(WatcherObservationDocumentation.WATCH));

        PollContext poll = new PollContext("op-1", null, null, java.util.List.of());
        written.clear();
        DefaultPollObservationConvention.INSTANCE.getLowCardinalityKeyValues(poll).forEach(k -> written.add(k.getKey()));
        DefaultPollObservationConvention.INSTANCE.getHighCardinalityKeyValues(poll).forEach(k -> written.add(k.getKey()));
        assertThat(written).containsExactlyInAnyOrderElementsOf(keys(WatcherObservationDocumentation.POLL));

        SubmissionContext submission = new SubmissionContext(null);
        written.clear();
        DefaultSubmissionObservationConvention.INSTANCE.getLowCardinalityKeyValues(submission).forEach(k -> written.add(k.getKey()));
        DefaultSubmissionObservationConvention.INSTANCE.getHighCardinalityKeyValues(submission).forEach(k -> written.add(k.getKey()));
        assertThat(written).containsExactlyInAnyOrderElementsOf(keys(WatcherObservationDocumentation.SUBMISSION));
    }

    private static Set<String> keys(WatcherObservationDocumentation declared) {
        Set<String> keys = new TreeSet<>();
        Arrays.stream(declared.getLowCardinalityKeyNames()).map(KeyName::asString).forEach(keys::add);
        Arrays.stream(declared.getHighCardinalityKeyNames()).map(KeyName::asString).forEach(keys::add);
        return keys;
    }
}
