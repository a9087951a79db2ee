package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.Phase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A spec that does not fit the api types is read into its problems, each naming the field and
 * saying in YAML's words what is wrong: no class names, no Jackson wording, every problem at once.
 */
class SpecReaderTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  private static List<String> problems(String specYaml) throws IOException {
    LogPipelineSpec spec = SpecReader.read(YAML.readTree(specYaml));
    return spec instanceof UnreadableSpec u ? u.problems().stream().map(SpecProblem::toString).toList() : List.of();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      deletionPolicy: Purge                              | spec.deletionPolicy: 'Purge' is not one of Delete, Retain
      deletionPolicy: 1                                  | spec.deletionPolicy: 1 is not one of Delete, Retain
      elasticsearch: {flavor: OpenSearch}                | spec.elasticsearch.flavor: 'OpenSearch' is not one of elasticsearch, opensearch
      elasticsearch: {indexPrefix: app}                  | spec.elasticsearch.indexPrefix: unknown field (known: hosts, flavor, credentialsSecret, tls, index, template
      elasticsearch: {hosts: 'http://es:9200'}           | spec.elasticsearch.hosts: expected a list, found text 'http://es:9200'
      elasticsearch: {tls: 1}                            | spec.elasticsearch.tls: expected an object, found the number 1
      kafka: 3                                           | spec.kafka: expected an object, found the number 3
      kafka: {topic: {partitions: six}}                  | spec.kafka.topic.partitions: 'six' is not a whole number
      kafka: {topic: {partitions: 2.5}}                  | spec.kafka.topic.partitions: 2.5 is not a whole number
      kafka: {topic: {replicas: 99999999999}}            | spec.kafka.topic.replicas: 99999999999 is out of range: at most 2147483647
      kafka: {topic: {retention: [7d]}}                  | spec.kafka.topic.retention: expected text, found a list
      kafka: {topic: {config: {max.message.bytes: {}}}} | spec.kafka.topic.config[max.message.bytes]: expected text, found an object
      paused: 'yes'                                      | spec.paused: 'yes' is not true or false
      sources: {containers: app}                         | spec.sources.containers: expected a list, found text 'app'
      sources: {podSelector: {matchLabel: {a: b}}}       | spec.sources.podSelector.matchLabel: unknown field (known: matchExpressions, matchLabels)
      sources: {podSelector: {matchExpressions: [{key: a, operator: In, values: b}]}} | spec.sources.podSelector.matchExpressions[0].values: expected a list, found text 'b'
      shipper: {tolerations: [{operator: Exists, tolerationSecond: 5}]} | spec.shipper.tolerations[0].tolerationSecond: unknown field (known: effect, key, operator, tolerationSeconds, value)
      indexer: {filter: {grok: 1}}                       | spec.indexer.filter: expected text, found an object
      indexer: {resources: {limits: {memory: [1]}}}      | spec.indexer.resources.limits.memory: is not a valid value here, found a list
      """)
  void eachProblemNamesTheFieldInTheUsersTerms(String spec, String problem) throws IOException {
    // A prefix: other fields may join the known ones.
    assertThat(problems(spec)).singleElement().asString().startsWith(problem);
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    assertThat(problems("""
        deletionPolicy: Purge
        kafka: {topic: {partitions: six}}
        sources: {containers: app}
        elasticsearch: {hosts: [http://es:9200], indexPrefix: app}
        """)).satisfiesExactly(
        p -> assertThat(p).isEqualTo("spec.deletionPolicy: 'Purge' is not one of Delete, Retain"),
        p -> assertThat(p).isEqualTo("spec.kafka.topic.partitions: 'six' is not a whole number"),
        p -> assertThat(p).isEqualTo("spec.sources.containers: expected a list, found text 'app'"),
        p -> assertThat(p).startsWith("spec.elasticsearch.indexPrefix: unknown field (known: hosts, flavor,"));
  }

  @Test
  void noMessageNamesAJavaType() throws IOException {
    for (String spec : List.of("deletionPolicy: Purge", "kafka: 3", "sources: {containers: app}",
        "kafka: {topic: {replicas: 99999999999}}", "indexer: {resources: {limits: {memory: [1]}}}",
        "elasticsearch: {template: {mappings: 1, x: 1}}")) {
      assertThat(problems(spec)).isNotEmpty().allSatisfy(p -> assertThat(p)
          .doesNotContain("java", "io.", "class", "Cannot deserialize", "`", "Source:"));
    }
  }

  @Test
  void aSpecThatFitsIsReadAsFabric8ReadsIt() throws Exception {
    ObjectMapper json = Serialization.jsonMapper();
    try (Stream<Path> files = Stream.concat(Files.list(Path.of("../samples")),
        Files.list(Path.of("src/test/resources/pipelines")))) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
      assertThat(yamls).hasSizeGreaterThan(3);
      for (Path file : yamls) {
        JsonNode spec = YAML.readTree(file.toFile()).get("spec");
        LogPipelineSpec read = SpecReader.read(spec);
        assertThat(read).as(file.toString()).isNotInstanceOf(UnreadableSpec.class);
        assertThat((JsonNode) json.valueToTree(read)).as(file.toString())
            .isEqualTo((JsonNode) json.valueToTree(json.treeToValue(spec, LogPipelineSpec.class)));
      }
    }
  }

  static Stream<String> unreadable() {
    return Stream.of("deletionPolicy: Purge", "elasticsearch: {hosts: [http://es:9200], indexPrefix: {a: 1}}",
        "kafka: {topic: {partitions: six}}");
  }

  /**
   * JOSDK clones a pipeline before it reconciles it, and fabric8 computes a patch from two
   * serializations: both must see the stored spec, never the part of it that could be read (a
   * policy 'Purge' read as nothing would come back as the default, Delete).
   */
  @ParameterizedTest
  @MethodSource("unreadable")
  void anUnreadableSpecIsWrittenBackAsStoredAndStaysUnreadable(String specYaml) throws Exception {
    String yaml = """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a, namespace: logging}
        spec: %s
        """.formatted("{" + specYaml + "}");
    LogPipeline lp = Serialization.unmarshal(yaml);
    assertThat(lp.getSpec()).isInstanceOf(UnreadableSpec.class);
    KubernetesSerialization serialization = new KubernetesSerialization();
    JsonNode written = Serialization.jsonMapper().readTree(serialization.asJson(lp)).get("spec");
    assertThat(written).isEqualTo(YAML.readTree(yaml).get("spec"));

    LogPipeline copy = serialization.clone(lp);
    assertThat(copy.getSpec()).isInstanceOf(UnreadableSpec.class);
    assertThat(((UnreadableSpec) copy.getSpec()).problems()).isEqualTo(((UnreadableSpec) lp.getSpec()).problems());
    InvalidSpecException invalid = catchThrowableOfType(InvalidSpecException.class, () -> Pipeline.resolve(copy));
    assertThat(invalid.problems()).isEqualTo(((UnreadableSpec) lp.getSpec()).problems());
  }

  @Test
  void whatFitsIsKeptForTheCleanupOfAnUnreadablePipeline() throws IOException {
    LogPipelineSpec spec = SpecReader.read(YAML.readTree("""
        deletionPolicy: Retain
        kafka: {cluster: my-cluster, topic: {name: app-logs, partitions: six}}
        elasticsearch: {hosts: ['https://es:9200'], index: app}
        """));
    assertThat(spec).isInstanceOf(UnreadableSpec.class);
    assertThat(spec.getDeletionPolicy()).hasToString("Retain");
    assertThat(spec.getKafka().getTopic().getName()).isEqualTo("app-logs");
    assertThat(spec.getElasticsearch().getIndex()).isEqualTo("app");
  }

  @Test
  void aStatusOfAnotherOperatorVersionIsReadAsFarAsItFits() {
    LogPipeline lp = Serialization.unmarshal("""
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a, namespace: logging}
        spec: {kafka: {cluster: c}, elasticsearch: {hosts: ['https://es:9200']}}
        status:
          phase: Flowing
          observedGeneration: 3
          flow: {lag: 12}
          conditions: [{type: Ready, status: "True"}]
        """);
    assertThat(lp.getStatus().getPhase()).isNull();
    assertThat(lp.getStatus().getObservedGeneration()).isEqualTo(3L);
    assertThat(lp.getStatus().getConditions()).hasSize(1);

    LogPipeline garbled = Serialization.unmarshal("""
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a, namespace: logging}
        spec: {kafka: {cluster: c}, elasticsearch: {hosts: ['https://es:9200']}}
        status: {conditions: 3}
        """);
    assertThat(garbled.getStatus()).isNull();
  }
}
