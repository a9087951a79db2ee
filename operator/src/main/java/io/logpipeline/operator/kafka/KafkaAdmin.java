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

  /**
   * Each group's lag on its topic, for all queries in one round of calls: one description of
   * every topic, one offset fetch for every group, and one listing per kind of offset (latest,
   * earliest, by time) for every partition, whatever the number of queries.
   *
   * @return by query; a topic that does not exist has {@link ConsumerLag#missing()} set
   * @throws KafkaAdminException when the cluster cannot be asked at all
   */
  java.util.Map<ConsumerLag.Query, ConsumerLag> consumerLag(java.util.Collection<ConsumerLag.Query> queries)
      throws KafkaAdminException;

  @Override
  void close();
}
