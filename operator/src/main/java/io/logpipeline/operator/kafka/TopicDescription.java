package io.logpipeline.operator.kafka;

import java.util.Map;

/**
 * A topic as Kafka has it.
 *
 * @param name the topic's name
 * @param partitions its partition count
 * @param replicationFactor replicas of its first partition
 * @param configs the configs set on the topic itself (not broker defaults), by key
 */
public record TopicDescription(String name, int partitions, int replicationFactor, Map<String, String> configs) {}
