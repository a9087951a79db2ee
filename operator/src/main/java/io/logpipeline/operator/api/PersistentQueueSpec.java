package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Logstash's persistent queue: one volume per replica that holds the queue and the dead letters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistentQueueSpec {

  /** The default volume size. */
  public static final String DEFAULT_SIZE = "8Gi";

  /** Whether events wait in a queue on a volume instead of in memory. */
  @Default("true")
  @JsonPropertyDescription("true: each Logstash replica keeps its queue and its dead letter queue on a volume of its own, so events Kafka counts as consumed survive a crash, a node's loss and a scale-down. false: an in-memory queue (reported as a durability warning).")
  private boolean enabled = true;

  /** Size of each replica's volume. */
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
  @Default(DEFAULT_SIZE)
  @JsonPropertyDescription("Size of each replica's volume, e.g. 8Gi (at least 1Gi). The queue gets what is left after the dead letter queue, the dead-letter pipeline's queue and room for the file system.")
  private String size = DEFAULT_SIZE;

  /** StorageClass of the volumes. */
  @JsonPropertyDescription("StorageClass of the volumes. Empty: the cluster's default StorageClass.")
  private String storageClassName;

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean enabled) { this.enabled = enabled; }
  public String getSize() { return size; }
  public void setSize(String size) { this.size = size; }
  public String getStorageClassName() { return storageClassName; }
  public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
}
