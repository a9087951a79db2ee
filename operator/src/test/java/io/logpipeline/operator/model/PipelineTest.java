package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LogPipeline;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineTest {

  // ---------------------------------------------------------------- defaults

  @Test
  void defaultsForAMinimalSpec() {
    Pipeline p = Specs.resolve(Specs.minimal());
    assertThat(p.name()).isEqualTo("payments");
    assertThat(p.namespace()).isEqualTo("logging");
    assertThat(p.instance()).isEqualTo("payments");
    assertThat(p.topicName()).isEqualTo("logs.logging.payments");
    assertThat(p.topicResourceName()).isEqualTo("logs.logging.payments");
    assertThat(p.kafkaNamespace()).isEqualTo("logging");
    assertThat(p.bootstrapServers()).isEqualTo("my-cluster-kafka-bootstrap.logging.svc:9092");
    assertThat(p.retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
    assertThat(p.index()).isEqualTo("logs-logging.payments");
    assertThat(p.templateName()).isEqualTo("logs-logging.payments");
    assertThat(p.hosts()).containsExactly(URI.create(Specs.HOST));
    assertThat(p.flavor()).isEqualTo(Flavor.ELASTICSEARCH);
    assertThat(p.consumerGroup()).contains("logging").contains("payments");
  }

  @Test
  void kafkaNamespaceMovesTheTopicAndTheDefaultBootstrap() {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().setNamespace("kafka"));
    assertThat(p.kafkaNamespace()).isEqualTo("kafka");
    assertThat(p.bootstrapServers()).isEqualTo("my-cluster-kafka-bootstrap.kafka.svc:9092");
    // the default topic name stays the pipeline's
    assertThat(p.topicName()).isEqualTo("logs.logging.payments");
  }

  @Test
  void explicitValuesWin() {
    Pipeline p = Specs.resolve(spec -> {
      spec.getKafka().setBootstrapServers("  kafka.example:9093 ");
      spec.getKafka().getTopic().setName("app-logs");
      spec.getKafka().getTopic().setRetention("3d");
      spec.getElasticsearch().setIndex("app");
      spec.getElasticsearch().setFlavor(Flavor.OPENSEARCH);
    });
    assertThat(p.bootstrapServers()).isEqualTo("kafka.example:9093");
    assertThat(p.topicName()).isEqualTo("app-logs");
    assertThat(p.retentionMs()).isEqualTo(3L * 24 * 3600 * 1000);
    assertThat(p.index()).isEqualTo("app");
    assertThat(p.flavor()).isEqualTo(Flavor.OPENSEARCH);
  }

  @Test
  void blankOptionalValuesMeanTheDefault() {
    Pipeline p = Specs.resolve(spec -> {
      spec.getKafka().setNamespace(" ");
      spec.getKafka().setBootstrapServers("");
      spec.getKafka().getTopic().setName(" ");
      spec.getKafka().getTopic().setRetention(null);
      spec.getElasticsearch().setIndex("");
      spec.getElasticsearch().setFlavor(null);
    });
    assertThat(p.kafkaNamespace()).isEqualTo("logging");
    assertThat(p.bootstrapServers()).isEqualTo("my-cluster-kafka-bootstrap.logging.svc:9092");
    assertThat(p.topicName()).isEqualTo("logs.logging.payments");
    assertThat(p.retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
    assertThat(p.index()).isEqualTo("logs-logging.payments");
    assertThat(p.flavor()).isEqualTo(Flavor.ELASTICSEARCH);
  }

  @Test
  void everyOptionalSectionMayBeAbsent() {
    Pipeline p = Specs.resolve(spec -> {
      spec.setSources(null);
      spec.setShipper(null);
      spec.setIndexer(null);
      spec.getKafka().setTopic(null);
      spec.getElasticsearch().setTemplate(null);
    });
    assertThatCode(() -> Render.of(p)).doesNotThrowAnyException();
    Render render = Render.of(p);
    assertThat(render.objects()).hasSize(10);
    assertThat(BufferModel.kafkaTopic(p).getSpec().getPartitions()).isEqualTo(6);
    assertThat(IndexerModel.consumerThreads(p)).isEqualTo(3);
  }

  @Test
  void renderListsEveryObjectInPipelineOrder() {
    Render render = Render.of(Specs.resolve(Specs.minimal()));
    assertThat(render.objects()).extracting(o -> o.getKind()).containsExactly(
        "ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet",
        "KafkaTopic", "ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget");
    assertThat(render.indexTemplate()).isEqualTo(IndexTemplateModel.body(render.pipeline()));
    assertThat(render.deadLetterTemplate()).isEqualTo(IndexTemplateModel.deadLetterBody(render.pipeline()));
  }

  @Test
  void resolvingDoesNotChangeTheResource() {
    LogPipeline lp = Specs.minimal();
    String before = io.fabric8.kubernetes.client.utils.Serialization.asJson(lp);
    Render.of(Specs.resolve(lp));
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(lp)).isEqualTo(before);
  }

  // ---------------------------------------------------------------- problems

  @Test
  void aMissingSpecIsOneProblem() {
    LogPipeline lp = Specs.minimal();
    lp.setSpec(null);
    assertThat(Specs.problems(lp)).extracting(SpecProblem::field).containsExactly("spec");
  }

  @Test
  void missingKafkaClusterAndHostsAreReportedTogether() {
    List<SpecProblem> problems = Specs.problems(spec -> {
      spec.getKafka().setCluster(null);
      spec.getElasticsearch().setHosts(new ArrayList<>());
    });
    // Without a cluster, the address of any other Kafka is what is missing.
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactlyInAnyOrder("spec.kafka.bootstrapServers", "spec.elasticsearch.hosts");
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).isNotBlank());
  }

  @Test
  void missingSectionsAreReportedByTheirRequiredField() {
    assertThat(Specs.problems(spec -> spec.setKafka(null))).extracting(SpecProblem::field)
        .containsExactly("spec.kafka.bootstrapServers");
    assertThat(Specs.problems(spec -> spec.getKafka().setCluster("  "))).extracting(SpecProblem::field)
        .containsExactly("spec.kafka.cluster");
    assertThat(Specs.problems(spec -> spec.setElasticsearch(null))).extracting(SpecProblem::field)
        .containsExactly("spec.elasticsearch.hosts");
    assertThat(Specs.problems(spec -> spec.getElasticsearch().setHosts(null)))
        .extracting(SpecProblem::field).containsExactly("spec.elasticsearch.hosts");
  }

  @ParameterizedTest
  @ValueSource(strings = {"7 days", "7D", "-1d", "1.5h", "d", "7", "", "1y", "7dd"})
  void badRetention(String retention) {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getKafka().getTopic().setRetention(retention));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.kafka.topic.retention");
      assertThat(p.message()).contains("'" + retention + "'").contains("7d");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"logs/app", "logs app", "logs:app", "lögs", "logs,app"})
  void badTopicName(String name) {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setName(name)))
        .singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("spec.kafka.topic.name");
          assertThat(p.message()).contains(name);
        });
  }

  @Test
  void topicNameTooLong() {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setName("t".repeat(250))))
        .extracting(SpecProblem::field).containsExactly("spec.kafka.topic.name");
    Specs.resolve(spec -> spec.getKafka().getTopic().setName("t".repeat(249)));
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void dotTopicNamesAreRejected(String name) {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setName(name)))
        .extracting(SpecProblem::field).containsExactly("spec.kafka.topic.name");
  }

  @Test
  void badPartitionsAndReplicas() {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setPartitions(0)))
        .extracting(SpecProblem::field).containsExactly("spec.kafka.topic.partitions");
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setReplicas(0)))
        .extracting(SpecProblem::field).containsExactly("spec.kafka.topic.replicas");
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setReplicas(40000)))
        .extracting(SpecProblem::field).containsExactly("spec.kafka.topic.replicas");
  }

  @ParameterizedTest
  @ValueSource(strings = {"es-http.elastic.svc:9200", "ftp://es:21", "https://", "not a url",
      "http://exa mple:9200", "https://es\":9200", "//es:9200", "http:///path"})
  void badHostUrl(String host) {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getElasticsearch().setHosts(
        new ArrayList<>(List.of(Specs.HOST, host))));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.elasticsearch.hosts[1]");
      assertThat(p.message()).contains("http");
    });
  }

  @Test
  void aNullHostIsAProblemNotACrash() {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getElasticsearch().setHosts(
        new ArrayList<>(Arrays.asList(null, Specs.HOST))));
    assertThat(problems).extracting(SpecProblem::field).containsExactly("spec.elasticsearch.hosts[0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Logs", "_logs", "-logs", ".logs", "logs app", "logs*", "logs/x", "logs,x",
      "logs:x", "logs#x"})
  void badIndex(String index) {
    assertThat(Specs.problems(spec -> spec.getElasticsearch().setIndex(index)))
        .singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("spec.elasticsearch.index");
          assertThat(p.message()).contains(index);
        });
  }

  @Test
  void indexTooLong() {
    assertThat(Specs.problems(spec -> spec.getElasticsearch().setIndex("i".repeat(256))))
        .extracting(SpecProblem::field).containsExactly("spec.elasticsearch.index");
  }

  @Test
  void indexLeavesRoomForTheDateSuffix() {
    assertThat(Specs.problems(spec -> spec.getElasticsearch().setIndex("i".repeat(250))))
        .extracting(SpecProblem::field).containsExactly("spec.elasticsearch.index");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<SpecProblem> problems = Specs.problems(spec -> {
      spec.getKafka().getTopic().setName("bad/topic");
      spec.getKafka().getTopic().setRetention("forever");
      spec.getKafka().getTopic().setPartitions(0);
      spec.getElasticsearch().setIndex("BAD");
      spec.getElasticsearch().setHosts(new ArrayList<>(List.of("nope", Specs.HOST, "ftp://x")));
    });
    assertThat(problems).extracting(SpecProblem::field).containsExactlyInAnyOrder(
        "spec.kafka.topic.name", "spec.kafka.topic.retention", "spec.kafka.topic.partitions",
        "spec.elasticsearch.index", "spec.elasticsearch.hosts[0]", "spec.elasticsearch.hosts[2]");
  }

  @Test
  void theExceptionMessageListsEveryProblem() {
    try {
      Pipeline.resolve(Specs.minimal(spec -> {
        spec.getKafka().getTopic().setRetention("forever");
        spec.getElasticsearch().setIndex("BAD");
      }));
      throw new AssertionError("expected InvalidSpecException");
    } catch (InvalidSpecException e) {
      assertThat(e.getMessage()).contains("spec.kafka.topic.retention").contains("spec.elasticsearch.index");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"in", "Gt", "Equals", ""})
  void anUnknownSelectorOperatorIsASpecProblem(String operator) {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getSources().setPodSelector(
        new LabelSelectorBuilder().addToMatchLabels("tier", "api").addNewMatchExpression()
            .withKey("env").withOperator(operator).withValues("prod").endMatchExpression().build()));
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.sources.podSelector.matchExpressions[0].operator");
  }

  @Test
  void selectorValuesMustFitTheOperator() {
    assertThat(Specs.problems(spec -> spec.getSources().setPodSelector(new LabelSelectorBuilder()
        .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod").endMatchExpression()
        .addNewMatchExpression().withKey("tier").withOperator("Exists").withValues("x").endMatchExpression()
        .addNewMatchExpression().withKey("team").withOperator("NotIn").endMatchExpression()
        .addNewMatchExpression().withOperator("Exists").endMatchExpression().build())))
        .extracting(SpecProblem::field).containsExactlyInAnyOrder(
            "spec.sources.podSelector.matchExpressions[1].values",
            "spec.sources.podSelector.matchExpressions[2].values",
            "spec.sources.podSelector.matchExpressions[3].key");
  }

  @Test
  void multilineNeedsAPatternAndAKnownMatch() {
    var noPattern = new io.logpipeline.operator.api.MultilineSpec();
    assertThat(Specs.problems(spec -> spec.getSources().setMultiline(noPattern)))
        .extracting(SpecProblem::field).containsExactly("spec.sources.multiline.pattern");
    var badMatch = new io.logpipeline.operator.api.MultilineSpec();
    badMatch.setPattern("^\\s");
    badMatch.setMatch("middle");
    assertThat(Specs.problems(spec -> spec.getSources().setMultiline(badMatch)))
        .extracting(SpecProblem::field).containsExactly("spec.sources.multiline.match");
  }

  @Test
  void hostsWithCredentialsAreRejectedWithoutEchoingThem() {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getElasticsearch().setHosts(
        new ArrayList<>(List.of("https://elastic:hunter2@es.elastic.svc:9200"))));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.elasticsearch.hosts[0]");
      assertThat(p.message()).doesNotContain("hunter2");
    });
  }

  @Test
  void unknownSelectorOperatorIsASpecProblem() {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getSources().setPodSelector(
        new LabelSelectorBuilder().addNewMatchExpression().withKey("env").withOperator("in")
            .withValues("prod").endMatchExpression().build()));
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.sources.podSelector.matchExpressions[0].operator");
  }

  @Test
  void inWithoutValuesIsASpecProblem() {
    List<SpecProblem> problems = Specs.problems(spec -> spec.getSources().setPodSelector(
        new LabelSelectorBuilder().addNewMatchExpression().withKey("env").withOperator("In")
            .endMatchExpression().build()));
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.sources.podSelector.matchExpressions[0].values");
  }

  @Test
  void anApiKeyWithOpenSearchIsASpecProblem() {
    List<SpecProblem> problems = Specs.problems(spec -> {
      spec.getElasticsearch().setFlavor(io.logpipeline.operator.api.Flavor.OPENSEARCH);
      var creds = new io.logpipeline.operator.api.CredentialsSecretRef();
      creds.setName("creds");
      creds.setApiKeyKey("api-key");
      spec.getElasticsearch().setCredentialsSecret(creds);
    });
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.elasticsearch.credentialsSecret.apiKeyKey");
  }

  @Test
  void bootstrapServersWithAQuoteIsASpecProblem() {
    List<SpecProblem> problems = Specs.problems(spec ->
        spec.getKafka().setBootstrapServers("kafka:9092\""));
    assertThat(problems).extracting(SpecProblem::field).containsExactly("spec.kafka.bootstrapServers");
  }

  @Test
  void theLongestLegalNameResolvesWithDefaults() {
    String name = "a".repeat(253);
    Pipeline p = Specs.resolve(Specs.pipeline(name, "logging", spec -> { }));
    assertThat(p.topicName()).hasSizeLessThanOrEqualTo(249);
    assertThat(p.index()).hasSizeLessThanOrEqualTo(255 - "-YYYY.MM.dd".length());
  }

  // ---------------------------------------------------------------- cleanup

  @Test
  void cleanupOfAnInvalidSpecFallsBackToTheDefaults() {
    LogPipeline lp = Specs.minimal(spec -> {
      spec.getKafka().setCluster(null);
      spec.getKafka().setNamespace("kafka");
      spec.getKafka().getTopic().setName("bad/topic");
      spec.getElasticsearch().setIndex("BAD");
      spec.getElasticsearch().setHosts(new ArrayList<>(List.of("http://es:9200", "::nope")));
    });
    Specs.problems(lp);
    Pipeline p = Pipeline.forCleanup(lp);
    assertThat(p.topicName()).isEqualTo("logs.logging.payments");
    assertThat(p.kafkaNamespace()).isEqualTo("kafka");
    assertThat(p.index()).isEqualTo("logs-logging.payments");
    assertThat(p.hosts()).containsExactly(URI.create("http://es:9200"));
    assertThat(p.instance()).isEqualTo("payments");
  }

  @Test
  void cleanupOfAValidSpecIsTheResolvedPipeline() {
    LogPipeline lp = Specs.minimal(spec -> spec.getKafka().getTopic().setName("custom"));
    assertThat(Pipeline.forCleanup(lp)).isEqualTo(Specs.resolve(lp));
  }

  @Test
  void cleanupWithoutASpec() {
    LogPipeline lp = Specs.minimal();
    lp.setSpec(null);
    Pipeline p = Pipeline.forCleanup(lp);
    assertThat(p.topicName()).isEqualTo("logs.logging.payments");
    assertThat(p.index()).isEqualTo("logs-logging.payments");
    assertThat(p.hosts()).isEmpty();
  }
}
