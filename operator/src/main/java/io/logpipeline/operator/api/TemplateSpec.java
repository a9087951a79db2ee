package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The composable index template: shards, replicas, priority, mappings and settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateSpec {

  /** Primary shards per index. */
  @Min(1)
  @Max(1024)
  @Default("1")
  @JsonPropertyDescription("index.number_of_shards of new indices.")
  private int shards = 1;

  /** Replicas per shard. */
  @Min(0)
  @Max(32)
  @Default("1")
  @JsonPropertyDescription("index.number_of_replicas of new indices.")
  private int replicas = 1;

  /** Template priority. */
  @Min(0)
  @Default("200")
  @JsonPropertyDescription("Template priority; higher wins. Keep it above 100, the priority of Elasticsearch's built-in logs-*-* template.")
  private int priority = 200;

  /** Mappings merged over the operator's defaults. */
  @PreserveUnknownFields
  @JsonPropertyDescription("Mappings object, merged over the defaults (@timestamp date, message text, kubernetes.* keywords); your dynamic_templates come before the default ones.")
  private JsonNode mappings;

  /** Index settings merged over shards and replicas. */
  @PreserveUnknownFields
  @JsonPropertyDescription("Index settings object, e.g. {\"index.refresh_interval\": \"30s\"}; merged over shards and replicas.")
  private JsonNode settings;

  /** Write a data stream instead of daily indices. */
  @JsonPropertyDescription("true: the index is a data stream (append-only, backing indices managed by the cluster); false: daily indices <index>_YYYY.MM.DD. Rollover by age or size (spec.elasticsearch.lifecycle) needs a data stream.")
  private boolean dataStream;

  public int getShards() { return shards; }
  public void setShards(int shards) { this.shards = shards; }
  public int getReplicas() { return replicas; }
  public void setReplicas(int replicas) { this.replicas = replicas; }
  public int getPriority() { return priority; }
  public void setPriority(int priority) { this.priority = priority; }
  public JsonNode getMappings() { return mappings; }
  public void setMappings(JsonNode mappings) { this.mappings = mappings; }
  public JsonNode getSettings() { return settings; }
  public void setSettings(JsonNode settings) { this.settings = settings; }
  public boolean isDataStream() { return dataStream; }
  public void setDataStream(boolean dataStream) { this.dataStream = dataStream; }
}
