package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The Kafka cluster (Strimzi's, or any other through its bootstrap address), how to reach it
 * securely, and the topic that buffers this pipeline's events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.cluster) || has(self.bootstrapServers)",
    message = "set cluster (a Strimzi Kafka) or bootstrapServers (any other Kafka)",
    fieldPath = ".bootstrapServers")
@ValidationRule(value = "!has(self.authentication) || !has(self.authentication.type) || self.authentication.type != 'tls' || has(self.tls)",
    message = "tls authentication needs spec.kafka.tls: client certificates are only exchanged over TLS",
    fieldPath = ".authentication.type")
@ValidationRule(value = "has(self.cluster) == has(oldSelf.cluster)",
    message = "cluster cannot be set or removed after creation: Strimzi and external Kafka keep the topic in different places",
    fieldPath = ".cluster")
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

  /** Name of the Strimzi Kafka resource; absent for a Kafka that Strimzi does not run. */
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Strimzi Kafka resource (becomes the KafkaTopic's strimzi.io/cluster label). Absent: an external Kafka (Amazon MSK, Redpanda, ...) at bootstrapServers, whose topic the operator manages itself.")
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
  @JsonPropertyDescription("Kafka bootstrap address (host:port, comma-separated). Required for an external Kafka. Default with Strimzi: <cluster>-kafka-bootstrap.<namespace>.svc:9092, or :9093 with tls (Strimzi's plain and TLS listeners).")
  private String bootstrapServers;

  /** TLS towards the brokers. */
  @JsonPropertyDescription("TLS towards the brokers. Absent: plaintext.")
  private KafkaTlsSpec tls;

  /** Who the shipper and indexer are to Kafka. */
  @JsonPropertyDescription("Authentication of the shipper and the indexer. Strimzi: the operator creates a KafkaUser for each, with only the ACLs it needs.")
  private KafkaAuthenticationSpec authentication;

  /** External Kafka: the operator's own credentials. */
  @JsonPropertyDescription("External Kafka with authentication only: the Secret with the credentials the operator uses to manage the topic (same keys as authentication's Secrets).")
  private KafkaCredentialsRef adminSecret;

  /** The topic. */
  @JsonPropertyDescription("The topic that buffers this pipeline's events.")
  private TopicSpec topic = new TopicSpec();

  public String getCluster() { return cluster; }
  public void setCluster(String cluster) { this.cluster = cluster; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getBootstrapServers() { return bootstrapServers; }
  public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
  public KafkaTlsSpec getTls() { return tls; }
  public void setTls(KafkaTlsSpec tls) { this.tls = tls; }
  public KafkaAuthenticationSpec getAuthentication() { return authentication; }
  public void setAuthentication(KafkaAuthenticationSpec authentication) { this.authentication = authentication; }
  public KafkaCredentialsRef getAdminSecret() { return adminSecret; }
  public void setAdminSecret(KafkaCredentialsRef adminSecret) { this.adminSecret = adminSecret; }
  public TopicSpec getTopic() { return topic; }
  public void setTopic(TopicSpec topic) { this.topic = topic; }
}
