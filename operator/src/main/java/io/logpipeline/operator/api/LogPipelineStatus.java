package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed at its last reconcile; computed whole each time, never accumulated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogPipelineStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Progressing, Ready, Degraded, Failed, Paused or Deleting.")
  private Phase phase;

  @JsonPropertyDescription("Valid, ShipperReady, BufferReady, IndexerReady, IndexTemplateReady and Ready, with reasons and messages.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Filebeat pods ready/desired, for kubectl get.")
  private String shippers;

  @JsonPropertyDescription("Logstash pods ready/desired, for kubectl get.")
  private String indexers;

  @JsonPropertyDescription("The Filebeat DaemonSet's pods.")
  private ShipperStatus shipper;

  @JsonPropertyDescription("The Kafka topic.")
  private BufferStatus buffer;

  @JsonPropertyDescription("The Logstash pods.")
  private IndexerStatus indexer;

  @JsonPropertyDescription("The index template.")
  private IndexTemplateStatus indexTemplate;

  @JsonPropertyDescription("What the data-flow checks saw: written when Flowing flips, otherwise at most every few minutes; live values are in the operator's metrics.")
  private FlowStatus flow;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getShippers() { return shippers; }
  public void setShippers(String shippers) { this.shippers = shippers; }
  public String getIndexers() { return indexers; }
  public void setIndexers(String indexers) { this.indexers = indexers; }
  public ShipperStatus getShipper() { return shipper; }
  public void setShipper(ShipperStatus shipper) { this.shipper = shipper; }
  public BufferStatus getBuffer() { return buffer; }
  public void setBuffer(BufferStatus buffer) { this.buffer = buffer; }
  public IndexerStatus getIndexer() { return indexer; }
  public void setIndexer(IndexerStatus indexer) { this.indexer = indexer; }
  public IndexTemplateStatus getIndexTemplate() { return indexTemplate; }
  public void setIndexTemplate(IndexTemplateStatus indexTemplate) { this.indexTemplate = indexTemplate; }
  public FlowStatus getFlow() { return flow; }
  public void setFlow(FlowStatus flow) { this.flow = flow; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogPipelineStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && phase == s.phase
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(shippers, s.shippers)
        && Objects.equals(indexers, s.indexers)
        && Objects.equals(shipper, s.shipper)
        && Objects.equals(buffer, s.buffer)
        && Objects.equals(indexer, s.indexer)
        && Objects.equals(indexTemplate, s.indexTemplate)
        && Objects.equals(flow, s.flow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, conditions, shippers, indexers, shipper, buffer,
        indexer, indexTemplate, flow);
  }

  /** Filebeat pods: how many nodes should run one, how many are ready. */
  public record ShipperStatus(
      @JsonPropertyDescription("Nodes that should run Filebeat.") int desired,
      @JsonPropertyDescription("Nodes where Filebeat is ready.") int ready) {}

  /** The Kafka topic as provisioned. */
  public record BufferStatus(
      @JsonPropertyDescription("Kafka topic name.") String topic,
      @JsonPropertyDescription("Partitions of the topic.") int partitions) {}

  /** Logstash pods: desired and ready; queue volumes of removed replicas still being drained. */
  public record IndexerStatus(
      @JsonPropertyDescription("Desired Logstash pods.") int replicas,
      @JsonPropertyDescription("Ready Logstash pods.") int ready,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
      @JsonPropertyDescription("Queue volumes (claims) of removed replicas that are drained before they are deleted.")
      List<String> draining) {

    public IndexerStatus {
      // Absent and empty are one thing: the field is left out when empty.
      draining = draining == null ? List.of() : List.copyOf(draining);
    }

    public IndexerStatus(int replicas, int ready) {
      this(replicas, ready, List.of());
    }
  }

  /** The index template as provisioned. */
  public record IndexTemplateStatus(
      @JsonPropertyDescription("Name of the index template.") String name) {}

  /**
   * The data path as last observed: absent values could not be observed (the stage was
   * unreachable, or the check is off).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FlowStatus(
      @JsonPropertyDescription("Events in the topic not yet consumed by the indexer's consumer group.") Long lag,
      @JsonPropertyDescription("Age of the newest event in the index, e.g. 4s.") String newestEventAge,
      @JsonPropertyDescription("Time the last canary took from the topic to the index, e.g. 2.1s.") String canaryLatency,
      @JsonPropertyDescription("Documents in the dead-letter index.") Long deadLetters,
      @JsonPropertyDescription("When these values were observed (RFC 3339).") String observedAt) {}
}
