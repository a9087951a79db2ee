package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The search product behind {@code spec.elasticsearch.hosts}; Logstash needs a different output for each. */
public enum Flavor {
  @JsonProperty("elasticsearch")
  ELASTICSEARCH,
  @JsonProperty("opensearch")
  OPENSEARCH
}
