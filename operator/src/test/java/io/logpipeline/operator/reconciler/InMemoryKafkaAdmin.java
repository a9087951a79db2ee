package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.kafka.ConsumerLag;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.TopicDescription;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An external Kafka's admin API as far as the operator's topic stage needs it, for tests whose
 * subject is not Kafka: topics are created, described, changed and deleted in memory.
 * ExternalKafkaIntegrationTest runs the same stage against a real broker.
 */
final class InMemoryKafkaAdmin implements KafkaAdmin {

  private final Map<String, TopicDescription> topics = new ConcurrentHashMap<>();

  @Override
  public Optional<TopicDescription> describeTopic(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  @Override
  public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    topics.putIfAbsent(name, new TopicDescription(name, partitions, replicationFactor, Map.copyOf(configs)));
  }

  @Override
  public void setTopicConfigs(String name, Map<String, String> configs) {
    topics.computeIfPresent(name, (n, t) -> {
      Map<String, String> merged = new java.util.HashMap<>(t.configs());
      merged.putAll(configs);
      return new TopicDescription(n, t.partitions(), t.replicationFactor(), Map.copyOf(merged));
    });
  }

  @Override
  public void createPartitions(String name, int partitions) {
    topics.computeIfPresent(name, (n, t) -> new TopicDescription(n, partitions, t.replicationFactor(), t.configs()));
  }

  @Override
  public boolean deleteTopic(String name) {
    return topics.remove(name) != null;
  }

  @Override
  public Map<ConsumerLag.Query, ConsumerLag> consumerLag(Collection<ConsumerLag.Query> queries) {
    return Map.of();
  }

  @Override
  public void close() {}
}
