package io.logpipeline.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.health.FlowMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's alerts and dashboard use only what the operator exports: every metric name and
 * label in an expression, a legend or an annotation is checked against a real scrape of the
 * flow gauges (Micrometer's Prometheus registry, as the operator's /metrics serves them).
 */
class MonitoringChartTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern METRIC = Pattern.compile("\\b(logpipeline_[a-z_]+|up)\\b");
  static final Pattern SELECTOR_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"");
  static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
  static final Pattern ANNOTATION_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+)(\\{[^}]*})?,\\s*(\\w+)\\)");

  /** Label names of each metric on /metrics. */
  static Map<String, Set<String>> exported = new HashMap<>();
  static List<HasMetadata> rendered;

  @BeforeAll
  static void scrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new FlowMetrics(registry).record(new ResourceID("shop", "logging"), 12L, 3.5, 2.1, 0L, 0L);
    for (String line : registry.scrape().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String name = line.replaceAll("[{ ].*", "");
      Set<String> labels = exported.computeIfAbsent(name, n -> new HashSet<>());
      Matcher m = Pattern.compile("([a-zA-Z_]+)=\"").matcher(line);
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    rendered = Chart.render(null, Map.of("metrics.prometheusRule.enabled", true,
        "metrics.grafanaDashboard.enabled", true));
  }

  @Test
  void everyFlowMetricIsExportedWithNamespaceAndName() {
    for (String name : FlowMetrics.NAMES) {
      assertThat(exported).containsKey(name);
      assertThat(exported.get(name)).as(name).containsExactlyInAnyOrderElementsOf(FlowMetrics.LABELS);
    }
  }

  @Test
  void offByDefault() {
    List<HasMetadata> defaults = Chart.render();
    assertThat(defaults).noneMatch(o -> "PrometheusRule".equals(o.getKind()));
    assertThat(defaults).noneMatch(o -> o.getMetadata().getName().endsWith("-dashboard"));
  }

  @Test
  void theAlertsUseOnlyExportedMetricsAndLabels() {
    GenericKubernetesResource rule = rendered.stream().filter(o -> "PrometheusRule".equals(o.getKind()))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    JsonNode spec = JSON.valueToTree(rule.getAdditionalProperties().get("spec"));
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : spec.path("groups")) {
      for (JsonNode r : group.path("rules")) {
        String alert = r.path("alert").asText();
        alerts.add(alert);
        String expr = r.path("expr").asText();
        List<String> metrics = metrics(expr);
        assertThat(metrics).as(alert).isNotEmpty();
        if (metrics.contains("up")) {
          // Prometheus' own series of the scrape: only the operator-down alert may use it.
          assertThat(alert).isEqualTo("LogPipelineOperatorDown");
          assertThat(labels(SELECTOR_LABEL, expr)).containsOnly("job");
          // The ServiceMonitor's job is the name of the Service it scrapes.
          String service = rendered.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.Service)
              .map(o -> o.getMetadata().getName()).filter(n -> n.endsWith("-metrics")).findFirst().orElseThrow();
          assertThat(expr).contains("job=\"" + service + "\"");
          continue;
        }
        Set<String> allowed = allowedLabels(metrics, alert);
        assertThat(labels(SELECTOR_LABEL, expr)).as(alert).isSubsetOf(allowed);
        String annotations = r.path("annotations").toString();
        assertThat(labels(ANNOTATION_LABEL, annotations)).as(alert).isSubsetOf(allowed);
      }
    }
    assertThat(alerts).containsExactlyInAnyOrder("LogPipelineLagGrowing", "LogPipelineNoRecentEvents",
        "LogPipelineDeadLettersIncreasing", "LogPipelineDataAtRisk", "LogPipelineCanaryLate",
        "LogPipelineOperatorDown");
  }

  @Test
  void theDashboardShowsEveryPipelinesFlowWithExportedMetricsAndLabels() throws Exception {
    ConfigMap cm = rendered.stream().filter(o -> o instanceof ConfigMap c && c.getMetadata().getName().endsWith("-dashboard"))
        .map(ConfigMap.class::cast).findFirst().orElseThrow();
    assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode dashboard = JSON.readTree(cm.getData().get("logpipeline-flow.json"));
    Set<String> shown = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        List<String> metrics = metrics(expr);
        assertThat(metrics).as(panel.path("title").asText()).isNotEmpty().doesNotContain("up");
        shown.addAll(metrics);
        Set<String> allowed = allowedLabels(metrics, panel.path("title").asText());
        assertThat(labels(SELECTOR_LABEL, expr)).isSubsetOf(allowed);
        assertThat(labels(LEGEND_LABEL, target.path("legendFormat").asText())).isSubsetOf(allowed);
      }
    }
    assertThat(shown).containsAll(List.of(FlowMetrics.CONSUMER_LAG, FlowMetrics.NEWEST_EVENT_AGE,
        FlowMetrics.CANARY_LATENCY, FlowMetrics.DEAD_LETTERS));
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (m.find()) {
        assertThat(exported).containsKey(m.group(1));
        assertThat(exported.get(m.group(1))).contains(m.group(3));
        if (m.group(2) != null) {
          assertThat(labels(SELECTOR_LABEL, m.group(2))).isSubsetOf(exported.get(m.group(1)));
        }
      }
    }
  }

  static List<String> metrics(String expr) {
    List<String> found = new ArrayList<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** The labels every one of these metrics has on /metrics. */
  static Set<String> allowedLabels(List<String> metrics, String where) {
    Set<String> allowed = null;
    for (String metric : metrics) {
      assertThat(exported).as(where + " uses " + metric).containsKey(metric);
      if (allowed == null) {
        allowed = new HashSet<>(exported.get(metric));
      } else {
        allowed.retainAll(exported.get(metric));
      }
    }
    return allowed;
  }

  static Set<String> labels(Pattern pattern, String text) {
    Set<String> found = new HashSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
