package dev.twofold.e2e.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README's Observability table, the one place metrics are documented, as a lookup for PromQL written elsewhere (the
 * Grafana dashboard, the PrometheusRule): which Prometheus series names a documented metric may appear as.
 */
public record MetricCatalog(Map<String, String> typeByName) {

    private static final Pattern ROW = Pattern.compile("^\\| `(twofold_[a-z0-9_]+)` \\| ([a-z]+) \\|", Pattern.MULTILINE);
    private static final Pattern TWOFOLD_NAME = Pattern.compile("\\btwofold_[a-z0-9_]+");
    /** An identifier directly followed by a label matcher: a metric selector. */
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:\"])([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_count", "_sum");
    /** Series that Prometheus itself produces for every target. */
    static final List<String> PROMETHEUS_OWN = List.of("up");

    public static MetricCatalog readme(Path projectRoot) throws IOException {
        Matcher row = ROW.matcher(Files.readString(projectRoot.resolve("README.md")));
        Map<String, String> types = new TreeMap<>();
        while (row.find()) types.put(row.group(1), row.group(2));
        return new MetricCatalog(types);
    }

    /** The documented metric a scraped series name belongs to, if any. */
    public Optional<String> metricOf(String series) {
        String type = typeByName.get(series);
        if (type != null) return "histogram".equals(type) ? Optional.empty() : Optional.of(series);
        for (String suffix : HISTOGRAM_SERIES) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if ("histogram".equals(typeByName.get(base))) return Optional.of(base);
            }
        }
        return Optional.empty();
    }

    /**
     * What is wrong with the metric names in {@code promql}: Twofold series that no documented metric produces (a
     * histogram's bare name, a counter without {@code _total}, a misspelling) and selectors of other series than
     * Prometheus' own.
     */
    public List<String> problems(String where, String promql) {
        List<String> problems = new ArrayList<>();
        Matcher name = TWOFOLD_NAME.matcher(promql);
        while (name.find()) {
            if (metricOf(name.group()).isEmpty()) {
                problems.add(where + ": " + name.group() + " is not a series of any metric in README's table");
            }
        }
        Matcher selector = SELECTOR.matcher(promql);
        while (selector.find()) {
            String series = selector.group(1);
            if (!series.startsWith("twofold_") && !PROMETHEUS_OWN.contains(series)) {
                problems.add(where + ": " + series + " is neither a Twofold metric nor one of " + PROMETHEUS_OWN);
            }
        }
        return problems;
    }
}
