package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a ShipperClass runs Filebeat for its pipelines. */
public enum ShipperMode {
  /** One Filebeat per node per Kafka connection, with one input per admitted pipeline. */
  @JsonProperty("Shared")
  SHARED,
  /** One Filebeat DaemonSet per pipeline, in the operator's namespace. */
  @JsonProperty("Dedicated")
  DEDICATED
}
