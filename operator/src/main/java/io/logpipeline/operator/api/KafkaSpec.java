package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The Strimzi Kafka cluster and the topic that buffers this pipeline's events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSpec {

  /** Name of the Strimzi Kafka resource. */
  @Required
  @JsonPropertyDescription("Name of the Strimzi Kafka resource (becomes the KafkaTopic's strimzi.io/cluster label).")
  private String cluster;

  /** Namespace of the Kafka resource and its Topic Operator. */
  @JsonPropertyDescription("Namespace of the Kafka resource, where its Topic Operator watches KafkaTopics. Default: the LogPipeline's namespace.")
  private String namespace;

  /** Bootstrap address Filebeat and Logstash connect to. */
  @JsonPropertyDescription("Kafka bootstrap address (host:port, comma-separated). Default: <cluster>-kafka-bootstrap.<namespace>.svc:9092.")
  private String bootstrapServers;

  /** The topic. */
  @JsonPropertyDescription("The topic that buffers this pipeline's events.")
  private TopicSpec topic = new TopicSpec();

  public String getCluster() { return cluster; }
  public void setCluster(String cluster) { this.cluster = cluster; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public TopicSpec getTopic() { return topic; }
  public void setTopic(TopicSpec topic) { this.topic = topic; }
}
