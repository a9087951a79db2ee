package io.logpipeline.operator.api;

/** What happens to the Kafka topic and the index template when the LogPipeline is deleted. */
public enum DeletionPolicy {
  /** Remove the topic (and its buffered events) and the index template. */
  Delete,
  /** Keep the topic and the index template for a later pipeline or for inspection. */
  Retain
}
