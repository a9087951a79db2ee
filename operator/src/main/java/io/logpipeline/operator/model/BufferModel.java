package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.TopicSpec;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The buffer stage: the Strimzi KafkaTopic between Filebeat and Logstash. */
public final class BufferModel {

  /** Label the Topic Operator uses to pick the Kafka cluster a KafkaTopic belongs to. */
  public static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";
  static final String PRODUCT = "kafka";

  private BufferModel() {}

  /**
   * Topic config: the user's entries override the durable defaults. Values are strings, as Kafka
   * keeps them; a number would come back from the API server as another JSON number type and
   * make the stored topic look different from the desired one at every reconcile.
   */
  public static Map<String, Object> topicConfig(Pipeline p) {
    TopicSpec topic = Objects.requireNonNullElseGet(p.spec().getKafka().getTopic(), TopicSpec::new);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("retention.ms", String.valueOf(p.retentionMs()));
    config.put("cleanup.policy", "delete");
    if (topic.getReplicas() >= 3) {
      // With acks=all, two in-sync copies must hold an event before it counts as shipped,
      // so losing one broker loses nothing.
      config.put("min.insync.replicas", "2");
    }
    if (topic.getConfig() != null) {
      config.putAll(topic.getConfig());
    }
    return config;
  }

  public static KafkaTopic kafkaTopic(Pipeline p) {
    TopicSpec topic = Objects.requireNonNullElseGet(p.spec().getKafka().getTopic(), TopicSpec::new);
    var metadata = new ObjectMetaBuilder()
        .withName(p.topicResourceName())
        .withNamespace(p.kafkaNamespace())
        .withLabels(p.labels(Pipeline.COMPONENT_BUFFER, PRODUCT))
        .addToLabels(Pipeline.LABEL_OWNER_NAMESPACE, p.namespace())
        .addToLabels(STRIMZI_CLUSTER_LABEL, p.spec().getKafka().getCluster())
        .build();
    return new KafkaTopicBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withTopicName(p.topicName())
          .withPartitions(topic.getPartitions())
          .withReplicas(topic.getReplicas())
          .withConfig(topicConfig(p))
        .endSpec()
        .build();
  }
}
