package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * LogPipelines for model tests: the smallest valid spec (a Kafka cluster and one host), changed
 * per test through the api setters.
 */
final class Specs {

  static final String NAMESPACE = "logging";
  static final String NAME = "payments";
  static final String CLUSTER = "my-cluster";
  static final String HOST = "https://es-http.elastic.svc:9200";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Specs() {}

  /** payments in logging, minimal spec. */
  static LogPipeline minimal() {
    return pipeline(NAME, NAMESPACE, spec -> { });
  }

  /** payments in logging, minimal spec changed by {@code edit}. */
  static LogPipeline minimal(Consumer<LogPipelineSpec> edit) {
    return pipeline(NAME, NAMESPACE, edit);
  }

  static LogPipeline pipeline(String name, String namespace, Consumer<LogPipelineSpec> edit) {
    LogPipeline lp = new LogPipeline();
    lp.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withUid(UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
            .toString())
        .withGeneration(1L)
        .build());
    LogPipelineSpec spec = new LogPipelineSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setCluster(CLUSTER);
    spec.setKafka(kafka);
    ElasticsearchSpec es = new ElasticsearchSpec();
    es.setHosts(new ArrayList<>(List.of(HOST)));
    spec.setElasticsearch(es);
    lp.setSpec(spec);
    edit.accept(spec);
    return lp;
  }

  /** The resolved pipeline; a test that expects a valid spec fails with its problems. */
  static Pipeline resolve(LogPipeline lp) {
    try {
      return Pipeline.resolve(lp);
    } catch (InvalidSpecException e) {
      throw new AssertionError("expected a valid spec, got: " + e.getMessage(), e);
    }
  }

  static Pipeline resolve(Consumer<LogPipelineSpec> edit) {
    return resolve(minimal(edit));
  }

  /** The problems resolve reports; fails when the spec is accepted. */
  static List<SpecProblem> problems(LogPipeline lp) {
    InvalidSpecException[] thrown = new InvalidSpecException[1];
    assertThatThrownBy(() -> {
      try {
        Pipeline.resolve(lp);
      } catch (InvalidSpecException e) {
        thrown[0] = e;
        throw e;
      }
    }).isInstanceOf(InvalidSpecException.class);
    return thrown[0].problems();
  }

  static List<SpecProblem> problems(Consumer<LogPipelineSpec> edit) {
    return problems(minimal(edit));
  }

  /** filebeat.yml of the pipeline, parsed back as Filebeat would read it. */
  static JsonNode filebeatYaml(Pipeline p) {
    return yaml(ShipperModel.configMap(p).getData().get(ShipperModel.CONFIG_KEY));
  }

  static JsonNode yaml(String text) {
    try {
      return ConfigFiles.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not YAML: " + text, e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A DNS-1035 label: what a Service name must be, and the strictest rule for our names. */
  static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  /** A label value (may be empty). */
  static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
  /** A DNS-1123 subdomain: what most object names (ConfigMap, KafkaTopic, ...) must be. */
  static final String DNS_1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
}
