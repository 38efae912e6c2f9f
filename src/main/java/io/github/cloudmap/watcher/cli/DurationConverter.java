package io.github.cloudmap.watcher.cli;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration the way a person types one: ISO-8601 ({@code PT5M}, {@code PT0.5S}) or
 * number-and-unit groups ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d},
 * {@code 1h30m}, {@code 1.5s}).
 *
 * <p>Zero is accepted (a converter does not know what the duration is for); the commands check
 * the range they need. Anything longer than {@link #MAX} (1 day, the library's own limit
 * {@link OperationWatcherBuilder#MAX_DURATION}) is refused in either form: so {@code --timeout 2d}
 * is refused while the option is read, naming the accepted range, instead of later inside the
 * watcher; and a typo such as {@code 99999999999d} cannot overflow into some other value.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * @Option(names = "--timeout", converter = DurationConverter.class) Duration timeout;
 * }</pre>
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** The longest duration accepted: {@link OperationWatcherBuilder#MAX_DURATION}, 1 day. */
    public static final Duration MAX = OperationWatcherBuilder.MAX_DURATION;

    /** {@link #MAX} in words and in both accepted forms: "1 day (24h or PT24H)". */
    private static final String LIMIT = MAX.toDays() + (MAX.toDays() == 1 ? " day" : " days")
            + " (" + MAX.toHours() + "h or " + MAX + ")";
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(MAX.toNanos());
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");
    private static final Pattern GROUP = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code value}.
     *
     * @throws TypeConversionException with a message showing the accepted forms, if it is
     *         neither form; or saying it is too large, if it is longer than {@link #MAX}
     */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim();
        if (text.regionMatches(true, 0, "P", 0, 1)) {
            Duration parsed;
            try {
                parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // Duration.parse reports overflow as a parse error too, caused by Long.parseLong
                // (PT9999999999999999999S) or by Math.multiplyExact (PT99999999999999H).
                Throwable cause = e.getCause();
                throw cause instanceof NumberFormatException || cause instanceof ArithmeticException
                        ? tooLarge(value) : invalid(value);
            }
            if (parsed.compareTo(MAX) > 0) {
                throw tooLarge(value);
            }
            return parsed;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(lower).matches()) {
            throw invalid(value);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher group = GROUP.matcher(lower);
        while (group.find()) {
            nanos = nanos.add(new BigDecimal(group.group(1)).multiply(BigDecimal.valueOf(nanosPer(group.group(2)))));
        }
        // Compared before converting: longValue() would wrap a huge value around to another one.
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw tooLarge(value);
        }
        // BigDecimal keeps "1.5s" exact; a fraction of a nanosecond is dropped.
        return Duration.ofNanos(nanos.longValue());
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(1).toNanos();
            case "s" -> Duration.ofSeconds(1).toNanos();
            case "m" -> Duration.ofMinutes(1).toNanos();
            case "h" -> Duration.ofHours(1).toNanos();
            case "d" -> Duration.ofDays(1).toNanos();
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    private static TypeConversionException tooLarge(String value) {
        return new TypeConversionException("'" + value + "' is too large: at most " + LIMIT);
    }

    private static TypeConversionException invalid(String value) {
        return new TypeConversionException("'" + value + "' is not a duration: use a number with a unit"
                + " (500ms, 30s, 5m, 2h, 1d, 1h30m) or ISO-8601 (PT5M)");
    }
}
