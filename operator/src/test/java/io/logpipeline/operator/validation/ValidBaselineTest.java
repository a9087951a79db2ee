package io.logpipeline.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.Pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid LogPipelines pass both owners, so the corpus test cannot pass by rejecting everything:
 * the samples users copy, the minimal pipeline, and updates the transition rules allow.
 */
class ValidBaselineTest {

  static final String MINIMAL = """
      apiVersion: logpipeline.io/v1alpha1
      kind: LogPipeline
      metadata:
        name: minimal
        namespace: logging
      spec:
        kafka:
          cluster: my-cluster
        elasticsearch:
          hosts: ["https://es-http.elastic.svc:9200"]
      """;

  static Stream<Path> samples() {
    return InvalidCorpus.samples().stream();
  }

  @Test
  void thereAreSamples() {
    assertThat(InvalidCorpus.samples()).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleIsValidForTheApiServerAndTheOperator(Path sample) throws Exception {
    assertThat(InvalidCorpus.apiServer().validate(InvalidCorpus.readYaml(sample)))
        .as("API server errors for %s", sample.getFileName()).isEmpty();
    LogPipeline lp = (LogPipeline) Serialization.unmarshal(Files.readString(sample));
    assertThatCode(() -> Pipeline.resolve(lp)).doesNotThrowAnyException();
  }

  @Test
  void minimalPipelineIsValidForTheApiServerAndTheOperator() throws Exception {
    assertThat(InvalidCorpus.apiServer().validate(InvalidCorpus.readYaml(MINIMAL))).isEmpty();
    LogPipeline lp = (LogPipeline) Serialization.unmarshal(MINIMAL);
    assertThatCode(() -> Pipeline.resolve(lp)).doesNotThrowAnyException();
  }

  @Test
  void defaultsAreAppliedOnlyWhereTheParentExists() {
    JsonNode defaulted = InvalidCorpus.apiServer().withDefaults(InvalidCorpus.readYaml(MINIMAL));
    assertThat(defaulted.at("/spec/deletionPolicy").asText()).isEqualTo("Delete");
    assertThat(defaulted.at("/spec/paused").asBoolean(true)).isFalse();
    assertThat(defaulted.at("/spec/elasticsearch/flavor").asText()).isEqualTo("elasticsearch");
    assertThat(defaulted.at("/spec/kafka/topic").isMissingNode())
        .as("kafka.topic has no default, so neither do its partitions").isTrue();
    JsonNode withTopic = InvalidCorpus.apiServer().withDefaults(InvalidCorpus.readYaml(
        MINIMAL.replace("cluster: my-cluster", "cluster: my-cluster\n    topic: {}")));
    assertThat(withTopic.at("/spec/kafka/topic/partitions").asInt()).isEqualTo(6);
    assertThat(withTopic.at("/spec/kafka/topic/retention").asText()).isEqualTo("7d");
  }

  @Test
  void updatesTheTransitionRulesAllowPass() {
    String old = MINIMAL.replace("cluster: my-cluster", """
        cluster: my-cluster
            namespace: kafka
            topic:
              name: logs.payments
              partitions: 6""");
    String grown = old.replace("partitions: 6", "partitions: 12\n      retention: 3d");
    CrdSchemaValidator apiServer = InvalidCorpus.apiServer();
    assertThat(apiServer.validate(InvalidCorpus.readYaml(old))).isEmpty();
    assertThat(apiServer.validate(InvalidCorpus.readYaml(old), InvalidCorpus.readYaml(old)))
        .as("an unchanged update").isEmpty();
    assertThat(apiServer.validate(InvalidCorpus.readYaml(grown), InvalidCorpus.readYaml(old)))
        .as("more partitions, same topic and namespace").isEmpty();
  }

  @Test
  void patternsAreReadAsGoReadsThem() {
    assertThat(CrdSchemaValidator.goAnchors("^[a-z$]+$")).isEqualTo("^[a-z$]+\\z");
    assertThat(CrdSchemaValidator.goAnchors("^a\\$b$")).isEqualTo("^a\\$b\\z");
  }
}
