package io.github.cloudmap.watcher.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes scale.json, scale.md (the table, with the floor beside it) and scale.png (JFreeChart). */
final class ScaleReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Color[] COLORS = {new Color(0xd62728), new Color(0xff7f0e), new Color(0x8c564b),
        new Color(0x2ca02c), new Color(0x1f77b4), new Color(0x9467bd), new Color(0x7f7f7f), new Color(0x17becf)};

    private ScaleReport() {
    }

    static void write(Path dir, ArrayNode runs) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("runs", runs);
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("scale.json").toFile(), root);
        Files.writeString(dir.resolve("scale.md"), markdown(runs));
        chart(runs, dir.resolve("scale.png"));
    }

    /**
     * The contender's name, with the number of JVMs for those that split the operations over
     * child processes ({@code watcher-fleet (3 JVMs)}).
     */
    static String label(JsonNode r) {
        return r.has("processes") ? r.get("contender").asText() + " (" + r.get("processes").asInt() + " JVMs)"
                : r.get("contender").asText();
    }

    static String summaryLine(JsonNode r) {
        return String.format("%-18s limit %4s/s N %,6d hist %,6d: %6.2f calls/op, %5.1f %% throttled, %d errors,"
                        + " %,d/%,d terminal (%d dup), lag p50 %.1f s p99 %.1f s max %.1f s, wall %.0f s"
                        + " | floor %.2f calls/op, p99 %.1f s",
                label(r), ScaleBenchmark.fmt(r.get("limit_rps").asDouble()), r.get("operations").asInt(),
                r.get("history_operations").asInt(), r.get("calls_per_operation").asDouble(),
                100 * r.get("throttled_share").asDouble(), r.get("surfaced_errors").asInt(),
                r.get("terminal_observed").asInt(), r.get("operations").asInt(), r.get("terminal_duplicates").asInt(),
                r.get("lag_p50_ms").asLong() / 1000.0, r.get("lag_p99_ms").asLong() / 1000.0,
                r.get("lag_max_ms").asLong() / 1000.0, r.get("wall_ms").asLong() / 1000.0,
                r.get("floor_calls_per_operation").asDouble(), r.get("floor_lag_p99_ms").asLong() / 1000.0);
    }

    static String markdown(ArrayNode runs) {
        StringBuilder md = new StringBuilder();
        md.append("# Scale benchmark results\n\n");
        md.append("Operations of 2-20 s (seeded) created at once in the emulator, run in a process of its own;"
                + " GetOperation limited by a token bucket at the limit shown (burst 2x); ListOperations limited"
                + " at an ASSUMED 10/s, burst 20 (AWS publishes no figure). Calls and throttles are counted by the"
                + " emulator; lag is the time from the operation's terminal UpdateDate to the contender seeing it."
                + " One emulator process per session, JIT-warmed once, cleared before each run (no operations, zero"
                + " counts, full buckets). Machine: 2 cores shared with other builds, so times are noisy:"
                + " read the counts (calls/op, throttled share) first.\n\n");
        md.append("Floor: one fair round-robin queue at exactly the limit over the same operations (no burst, no"
                + " knowledge of finish times); the absolute floor is 1 call per operation.\n\n");
        md.append("| contender | limit/s | N | history | calls/op | API calls | throttled | errors | terminal seen (dup) |"
                + " lag p50 / p99 / max (s) | wall (s) | CPU (s) | heap peak (MB) | heap/watch (B) | threads peak |"
                + " floor calls/op, p50 / p99 (s) | load |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<JsonNode> sorted = StreamSupport.stream(runs.spliterator(), false)
                .sorted(Comparator.<JsonNode>comparingInt(r -> r.get("operations").asInt())
                        .thenComparingInt(r -> r.path("history_operations").asInt())
                        .thenComparingDouble(r -> r.get("limit_rps").asDouble())
                        .thenComparingInt(r -> Contenders.order(r.get("contender").asText())))
                .toList();
        for (JsonNode r : sorted) {
            md.append(String.format("| %s | %s | %,d | %,d | %.2f | %,d | %,d (%.0f %%) | %d | %,d (%d) | %s / %s / %s | %.0f | %.1f |"
                            + " %.0f | %s | %d | %.2f, %s / %s | %.0f |\n",
                    label(r), ScaleBenchmark.fmt(r.get("limit_rps").asDouble()),
                    r.get("operations").asInt(), r.path("history_operations").asInt(),
                    r.get("calls_per_operation").asDouble(), r.get("api_calls").asInt(),
                    r.get("throttled_responses").asInt(), 100 * r.get("throttled_share").asDouble(),
                    r.get("surfaced_errors").asInt(), r.get("terminal_observed").asInt(),
                    r.get("terminal_duplicates").asInt(), sec(r.get("lag_p50_ms")), sec(r.get("lag_p99_ms")),
                    sec(r.get("lag_max_ms")), r.get("wall_ms").asLong() / 1000.0, r.get("cpu_ms").asLong() / 1000.0,
                    r.get("heap_peak_mb").asDouble(),
                    r.get("heap_per_watch_bytes").asLong() < 0 ? "-" : String.format("%,d", r.get("heap_per_watch_bytes").asLong()),
                    r.get("threads_peak").asInt(), r.get("floor_calls_per_operation").asDouble(),
                    sec(r.get("floor_lag_p50_ms")), sec(r.get("floor_lag_p99_ms")),
                    r.path("load_average_peak").asDouble()));
        }
        md.append("\nterminal seen: operations whose SUCCESS/FAIL the contender saw within its bound (dup: terminal"
                + " states seen a second time). errors: errors that reached the caller, other than the bound. load: the"
                + " machine's peak 1-minute load average during the run (2 cores): above 2, other builds competed"
                + " for the CPU.\n");
        against(md, sorted);
        return md.toString();
    }

    /**
     * The same runs against {@code watcher-tuned} at the same N, limit and history: the throttled
     * share after the first 30 s, and calls/op and p99 lag as ratios to the hand-tuned budget.
     */
    private static void against(StringBuilder md, List<JsonNode> sorted) {
        md.append("\n## Against `watcher-tuned`\n\n");
        md.append("| contender | limit/s | N | calls/op | throttled | throttled after 30 s | lag p99 (s) |"
                + " calls/op vs tuned | p99 vs tuned |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode r : sorted) {
            JsonNode tuned = sorted.stream().filter(t -> "watcher-tuned".equals(t.get("contender").asText())
                    && t.get("operations").asInt() == r.get("operations").asInt()
                    && t.get("limit_rps").asDouble() == r.get("limit_rps").asDouble()
                    && t.path("history_operations").asInt() == r.path("history_operations").asInt())
                    .findFirst().orElse(null);
            String after = r.has("throttled_after_30s")
                    ? String.format("%,d of %,d (%.1f %%)", r.get("throttled_after_30s").asLong(),
                            r.get("calls_after_30s").asLong(), 100 * r.get("throttled_share_after_30s").asDouble())
                    : "-";
            md.append(String.format("| %s | %s | %,d | %.2f | %,d (%.1f %%) | %s | %s | %s | %s |\n", label(r),
                    ScaleBenchmark.fmt(r.get("limit_rps").asDouble()), r.get("operations").asInt(),
                    r.get("calls_per_operation").asDouble(), r.get("throttled_responses").asInt(),
                    100 * r.get("throttled_share").asDouble(), after, sec(r.get("lag_p99_ms")),
                    ratio(r.get("calls_per_operation").asDouble(), tuned, "calls_per_operation"),
                    ratio(r.get("lag_p99_ms").asDouble(), tuned, "lag_p99_ms")));
        }
        md.append("\nthrottled after 30 s: throttled answers among the calls received after the first 30 s of the"
                + " run (0 of 0 when the run ended before). vs tuned: the figure divided by `watcher-tuned`'s at the"
                + " same N, limit and history (- when that run is missing).\n");
    }

    private static String ratio(double value, JsonNode tuned, String key) {
        if (tuned == null || tuned.get(key).asDouble() == 0) {
            return "-";
        }
        return String.format("%.2f x", value / tuned.get(key).asDouble());
    }

    private static String sec(JsonNode millis) {
        return String.format("%.1f", millis.asLong() / 1000.0);
    }

    /** The group with the most contenders (ties: fewer operations, then the limit nearest 100/s). */
    private static List<JsonNode> chartGroup(ArrayNode runs) {
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        for (JsonNode r : runs) {
            groups.computeIfAbsent(r.get("operations").asInt() + "/" + r.get("limit_rps").asDouble() + "/"
                    + r.path("history_operations").asInt(), k -> new ArrayList<>()).add(r);
        }
        return groups.values().stream().max(Comparator.<List<JsonNode>>comparingInt(List::size)
                        .thenComparingInt(g -> -g.get(0).get("operations").asInt())
                        .thenComparingDouble(g -> -Math.abs(g.get(0).get("limit_rps").asDouble() - 100)))
                .orElse(List.of());
    }

    static void chart(ArrayNode runs, Path png) throws IOException {
        List<JsonNode> group = chartGroup(runs).stream()
                .sorted(Comparator.comparingInt(r -> Contenders.order(r.get("contender").asText())))
                .collect(Collectors.toList());
        if (group.isEmpty()) {
            return;
        }
        JsonNode first = group.get(0);
        double limit = first.get("limit_rps").asDouble();
        String title = String.format("%,d operations of 2-20 s, GetOperation limit %s/s (burst %d), history %,d",
                first.get("operations").asInt(), ScaleBenchmark.fmt(limit), (int) (2 * limit),
                first.path("history_operations").asInt());

        XYSeriesCollection rates = new XYSeriesCollection();
        XYSeriesCollection lags = new XYSeriesCollection();
        for (JsonNode r : group) {
            String name = label(r);
            XYSeries rate = new XYSeries(name);
            int t = 1;
            for (JsonNode v : r.get("calls_per_second")) {
                rate.add(t++, v.asDouble());
            }
            rates.addSeries(rate);
            XYSeries cdf = new XYSeries(name);
            int p = 0;
            for (JsonNode v : r.get("lag_percentiles_ms")) {
                cdf.add(v.asDouble() / 1000.0, p++);
            }
            lags.addSeries(cdf);
        }
        XYSeries floor = new XYSeries("floor (fair queue at the limit)");
        floor.add(0.0, 0.0);
        floor.add(first.get("floor_lag_p50_ms").asDouble() / 1000.0, 50.0);
        floor.add(first.get("floor_lag_p99_ms").asDouble() / 1000.0, 99.0);
        lags.addSeries(floor);

        JFreeChart rateChart = ChartFactory.createXYLineChart("GetOperation + ListOperations calls per second received",
                "seconds since the operations were created", "calls/s", rates, PlotOrientation.VERTICAL, true, false, false);
        XYPlot ratePlot = rateChart.getXYPlot();
        ValueMarker marker = new ValueMarker(limit, Color.BLACK, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        marker.setLabel("limit " + ScaleBenchmark.fmt(limit) + "/s");
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        ratePlot.addRangeMarker(marker);
        style(ratePlot, group.size(), false);

        // A contender that stalls (sdk-adaptive) would squeeze the others into a corner: cut the
        // axes at twice the median of the others and say so; the table has every figure.
        double timeCut = 2 * median(group.stream().mapToDouble(r -> r.get("wall_ms").asDouble() / 1000).toArray());
        double lagCut = 2 * median(group.stream().mapToDouble(r -> r.get("lag_max_ms").asDouble() / 1000).toArray());
        List<String> cut = group.stream().filter(r -> r.get("wall_ms").asDouble() / 1000 > timeCut
                || r.get("lag_max_ms").asDouble() / 1000 > lagCut).map(r -> r.get("contender").asText()).toList();
        ratePlot.getDomainAxis().setRange(0, Math.max(10, timeCut));
        if (!cut.isEmpty()) {
            rateChart.addSubtitle(new org.jfree.chart.title.TextTitle("axes cut: " + String.join(", ", cut)
                    + " ran on beyond them (see the table)"));
        }

        JFreeChart lagChart = ChartFactory.createXYLineChart("Detection lag distribution (terminal UpdateDate to seen)",
                "lag (s)", "% of operations seen within", lags, PlotOrientation.VERTICAL, true, false, false);
        style(lagChart.getXYPlot(), group.size(), true);
        lagChart.getXYPlot().getDomainAxis().setRange(0, Math.max(5, lagCut));
        lagChart.getXYPlot().getRangeAxis().setRange(0, 100);

        int width = 1200;
        BufferedImage image = new BufferedImage(width, 1060, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, 1060);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 30);
        rateChart.draw(g, new Rectangle2D.Double(0, 45, width, 500));
        lagChart.draw(g, new Rectangle2D.Double(0, 555, width, 500));
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static void style(XYPlot plot, int contenders, boolean floorDashed) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < contenders; i++) {
            // One colour per contender in every chart, whichever ran.
            int index = Contenders.order(String.valueOf(plot.getDataset().getSeriesKey(i)).split(" ")[0]);
            renderer.setSeriesPaint(i, COLORS[Math.max(0, index) % COLORS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        if (floorDashed) {
            renderer.setSeriesPaint(contenders, Color.BLACK);
            renderer.setSeriesStroke(contenders, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                    new float[] {6f, 4f}, 0f));
            renderer.setSeriesShapesVisible(contenders, true);
        }
        plot.setRenderer(renderer);
    }
}
