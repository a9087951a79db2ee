package io.logpipeline.operator.kafka;

import java.util.Map;
import java.util.Optional;

/**
 * The operator's door to a Kafka cluster that Strimzi does not manage: the topic's lifecycle.
 * Issue-specific later uses (consumer lag, a canary) belong here too, so one connection per
 * cluster serves them all.
 */
public interface KafkaAdmin extends AutoCloseable {

  /** The topic, or empty when there is none by that name. */
  Optional<TopicDescription> describeTopic(String name) throws KafkaAdminException;

  void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
      throws KafkaAdminException;

  /** Sets exactly these configs on the topic (incrementally: keys not named are left as they are). */
  void setTopicConfigs(String name, Map<String, String> configs) throws KafkaAdminException;

  /** Grows the topic to {@code partitions} partitions. */
  void createPartitions(String name, int partitions) throws KafkaAdminException;

  /** Deletes the topic and its events; returns false when it did not exist. */
  boolean deleteTopic(String name) throws KafkaAdminException;

  @Override
  void close();
}
