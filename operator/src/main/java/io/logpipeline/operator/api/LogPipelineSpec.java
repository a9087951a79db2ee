package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** What the user declares: sources, shipper, buffer, indexer, destination and lifecycle. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogPipelineSpec {

  /** Which container logs to collect. */
  @JsonPropertyDescription("Which container logs to collect (Filebeat inputs).")
  private SourcesSpec sources = new SourcesSpec();

  /** The Filebeat DaemonSet that reads the nodes' log files. */
  @JsonPropertyDescription("The Filebeat DaemonSet that reads each node's container log files.")
  private ShipperSpec shipper = new ShipperSpec();

  /** The Kafka topic that buffers events durably. */
  @Required
  @JsonPropertyDescription("The Kafka cluster (Strimzi or any other) and the topic that buffers events durably between Filebeat and Logstash.")
  private KafkaSpec kafka;

  /** The Logstash StatefulSet that parses events and writes them to the index. */
  @JsonPropertyDescription("The Logstash StatefulSet that consumes the topic, filters events and indexes them.")
  private IndexerSpec indexer = new IndexerSpec();

  /** Where documents go and the index template that shapes them. */
  @Required
  @JsonPropertyDescription("The Elasticsearch or OpenSearch cluster that stores the documents, and the index template the operator keeps there.")
  private ElasticsearchSpec elasticsearch;

  /** The data-flow checks: newest event age and the canary. */
  @JsonPropertyDescription("The data-flow checks behind the Flowing condition: consumer lag, the age of the newest indexed event, dead letters and a canary event.")
  private HealthSpec health = new HealthSpec();

  /** What deleting the LogPipeline does to the topic and the index template. */
  @Default("Delete")
  @JsonPropertyDescription("On deletion of the LogPipeline: Delete drains the Logstash queue volumes, then removes them, the Kafka topic and the index templates; Retain keeps all of these. Indexed documents are never deleted.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Delete;

  /** Stops reconciling; what exists stays as it is. */
  @Default("false")
  @JsonPropertyDescription("true: the operator changes nothing and reports phase Paused; what exists keeps running as it is.")
  private boolean paused;

  public SourcesSpec getSources() { return sources; }
  public void setSources(SourcesSpec sources) { this.sources = sources; }
  public ShipperSpec getShipper() { return shipper; }
  public void setShipper(ShipperSpec shipper) { this.shipper = shipper; }
  public KafkaSpec getKafka() { return kafka; }
  public void setKafka(KafkaSpec kafka) { this.kafka = kafka; }
  public IndexerSpec getIndexer() { return indexer; }
  public void setIndexer(IndexerSpec indexer) { this.indexer = indexer; }
  public ElasticsearchSpec getElasticsearch() { return elasticsearch; }
  public void setElasticsearch(ElasticsearchSpec elasticsearch) { this.elasticsearch = elasticsearch; }
  public HealthSpec getHealth() { return health; }
  public void setHealth(HealthSpec health) { this.health = health; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
  public boolean isPaused() { return paused; }
  public void setPaused(boolean paused) { this.paused = paused; }
}
