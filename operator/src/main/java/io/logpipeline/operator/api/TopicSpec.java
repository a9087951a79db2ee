package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Kafka topic: size, durability and retention. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TopicSpec {

  /** Kafka topic name. */
  @Pattern("^[a-zA-Z0-9._-]{1,249}$")
  @Size(max = 249)
  @ValidationRule(value = "self != '.' && self != '..'",
      message = "'.' and '..' are reserved by Kafka: use letters or digits too")
  // Another name would be another topic; the events buffered in the old one would be orphaned.
  @ValidationRule(value = "self == oldSelf",
      message = "is immutable: the topic holds buffered events; create a new LogPipeline for a new topic")
  @JsonPropertyDescription("Kafka topic name (letters, digits, '.', '_', '-'; at most 249). Default: logs.<namespace>.<name>.")
  private String name;

  /** Partitions; bounds the useful indexer parallelism. */
  @Min(1)
  @Default("6")
  // Can only grow: checked on KafkaSpec, where an absent topic block (6 as well) is seen too.
  @JsonPropertyDescription("Number of partitions. Bounds how many Logstash consumers can work in parallel; can only grow.")
  private int partitions = 6;

  /** Replication factor. */
  @Min(1)
  @Max(32767)
  @Default("3")
  @JsonPropertyDescription("Replication factor; at most the Kafka cluster's brokers. min.insync.replicas defaults to replicas - 1 (at least 1): with 3, an acknowledged event is on two brokers and survives the loss of one.")
  private int replicas = 3;

  /** How long events stay in the topic. */
  @Pattern("^[1-9][0-9]{0,8}(ms|s|m|h|d|w)$")
  @Default("7d")
  @JsonPropertyDescription("How long events stay in the topic (becomes retention.ms); long enough to outlast an indexing outage. A number and a unit: ms, s, m, h, d or w.")
  private String retention = "7d";

  /** Per-partition size cap, so a long backlog cannot fill the brokers' disks. */
  @Pattern("^([1-9][0-9]{0,15}(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?)?$")
  @JsonPropertyDescription("Largest size of one partition (becomes retention.bytes), e.g. 50Gi: the oldest events are deleted beyond it, even within retention. A number with an optional unit: Ki, Mi, Gi, Ti, Pi or k, M, G, T, P. Absent or empty: no size cap, only retention.")
  private String retentionBytes;

  /** Any other topic config. */
  @JsonPropertyDescription("Any other Kafka topic config, overriding the operator's defaults. max.message.bytes (default 1048588) also sizes Filebeat's and Logstash's limits; min.insync.replicas may not exceed replicas.")
  private Map<String, String> config = new LinkedHashMap<>();

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public int getPartitions() { return partitions; }
  public void setPartitions(int partitions) { this.partitions = partitions; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int replicas) { this.replicas = replicas; }
  public String getRetention() { return retention; }
  public void setRetention(String retention) { this.retention = retention; }
  public String getRetentionBytes() { return retentionBytes; }
  public void setRetentionBytes(String retentionBytes) { this.retentionBytes = retentionBytes; }
  public Map<String, String> getConfig() { return config; }
  public void setConfig(Map<String, String> config) { this.config = config; }
}
