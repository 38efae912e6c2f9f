package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.internal.Arguments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads and checks the operation IDs of {@code watch}: the arguments, standard input for an
 * argument {@code -} (one ID per line) and {@code --from} files, in that order. Every problem is
 * found before anything is watched, each naming where it is ({@code stdin line 7},
 * {@code ids.txt line 3}, {@code argument 2}): a blank line, an ID over 255 characters, a file
 * that cannot be read, {@code -} given twice. A repeated ID is a warning (it is watched once).
 * Leading and trailing whitespace (a Windows line end) is dropped.
 *
 * <p>Not thread-safe: one use per command line.
 */
final class OperationIdInput {

    /** What was read: the distinct IDs in order, warnings, and errors (nothing is watched if there are any). */
    record Checked(List<String> ids, List<String> warnings, List<String> errors) {
    }

    private final Map<String, String> firstSeen = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    private OperationIdInput() {
    }

    /**
     * @param arguments the positional arguments, {@code -} standing for standard input
     * @param files files of IDs, one per line
     * @param stdin opened only if an argument is {@code -}
     */
    static Checked read(List<String> arguments, List<Path> files, Supplier<InputStream> stdin) {
        OperationIdInput input = new OperationIdInput();
        boolean stdinRead = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if ("-".equals(argument)) {
                if (stdinRead) {
                    input.errors.add("argument " + (i + 1) + ": '-' (standard input) given twice");
                    continue;
                }
                stdinRead = true;
                input.lines("stdin", () -> new InputStreamReader(stdin.get(), StandardCharsets.UTF_8));
            } else {
                input.add("argument " + (i + 1), argument);
            }
        }
        for (Path file : files) {
            input.lines(file.toString(), () -> Files.newBufferedReader(file, StandardCharsets.UTF_8));
        }
        if (input.firstSeen.isEmpty() && input.errors.isEmpty()) {
            input.errors.add(stdinRead ? "standard input held no operation ID" : "no operation ID was given");
        }
        return new Checked(List.copyOf(input.firstSeen.keySet()), List.copyOf(input.warnings),
                List.copyOf(input.errors));
    }

    private interface Opener {
        Reader open() throws IOException;
    }

    private void lines(String source, Opener opener) {
        try (BufferedReader reader = new BufferedReader(opener.open())) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                add(source + " line " + number, line);
            }
        } catch (IOException | RuntimeException e) {
            errors.add(source + ": cannot be read (" + e + ")");
        }
    }

    private void add(String where, String raw) {
        String id = raw.strip();
        if (id.isEmpty()) {
            errors.add(where + ": blank (one operation ID per line)");
        } else if (id.length() > Arguments.MAX_OPERATION_ID_LENGTH) {
            errors.add(where + ": the operation ID has " + id.length() + " characters; at most "
                    + Arguments.MAX_OPERATION_ID_LENGTH);
        } else {
            String first = firstSeen.putIfAbsent(id, where);
            if (first != null) {
                warnings.add(where + ": " + id + " repeats " + first + "; it is watched once");
            }
        }
    }
}
