package io.logpipeline.operator.model.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.model.ConfigFiles;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Property 3: every configuration file parses as its product reads it, and what the user wrote
 * as a string comes back as that string.
 */
class ConfigFilesPropertiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void filebeatYamlParsesAndKeepsSelectorValuesAsStrings() {
    qt().withExamples(500).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(ConfigFilesPropertiesTest::filebeatYamlKeepsSelectorValuesAsStrings);
  }

  private static void filebeatYamlKeepsSelectorValuesAsStrings(LogPipeline lp) {
    Pipeline p = KubernetesRules.resolve(lp);
    JsonNode filebeat = yaml(ShipperModel.configMap(p).getData().get(ShipperModel.CONFIG_KEY));
    assertThat(filebeat.isObject()).isTrue();

    JsonNode input = filebeat.path("filebeat.inputs").path(0);
    assertThat(input.isObject()).as("one filestream input").isTrue();
    JsonNode kafka = filebeat.path("output.kafka");
    assertThat(kafka.path("topic").isTextual()).isTrue();
    assertThat(kafka.path("topic").asText()).isEqualTo(p.topicName());
    assertThat(kafka.path("required_acks").asInt()).isEqualTo(-1);
    kafka.path("hosts").forEach(h -> assertThat(h.isTextual()).as("kafka host %s", h).isTrue());

    SourcesSpec sources = lp.getSpec().getSources();
    if (sources.getMultiline() != null) {
      JsonNode multiline = null;
      for (JsonNode parser : input.path("parsers")) {
        if (parser.has("multiline")) {
          multiline = parser.get("multiline");
        }
      }
      assertThat(multiline).as("multiline parser").isNotNull();
      assertThat(multiline.path("pattern").isTextual()).isTrue();
      assertThat(multiline.path("pattern").asText()).isEqualTo(sources.getMultiline().getPattern());
    }

    // Every value the selector's drop_event compares with, as (field, value) pairs.
    List<String> expectedEquals = new ArrayList<>();
    List<String> expectedFields = new ArrayList<>();
    var selector = sources.getPodSelector();
    if (selector != null) {
      selector.getMatchLabels().forEach((k, v) -> expectedEquals.add(labelField(k) + "=" + v));
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        switch (r.getOperator()) {
          case "In", "NotIn" -> r.getValues().forEach(v -> expectedEquals.add(labelField(r.getKey()) + "=" + v));
          default -> expectedFields.add(labelField(r.getKey()));
        }
      }
    }
    boolean selecting = !expectedEquals.isEmpty() || !expectedFields.isEmpty();
    if (selecting) {
      // the selector drops only events that have metadata
      expectedFields.add("kubernetes.pod.uid");
    }
    List<String> actualEquals = new ArrayList<>();
    List<String> actualFields = new ArrayList<>();
    List<String> regexps = new ArrayList<>();
    int dropEvents = 0;
    for (JsonNode processor : input.path("processors")) {
      if (processor.has("drop_event")) {
        dropEvents++;
        collect(processor.get("drop_event"), actualEquals, actualFields);
        processor.get("drop_event").findValues("regexp").forEach(r ->
            regexps.add(r.path("log.file.path").asText()));
      }
    }
    List<String> containers = sources.getContainers();
    assertThat(dropEvents).isEqualTo((containers.isEmpty() ? 0 : 1) + (selecting ? 1 : 0));
    // The containers are matched on the file's name, by one regular expression
    assertThat(regexps).hasSize(containers.isEmpty() ? 0 : 1);
    regexps.forEach(regex -> {
      var pattern = java.util.regex.Pattern.compile(regex);
      for (String c : containers) {
        assertThat(pattern.matcher("/var/log/containers/p_ns_" + c + "-0a1b.log").find()).as("%s matches %s", regex, c).isTrue();
        if (!containers.contains(c + "-x")) {
          assertThat(pattern.matcher("/var/log/containers/p_ns_" + c + "-x-0a1b.log").find()).as("%s matches %s-x", regex, c).isFalse();
        }
      }
    });
    assertThat(actualEquals).as("equals conditions read back as the same strings")
        .containsExactlyInAnyOrderElementsOf(expectedEquals);
    assertThat(actualFields).as("has_fields conditions").containsExactlyInAnyOrderElementsOf(expectedFields);

    // Filebeat reads YAML 1.1 (Go yaml.v2), where more plain scalars are not strings than in
    // Jackson's reading (2024-01-01 is a timestamp, 0b101 an int): read it that way too.
    Object yaml11 = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(ShipperModel.configMap(p).getData().get(ShipperModel.CONFIG_KEY));
    List<String> yaml11Equals = new ArrayList<>();
    collectYaml11(yaml11, yaml11Equals);
    assertThat(yaml11Equals).as("equals conditions read back by a YAML 1.1 reader")
        .containsExactlyInAnyOrderElementsOf(expectedEquals);
  }

  /** As {@link #collect}, for SnakeYAML's maps and lists; only the equals conditions. */
  private static void collectYaml11(Object node, List<String> equals) {
    if (node instanceof List<?> list) {
      list.forEach(n -> collectYaml11(n, equals));
    } else if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if ("equals".equals(k) && v instanceof Map<?, ?> condition) {
          condition.forEach((field, value) -> {
            assertThat(value).as("equals %s: %s read by a YAML 1.1 reader", field, value).isInstanceOf(String.class);
            equals.add(field + "=" + value);
          });
        } else {
          collectYaml11(v, equals);
        }
      });
    }
  }

  @Test
  void logstashSettingsParseAndTheTemplateIsAJsonObject() {
    qt().withExamples(500).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(ConfigFilesPropertiesTest::logstashSettingsParse);
  }

  private static void logstashSettingsParse(LogPipeline lp) {
    Pipeline p = KubernetesRules.resolve(lp);
    Map<String, String> data = IndexerModel.configMap(p).getData();
    JsonNode settings = yaml(data.get(IndexerModel.SETTINGS_KEY));
    assertThat(settings.isObject()).as("logstash.yml is a mapping").isTrue();
    JsonNode pipelines = yaml(data.get(IndexerModel.PIPELINES_KEY));
    assertThat(pipelines.isArray()).as("pipelines.yml is a list").isTrue();
    assertThat(pipelines).hasSize(IndexerModel.indexesDeadLetters(p) ? 2 : 1);
    JsonNode pipeline = pipelines.get(0);
    assertThat(pipeline.isObject()).isTrue();
    assertThat(pipeline.path("pipeline.batch.size").isInt()).isTrue();
    assertThat(pipeline.path("pipeline.batch.size").asInt()).isEqualTo(lp.getSpec().getIndexer().getBatchSize());
    int workers = lp.getSpec().getIndexer().getPipelineWorkers();
    assertThat(pipeline.path("pipeline.workers").asInt()).isEqualTo(workers > 0 ? workers : IndexerModel.pipelineWorkers(p))
        .isPositive();

    var body = IndexTemplateModel.body(p);
    JsonNode parsed;
    try {
      parsed = JSON.readTree(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new AssertionError("the index template is not JSON: " + body, e);
    }
    var template = lp.getSpec().getElasticsearch().getTemplate();
    assertThat(parsed.isObject()).isTrue();
    assertThat(parsed.path("index_patterns").isArray()).isTrue();
    assertThat(parsed.path("index_patterns")).isNotEmpty()
        .allSatisfy(pattern -> assertThat(pattern.isTextual()).isTrue());
    assertThat(parsed.path("priority").isIntegralNumber()).isTrue();
    assertThat(parsed.path("priority").asLong()).isEqualTo(template.getPriority());
    assertThat(parsed.path("template").isObject()).isTrue();
    assertThat(parsed.path("template").path("settings").path("number_of_shards").asInt())
        .isEqualTo(template.getShards());
    assertThat(parsed.path("template").path("mappings").isObject()).isTrue();
    assertThat(parsed.has("data_stream")).isEqualTo(template.isDataStream());
  }

  /** Collects "field=value" of every equals condition and every has_fields field below node. */
  private static void collect(JsonNode node, List<String> equals, List<String> fields) {
    if (node.isArray()) {
      node.forEach(n -> collect(n, equals, fields));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    node.fields().forEachRemaining(e -> {
      switch (e.getKey()) {
        case "equals" -> e.getValue().fields().forEachRemaining(f -> {
          assertThat(f.getValue().isTextual())
              .as("equals %s: %s must read back as a string, not %s", f.getKey(), f.getValue(),
                  f.getValue().getNodeType())
              .isTrue();
          equals.add(f.getKey() + "=" + f.getValue().textValue());
        });
        case "has_fields" -> e.getValue().forEach(f -> {
          assertThat(f.isTextual()).isTrue();
          fields.add(f.textValue());
        });
        default -> collect(e.getValue(), equals, fields);
      }
    });
  }

  /** Where add_kubernetes_metadata puts a pod label: dots in the key become '_' (labels.dedot). */
  private static String labelField(String key) {
    return "kubernetes.labels." + key.replace('.', '_');
  }

  static JsonNode yaml(String text) {
    try {
      return ConfigFiles.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not YAML: " + text, e);
    }
  }
}
