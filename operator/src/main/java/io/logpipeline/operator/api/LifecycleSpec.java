package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * When indices roll over and when they are deleted: an ILM policy on Elasticsearch, an ISM policy
 * on OpenSearch, kept by the operator and attached to the pipeline's indices.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LifecycleSpec {

  /** Roll a data stream over to a new backing index after this age. */
  @Pattern("^[1-9][0-9]{0,8}(d|h|m|s)$")
  @JsonPropertyDescription("Data streams only: roll over to a new backing index when the write index is this old, e.g. 1d (units d, h, m, s). ILM max_age, ISM min_index_age.")
  private String rolloverMaxAge;

  /** Roll a data stream over when a primary shard reaches this size. */
  @Pattern("^[1-9][0-9]{0,8}(b|kb|mb|gb|tb|pb)$")
  @JsonPropertyDescription("Data streams only: roll over when a primary shard of the write index reaches this size, e.g. 50gb (units b, kb, mb, gb, tb, pb). ILM max_primary_shard_size, ISM min_primary_shard_size.")
  private String rolloverMaxPrimaryShardSize;

  /** Delete an index this long after its rollover (data streams) or its creation (daily indices). */
  @Pattern("^[1-9][0-9]{0,8}(d|h|m|s)$")
  @JsonPropertyDescription("Delete an index this long after it rolled over (data streams) or was created (daily indices), e.g. 30d. Absent: indices are kept forever (reported as a warning).")
  private String deleteAfter;

  public String getRolloverMaxAge() { return rolloverMaxAge; }
  public void setRolloverMaxAge(String rolloverMaxAge) { this.rolloverMaxAge = rolloverMaxAge; }
  public String getRolloverMaxPrimaryShardSize() { return rolloverMaxPrimaryShardSize; }
  public void setRolloverMaxPrimaryShardSize(String size) { this.rolloverMaxPrimaryShardSize = size; }
  public String getDeleteAfter() { return deleteAfter; }
  public void setDeleteAfter(String deleteAfter) { this.deleteAfter = deleteAfter; }
}
