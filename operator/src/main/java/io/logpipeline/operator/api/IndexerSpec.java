package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The Logstash StatefulSet that consumes the topic and indexes the events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IndexerSpec {

  /** Logstash image. */
  @JsonPropertyDescription("Logstash image. Default: the version this operator is tested with; for flavor opensearch, an image with the logstash-output-opensearch plugin.")
  private String image;

  /** Number of Logstash pods. */
  @Min(0)
  @Max(1000)
  @Default("2")
  @JsonPropertyDescription("Number of Logstash pods. They share one consumer group; more than the topic's partitions stay idle.")
  private int replicas = 2;

  /** Body of the Logstash filter section. */
  @JsonPropertyDescription("Body of the Logstash 'filter { }' section (grok, mutate, date, ...). Empty: events pass unchanged.")
  private String filter;

  /** Worker threads; 0 means the CPU request rounded up. */
  @Min(0)
  @Max(256)
  @Default("0")
  @JsonPropertyDescription("pipeline.workers per pod. 0: the container's CPU request rounded up (at least 1), never the node's core count.")
  private int pipelineWorkers;

  /** Events per worker batch. */
  @Min(1)
  @Max(100000)
  @Default("125")
  @JsonPropertyDescription("pipeline.batch.size: events a worker takes per batch.")
  private int batchSize = 125;

  /** Container resources; the JVM heap is half the memory limit. */
  @JsonPropertyDescription("Logstash container resources. The JVM heap is set to half the memory limit. Default: requests cpu 500m, memory 2Gi; limit memory 2Gi.")
  private ResourceRequirements resources;

  /** The queue volumes. */
  @ValidationRule(value = "self == oldSelf", message = "cannot change once the pipeline exists: a"
      + " StatefulSet's volume claim templates are immutable (grow a volume by expanding its"
      + " PersistentVolumeClaim; anything else needs a new LogPipeline)")
  @JsonPropertyDescription("Logstash's persistent queue, on a volume per replica (a StatefulSet's volume claim).")
  private PersistentQueueSpec persistentQueue = new PersistentQueueSpec();

  /** What happens to rejected documents. */
  @JsonPropertyDescription("Documents the search cluster rejects are indexed into a dead-letter index instead of being dropped.")
  private DeadLettersSpec deadLetters = new DeadLettersSpec();

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int replicas) { this.replicas = replicas; }
  public String getFilter() { return filter; }
  public void setFilter(String filter) { this.filter = filter; }
  public int getPipelineWorkers() { return pipelineWorkers; }
  public void setPipelineWorkers(int pipelineWorkers) { this.pipelineWorkers = pipelineWorkers; }
  public int getBatchSize() { return batchSize; }
  public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public PersistentQueueSpec getPersistentQueue() { return persistentQueue; }
  public void setPersistentQueue(PersistentQueueSpec persistentQueue) { this.persistentQueue = persistentQueue; }
  public DeadLettersSpec getDeadLetters() { return deadLetters; }
  public void setDeadLetters(DeadLettersSpec deadLetters) { this.deadLetters = deadLetters; }
}
