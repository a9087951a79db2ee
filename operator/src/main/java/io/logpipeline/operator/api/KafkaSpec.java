package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The Strimzi Kafka cluster and the topic that buffers this pipeline's events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Transition rules on a field only run when it exists before and after; these catch setting or
// removing it, which would move the topic just the same.
@ValidationRule(value = "has(self.namespace) == has(oldSelf.namespace)",
    message = "namespace cannot be set or removed after creation: the KafkaTopic and its buffered events live there",
    fieldPath = ".namespace")
@ValidationRule(value = "(has(self.topic) && has(self.topic.name)) == (has(oldSelf.topic) && has(oldSelf.topic.name))",
    message = "topic.name cannot be set or removed after creation: another name is another topic",
    fieldPath = ".topic.name")
// On the parent, not on topic.partitions: with the whole topic block absent before or after, a
// rule on the field would not run, and 12 -> absent (6) or absent (6) -> 3 would pass.
@ValidationRule(value = "(has(self.topic) && has(self.topic.partitions) ? self.topic.partitions : 6)"
    + " >= (has(oldSelf.topic) && has(oldSelf.topic.partitions) ? oldSelf.topic.partitions : 6)",
    message = "topic.partitions cannot decrease: Kafka can only add partitions to a topic (absent means 6)",
    fieldPath = ".topic.partitions")
public class KafkaSpec {

  /** Name of the Strimzi Kafka resource. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Strimzi Kafka resource (becomes the KafkaTopic's strimzi.io/cluster label).")
  private String cluster;

  /** Namespace of the Kafka resource and its Topic Operator. */
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "self == oldSelf",
      message = "is immutable: the KafkaTopic and its buffered events live there; create a new LogPipeline to move")
  @JsonPropertyDescription("Namespace of the Kafka resource, where its Topic Operator watches KafkaTopics. Default: the LogPipeline's namespace.")
  private String namespace;

  /** Bootstrap address Filebeat and Logstash connect to. */
  @Pattern("^[A-Za-z0-9.-]+:[0-9]{1,5}(\\s*,\\s*[A-Za-z0-9.-]+:[0-9]{1,5})*$")
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
