package dev.twofold.e2e.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard and PrometheusRule speak only of metrics README documents, and every alert has a
 * runbook: read from the files as shipped (ChartIT checks the rendered PrometheusRule the same way).
 */
class ObservabilityAssetsTest {

    static final Path ROOT = Path.of(System.getProperty("twofold.home", "..")).toAbsolutePath().normalize();
    static final Path DASHBOARD = ROOT.resolve("charts/twofold/dashboards/twofold.json");
    static final Path RULES = ROOT.resolve("charts/twofold/templates/prometheusrule.yaml");
    static final Path RUNBOOKS = ROOT.resolve("docs/runbooks.md");

    static final Pattern ALERT = Pattern.compile("^ *- alert: (\\w+)$", Pattern.MULTILINE);
    static final Pattern RUNBOOK_URL = Pattern.compile("^ *runbook_url: \\{\\{ \\$runbook }}#([a-z0-9-]+)$",
            Pattern.MULTILINE);
    static final Pattern RUNBOOK_SECTION = Pattern.compile("^## (\\S+)$", Pattern.MULTILINE);

    static MetricCatalog catalog;
    static JsonNode dashboard;
    static String rules;

    @BeforeAll
    static void read() throws IOException {
        catalog = MetricCatalog.readme(ROOT);
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        rules = Files.readString(RULES);
    }

    @Test
    @DisplayName("the checker knows README's table and refuses what no documented metric produces")
    void theCheckerIsNotVacuous() {
        assertThat(catalog.typeByName()).containsEntry("twofold_webhook_requests_total", "counter")
                .containsEntry("twofold_webhook_request_seconds", "histogram").hasSizeGreaterThan(15);
        assertThat(catalog.problems("q", "sum(rate(twofold_webhook_request_seconds_bucket{a=\"b\"}[5m]))")).isEmpty();
        assertThat(catalog.problems("q", "up{job=\"webhook\"}")).isEmpty();
        assertThat(catalog.problems("q", "rate(twofold_webhook_requests[5m])")).containsExactly(
                "q: twofold_webhook_requests is not a series of any metric in README's table");
        assertThat(catalog.problems("q", "twofold_webhook_request_seconds{}")).hasSize(1);
        assertThat(catalog.problems("q", "twofold_policies_loaded_bucket")).hasSize(1);
        assertThat(catalog.problems("q", "process_cpu_usage{}")).containsExactly(
                "q: process_cpu_usage is neither a Twofold metric nor one of [up]");
    }

    @Test
    @DisplayName("every query of the dashboard uses only metrics in README's table (and Prometheus' up)")
    void dashboardQueriesDocumentedMetrics() {
        Map<String, String> queries = dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        queries.forEach((where, expr) -> problems.addAll(catalog.problems(where, expr)));
        assertThat(problems).isEmpty();
    }

    @Test
    @DisplayName("the dashboard has the panels operators look for, each querying through the datasource variable")
    void dashboardPanels() {
        Set<String> titles = new TreeSet<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        assertThat(titles).contains("Webhook replicas up", "Operator replicas up", "Operator leader",
                "MFA enforcement rate", "Denials by reason", "Denials by policy and missing evidence",
                "Admission latency p50 / p99", "Authorization decisions", "Workload certificates issued",
                "Workload certificates denied", "Attestation and policy failures by reason",
                "Workload CA: time to expiry", "Webhook serving certificate: time to expiry");
        dashboard.path("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asText())) {
                assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText())
                        .isEqualTo("${datasource}");
            }
        });
        Set<Integer> ids = new TreeSet<>();
        dashboard.path("panels").forEach(p -> assertThat(ids.add(p.path("id").asInt())).as("unique panel id").isTrue());
    }

    @Test
    @DisplayName("every alert expression uses only metrics in README's table (and Prometheus' up)")
    void alertsQueryDocumentedMetrics() {
        assertThat(catalog.problems(RULES.getFileName().toString(), rules)).isEmpty();
        assertThat(rules).contains("twofold_webhook_request_seconds_bucket", "twofold_operator_leader",
                "twofold_workload_ca_expiry_seconds", "twofold_webhook_certificate_expiry_seconds");
    }

    @Test
    @DisplayName("every alert links to its own section of docs/runbooks.md, and every section belongs to an alert")
    void everyAlertHasARunbook() throws IOException {
        List<String> alerts = all(ALERT, rules);
        List<String> anchors = all(RUNBOOK_URL, rules);
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10).doesNotHaveDuplicates();
        assertThat(anchors).containsExactlyElementsOf(alerts.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT))
                .toList());
        List<String> sections = all(RUNBOOK_SECTION, Files.readString(RUNBOOKS));
        assertThat(sections).containsExactlyInAnyOrderElementsOf(alerts);
    }

    /** Every {@code expr} in the dashboard, keyed by panel title and refId. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> queries.put(
                "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                target.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(variable -> {
            if (variable.has("definition")) queries.put("variable " + variable.path("name").asText(),
                    variable.path("definition").asText());
        });
        return queries;
    }

    static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) found.add(matcher.group(1));
        return found;
    }
}
