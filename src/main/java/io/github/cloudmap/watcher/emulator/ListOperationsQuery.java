package io.github.cloudmap.watcher.emulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.servicediscovery.model.OperationStatus;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

/**
 * A parsed ListOperations request: its filters, MaxResults and NextToken, and how it pages.
 *
 * <p>Like Cloud Map, it reads {@code MaxResults} operations first (oldest first, in submission
 * order) and filters them afterwards, so a page can be empty yet carry a NextToken. Filters are
 * ANDed: NAMESPACE_ID and SERVICE_ID take EQ and one value; STATUS and TYPE take EQ (one value) or
 * IN; UPDATE_DATE takes BETWEEN with two values, start first, both inclusive. A date value is an
 * epoch timestamp as text: seconds, with an optional fraction ({@code "1587055860.121"}), or
 * milliseconds (any value of 100,000,000,000 or more, as AWS's own controller sends).
 *
 * <p>Immutable and thread-safe once parsed.
 */
final class ListOperationsQuery {

    /** 100,000,000,000 seconds is the year 5138, so larger values can only be milliseconds. */
    private static final BigDecimal MILLIS_THRESHOLD = new BigDecimal("100000000000");
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);

    private final List<Predicate<OperationEntry>> filters;
    private final int maxResults;
    private final String nextToken;

    private ListOperationsQuery(List<Predicate<OperationEntry>> filters, int maxResults, String nextToken) {
        this.filters = filters;
        this.maxResults = maxResults;
        this.nextToken = nextToken;
    }

    /** Parses and validates a ListOperations body; every problem is an InvalidInput naming it. */
    static ListOperationsQuery parse(JsonRequest request) {
        int max = request.intInRange("MaxResults", 1, 100, 100);
        String token = request.optionalString("NextToken", 4096).orElse(null);
        List<Predicate<OperationEntry>> filters = new ArrayList<>();
        for (JsonRequest filter : request.objectList("Filters")) {
            filters.add(filter(filter));
        }
        return new ListOperationsQuery(List.copyOf(filters), max, token);
    }

    /** One page: a window of MaxResults operations after the token, filtered afterwards. */
    Page<OperationEntry> page(Collection<OperationEntry> operations) {
        List<OperationEntry> ordered = new ArrayList<>(operations);
        ordered.sort(Comparator.comparingLong(op -> op.seq));
        Page<OperationEntry> window = Page.of(ordered, op -> op.seq, nextToken, maxResults, "ListOperations");
        List<OperationEntry> kept = window.items().stream().filter(op -> filters.stream().allMatch(f -> f.test(op)))
                .toList();
        return new Page<>(kept, window.nextToken());
    }

    int maxResults() {
        return maxResults;
    }

    private static Predicate<OperationEntry> filter(JsonRequest filter) {
        String name = filter.requiredEnum("Name", List.of("NAMESPACE_ID", "SERVICE_ID", "STATUS", "TYPE", "UPDATE_DATE"));
        List<String> values = filter.requiredStringList("Values");
        String condition = filter.optionalEnum("Condition", List.of("EQ", "IN", "BETWEEN", "BEGINS_WITH")).orElse("EQ");
        switch (name) {
            case "NAMESPACE_ID", "SERVICE_ID" -> {
                require(name, condition, values, "EQ".equals(condition) && values.size() == 1,
                        "condition EQ with exactly one value");
                String target = name.equals("NAMESPACE_ID") ? "NAMESPACE" : "SERVICE";
                String id = EmulatorState.idOf(values.get(0));
                return op -> id.equals(op.targets.get(target));
            }
            case "STATUS" -> {
                requireEqOrIn(name, condition, values);
                List<OperationStatus> statuses = values.stream().map(v -> enumValue(name, v, OperationStatus.class)).toList();
                return op -> statuses.contains(op.status);
            }
            case "TYPE" -> {
                requireEqOrIn(name, condition, values);
                List<OperationType> types = values.stream().map(v -> enumValue(name, v, OperationType.class)).toList();
                return op -> types.contains(op.type);
            }
            default -> {
                require(name, condition, values, "BETWEEN".equals(condition) && values.size() == 2,
                        "condition BETWEEN with exactly two values, start first");
                Instant start = epoch(values.get(0));
                Instant end = epoch(values.get(1));
                if (start.isAfter(end)) {
                    throw CloudMapError.invalidInput("Filter UPDATE_DATE: the start " + values.get(0)
                            + " is after the end " + values.get(1) + "; give the start first");
                }
                return op -> !op.updateDate.isBefore(start) && !op.updateDate.isAfter(end);
            }
        }
    }

    /** Parses an epoch timestamp given as text: seconds (with fraction) or milliseconds; see the class comment. */
    static Instant epoch(String value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw CloudMapError.invalidInput("Filter UPDATE_DATE value '" + value
                    + "' is not an epoch timestamp (seconds, or milliseconds)");
        }
        if (number.signum() < 0) {
            throw CloudMapError.invalidInput("Filter UPDATE_DATE value '" + value + "' must not be negative");
        }
        BigDecimal millis = number.compareTo(MILLIS_THRESHOLD) >= 0 ? number : number.movePointRight(3);
        // Compared, not converted: longValue() would wrap a huge value around to an unrelated date,
        // and converting an exponent such as 1e999999999 would take minutes.
        if (millis.compareTo(MAX_MILLIS) > 0) {
            throw CloudMapError.invalidInput("Filter UPDATE_DATE value '" + value + "' is out of range: at most "
                    + MAX_MILLIS + " milliseconds");
        }
        if (millis.compareTo(BigDecimal.ONE) < 0) {
            return Instant.EPOCH; // also keeps 1e-999999999 from a costly rescale
        }
        return Instant.ofEpochMilli(millis.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    private static void requireEqOrIn(String name, String condition, List<String> values) {
        boolean ok = ("EQ".equals(condition) && values.size() == 1) || ("IN".equals(condition) && !values.isEmpty());
        require(name, condition, values, ok, "condition EQ with one value, or IN with one or more values");
    }

    private static void require(String name, String condition, List<String> values, boolean ok, String expected) {
        if (!ok) {
            throw CloudMapError.invalidInput("Filter " + name + " takes " + expected + "; got " + condition + " with "
                    + values.size() + " value(s)");
        }
    }

    private static <E extends Enum<E>> E enumValue(String filter, String value, Class<E> type) {
        try {
            E parsed = Enum.valueOf(type, value);
            if (!"UNKNOWN_TO_SDK_VERSION".equals(parsed.name())) {
                return parsed;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw CloudMapError.invalidInput("Filter " + filter + " value '" + value + "' is not a valid "
                + type.getSimpleName());
    }
}
