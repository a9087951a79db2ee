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
  static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

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
    if (topic.getRetentionBytes() != null && !topic.getRetentionBytes().isEmpty()) {
      config.put("retention.bytes", String.valueOf(SpecRules.bytes(topic.getRetentionBytes())));
    }
    config.put("cleanup.policy", "delete");
    // With acks=all, this many in-sync copies must hold an event before Filebeat counts it as
    // shipped; one broker fewer than the replicas keeps the topic writable through a broker's
    // restart. Kafka's default (1) lets the leader alone acknowledge.
    config.put(MIN_INSYNC_REPLICAS, String.valueOf(defaultMinInsyncReplicas(topic.getReplicas())));
    // Explicit, so that no broker default below it drops Filebeat's largest events.
    config.put(MessageSizes.TOPIC_CONFIG, String.valueOf(MessageSizes.DEFAULT_TOPIC_BYTES));
    // Retention counts from when the broker took an event, not from when the line was written: a
    // backlog shipped late is not deleted early, and a node's clock ahead of time neither pins
    // segments past retention nor gets its events refused (message.timestamp.after.max.ms).
    config.put("message.timestamp.type", "LogAppendTime");
    if (topic.getConfig() != null) {
      config.putAll(topic.getConfig());
    }
    return config;
  }

  /** replicas - 1, at least 1. */
  static int defaultMinInsyncReplicas(int replicas) {
    return Math.max(1, replicas - 1);
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
