package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.api.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BufferModelTest {

  private static final Pipeline PAYMENTS = Specs.resolve(Specs.minimal());

  @Test
  void isAStrimziKafkaTopic() {
    KafkaTopic topic = BufferModel.kafkaTopic(PAYMENTS);
    assertThat(topic.getKind()).isEqualTo("KafkaTopic");
    assertThat(topic.getApiVersion()).startsWith("kafka.strimzi.io/");
  }

  /**
   * Strimzi 0.49 made v1 the KafkaTopic version to use and deprecated v1beta2 for removal; the
   * strimzi api model the operator is built on writes v1, so Strimzi 0.49 or newer is required.
   */
  @Test
  void usesTheV1Api() {
    assertThat(BufferModel.kafkaTopic(PAYMENTS).getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
  }

  @Test
  void livesInThePipelinesNamespaceByDefault() {
    KafkaTopic topic = BufferModel.kafkaTopic(PAYMENTS);
    assertThat(topic.getMetadata().getNamespace()).isEqualTo("logging");
    assertThat(topic.getMetadata().getName()).isEqualTo("logs.logging.payments");
    assertThat(topic.getSpec().getTopicName()).isEqualTo("logs.logging.payments");
  }

  @Test
  void livesWhereTheTopicOperatorWatchesWhenKafkaIsElsewhere() {
    KafkaTopic topic = topic(t -> { }, "kafka");
    assertThat(topic.getMetadata().getNamespace()).isEqualTo("kafka");
    // outside the pipeline's namespace there is no owner reference: the label finds it again
    assertThat(topic.getMetadata().getLabels()).containsEntry(Pipeline.LABEL_OWNER_NAMESPACE, "logging");
    assertThat(topic.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void carriesTheStrimziClusterLabelAndTheRecommendedLabels() {
    assertThat(BufferModel.kafkaTopic(PAYMENTS).getMetadata().getLabels())
        .containsEntry("strimzi.io/cluster", "my-cluster")
        .containsEntry(Pipeline.LABEL_INSTANCE, "payments")
        .containsEntry(Pipeline.LABEL_COMPONENT, "buffer")
        .containsEntry(Pipeline.LABEL_MANAGED_BY, "logpipeline-operator")
        .containsKey(Pipeline.LABEL_NAME);
  }

  @Test
  void defaultsToSixPartitionsAndThreeReplicas() {
    KafkaTopic topic = BufferModel.kafkaTopic(PAYMENTS);
    assertThat(topic.getSpec().getPartitions()).isEqualTo(6);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(3);
    assertThat(config(topic.getSpec().getConfig()))
        .containsEntry("retention.ms", String.valueOf(7 * 86_400_000L))
        .containsEntry("min.insync.replicas", "2");
  }

  @Test
  void takesPartitionsAndReplicasFromTheSpec() {
    KafkaTopic topic = topic(t -> {
      t.setPartitions(12);
      t.setReplicas(5);
    }, null);
    assertThat(topic.getSpec().getPartitions()).isEqualTo(12);
    assertThat(topic.getSpec().getReplicas()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource({
      "7d,    604800000",
      "12h,   43200000",
      "30m,   1800000",
      "1w,    604800000",
      "500ms, 500",
      "90s,   90000",
  })
  void retentionBecomesRetentionMs(String retention, long ms) {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().setRetention(retention));
    assertThat(p.retentionMs()).isEqualTo(ms);
    assertThat(config(BufferModel.topicConfig(p))).containsEntry("retention.ms", String.valueOf(ms));
  }

  /**
   * With acks=all an event counts as shipped once min.insync.replicas copies hold it: one broker
   * fewer than the replicas survives a broker's loss and keeps writes going through a restart.
   */
  @ParameterizedTest
  @CsvSource({"1, 1", "2, 1", "3, 2", "4, 3", "5, 4"})
  void minInsyncReplicasIsReplicasMinusOneAndAtLeastOne(int replicas, String minInsync) {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().setReplicas(replicas));
    assertThat(config(BufferModel.topicConfig(p))).containsEntry("min.insync.replicas", minInsync);
  }

  @ParameterizedTest
  @CsvSource({"3, 4", "1, 2", "2, 3"})
  void aMinInsyncReplicasAboveTheReplicasIsRefused(int replicas, String minInsync) {
    List<SpecProblem> problems = Specs.problems(spec -> {
      spec.getKafka().getTopic().setReplicas(replicas);
      spec.getKafka().getTopic().getConfig().put("min.insync.replicas", minInsync);
    });
    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.field()).isEqualTo("spec.kafka.topic.config.min.insync.replicas");
      assertThat(problem.message()).contains("is " + minInsync).contains("use at most " + replicas);
    });
  }

  @ParameterizedTest
  @CsvSource({"0", "-1", "two", "''"})
  void aMinInsyncReplicasThatIsNoCountIsRefused(String minInsync) {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().getConfig().put("min.insync.replicas", minInsync)))
        .singleElement().satisfies(problem ->
            assertThat(problem.field()).isEqualTo("spec.kafka.topic.config.min.insync.replicas"));
  }

  @Test
  void aMinInsyncReplicasUpToTheReplicasIsTheUsersChoice() {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().getConfig().put("min.insync.replicas", "3"));
    assertThat(config(BufferModel.topicConfig(p))).containsEntry("min.insync.replicas", "3");
  }

  /**
   * Retention counts from when the broker appended an event: a backlog that reaches Kafka late
   * keeps its full retention, and a node clock ahead neither pins segments nor gets refused.
   */
  @Test
  void timestampsAreTheBrokersAndTheLargestMessageIsStated() {
    assertThat(config(BufferModel.topicConfig(PAYMENTS)))
        .containsEntry("message.timestamp.type", "LogAppendTime")
        .containsEntry("max.message.bytes", "1048588")
        .doesNotContainKey("retention.bytes");
  }

  @ParameterizedTest
  @CsvSource({"50Gi, 53687091200", "10G, 10000000000", "2097152, 2097152", "1Ti, 1099511627776", "500Mi, 524288000"})
  void retentionBytesBecomesRetentionBytesPerPartition(String quantity, long bytes) {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().setRetentionBytes(quantity));
    assertThat(config(BufferModel.topicConfig(p))).containsEntry("retention.bytes", String.valueOf(bytes))
        .containsEntry("retention.ms", String.valueOf(7 * 86_400_000L));
  }

  @Test
  void anEmptyRetentionBytesIsNoCap() {
    Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().setRetentionBytes(""));
    assertThat(BufferModel.topicConfig(p)).doesNotContainKey("retention.bytes");
  }

  @ParameterizedTest
  @CsvSource({"50GB", "1.5Gi", "0", "-1", "9999999999999999Pi", "1Mi"})
  void aRetentionBytesThatIsNoSizeOrSmallerThanABatchIsRefused(String quantity) {
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().setRetentionBytes(quantity)))
        .singleElement().satisfies(problem ->
            assertThat(problem.field()).isEqualTo("spec.kafka.topic.retentionBytes"));
  }

  @Test
  void userConfigOverridesTheDefaultsAndAddsToThem() {
    KafkaTopic topic = topic(t -> {
      t.getConfig().put("min.insync.replicas", "1");
      t.getConfig().put("retention.ms", "3600000");
      t.getConfig().put("max.message.bytes", "2097152");
      t.getConfig().put("compression.type", "zstd");
    }, null);
    assertThat(config(topic.getSpec().getConfig()))
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("retention.ms", "3600000")
        .containsEntry("max.message.bytes", "2097152")
        .containsEntry("compression.type", "zstd")
        .containsEntry("cleanup.policy", "delete");
  }

  @Test
  void aNullTopicConfigIsFine() {
    KafkaTopic topic = topic(t -> t.setConfig(null), null);
    assertThat(topic.getSpec().getConfig()).containsKey("retention.ms");
  }

  @ParameterizedTest
  @CsvSource({"Team_Logs", "APP.LOGS", "_internal", "logs__x", "-logs-"})
  void aKafkaNameThatIsNoKubernetesNameGetsALegalResourceName(String kafkaName) {
    KafkaTopic topic = topic(t -> t.setName(kafkaName), null);
    assertThat(topic.getMetadata().getName()).matches(Specs.DNS_1123_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
    assertThat(topic.getSpec().getTopicName()).isEqualTo(kafkaName);
  }

  @Test
  void kafkaNamesDifferingOnlyInCaseGetDistinctResources() {
    assertThat(topic(t -> t.setName("Logs"), null).getMetadata().getName())
        .isNotEqualTo(topic(t -> t.setName("logs"), null).getMetadata().getName())
        .isNotEqualTo(topic(t -> t.setName("LOGS"), null).getMetadata().getName());
  }

  @Test
  void aLongKafkaNameGetsALegalResourceName() {
    String longName = "Logs_" + "x".repeat(244);
    KafkaTopic topic = topic(t -> t.setName(longName), null);
    assertThat(topic.getMetadata().getName()).matches(Specs.DNS_1123_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
    assertThat(topic.getSpec().getTopicName()).isEqualTo(longName);
  }

  @ParameterizedTest
  @CsvSource({"logs..app", "logs.-app", "logs-.app"})
  void aLowercaseKafkaNameThatIsNoSubdomainGetsALegalResourceName(String kafkaName) {
    KafkaTopic topic = topic(t -> t.setName(kafkaName), null);
    assertThat(topic.getMetadata().getName()).matches(Specs.DNS_1123_SUBDOMAIN);
    assertThat(topic.getSpec().getTopicName()).isEqualTo(kafkaName);
  }

  /** Topic config as Kafka reads it: every value a string, whatever JSON type carries it. */
  private static Map<String, String> config(Map<String, Object> config) {
    Map<String, String> text = new LinkedHashMap<>();
    config.forEach((k, v) -> text.put(k, String.valueOf(v)));
    return text;
  }

  private static KafkaTopic topic(Consumer<TopicSpec> edit, String kafkaNamespace) {
    return BufferModel.kafkaTopic(Specs.resolve(spec -> {
      edit.accept(spec.getKafka().getTopic());
      if (kafkaNamespace != null) {
        spec.getKafka().setNamespace(kafkaNamespace);
      }
    }));
  }
}
