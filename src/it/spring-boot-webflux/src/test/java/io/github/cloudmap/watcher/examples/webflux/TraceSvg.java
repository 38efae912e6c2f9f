package io.github.cloudmap.watcher.examples.webflux;

import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws spans as a timeline in SVG, one row each, indented under their parents: a poll's wait for
 * its rate-budget permit in a light shade, its time on the wire in a dark one.
 */
final class TraceSvg {

    private static final int LABEL = 290;
    private static final int BAR = 620;
    private static final int ROW = 22;

    private TraceSvg() {}

    static void write(List<SpanData> spans, Path file) throws IOException {
        long start = spans.stream().mapToLong(SpanData::getStartEpochNanos).min().orElse(0);
        long end = spans.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(1);
        double scale = BAR / (double) Math.max(1, end - start);
        int height = 40 + ROW * spans.size() + 46;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                LABEL + BAR + 90, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"10\" y=\"20\" font-weight=\"bold\">One request's trace (trace %s), %.2f s</text>%n",
                spans.get(0).getTraceId().substring(0, 8) + "...", (end - start) / 1e9));
        int y = 40;
        for (SpanData span : spans) {
            int depth = depth(span, spans);
            double x = LABEL + (span.getStartEpochNanos() - start) * scale;
            double width = Math.max(1.5, (span.getEndEpochNanos() - span.getStartEpochNanos()) * scale);
            String color = depth == 0 ? "#4a6fa5" : depth == 1 ? "#6a9f58" : "#c0504d";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", 10 + 14 * depth, y + 14,
                    escape(label(span))));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n", x, y + 2, width, color));
            EventData permit = span.getEvents().stream().filter(e -> e.getName().equals("cloudmap.poll.permit"))
                    .findFirst().orElse(null);
            if (permit != null) {
                double waited = (permit.getEpochNanos() - span.getStartEpochNanos()) * scale;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#f2c1bf\"/>%n", x, y + 2,
                        Math.max(0, waited)));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%.0f ms</text>%n",
                    x + width + 4, y + 14, (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6));
            y += ROW;
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"10\" y=\"%d\" fill=\"#555\">Server span (blue), watch (green), GetOperation polls (red: "
                        + "light for the wait for a rate-budget permit, dark on the wire).</text>%n", y + 16));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"10\" y=\"%d\" fill=\"#555\">Drawn by TraceTest in the spring-boot-webflux consumer build "
                        + "from the spans it asserts.</text>%n", y + 32));
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg.toString());
    }

    private static String label(SpanData span) {
        String outcome = span.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("cloudmap.poll.outcome")
                        || e.getKey().getKey().equals("cloudmap.operation.outcome"))
                .map(e -> " " + e.getValue()).findFirst().orElse("");
        return span.getName() + outcome;
    }

    private static int depth(SpanData span, List<SpanData> spans) {
        int depth = 0;
        String parent = span.getParentSpanId();
        while (true) {
            String wanted = parent;
            SpanData found = spans.stream().filter(s -> s.getSpanId().equals(wanted)).findFirst().orElse(null);
            if (found == null) {
                return depth;
            }
            depth++;
            parent = found.getParentSpanId();
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
