package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The data-flow checks behind the Flowing condition: how old the newest event may be, and the canary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthSpec {

  /** Flowing turns False when the newest indexed event is older than this. */
  @Pattern("^[1-9][0-9]{0,8}(s|m|h|d)$")
  @Default("10m")
  @JsonPropertyDescription("Flowing is False (NoEventsIndexed) when the newest event in the index is older than this. A number and a unit: s, m, h or d. Raise it for sources that are quiet for long.")
  private String maxEventAge = "10m";

  /** An event the operator sends through the pipeline to measure its end-to-end latency. */
  @JsonPropertyDescription("An event the operator produces to the topic at an interval and looks for in the search cluster: the end-to-end latency through Kafka and Logstash.")
  private CanarySpec canary = new CanarySpec();

  public String getMaxEventAge() { return maxEventAge; }
  public void setMaxEventAge(String maxEventAge) { this.maxEventAge = maxEventAge; }
  public CanarySpec getCanary() { return canary; }
  public void setCanary(CanarySpec canary) { this.canary = canary; }

  /** The canary: whether it is sent, and how often. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CanarySpec {

    @Default("true")
    @JsonPropertyDescription("true: the operator produces one canary event to the topic every interval; Logstash indexes it, apart from the user's events, into the canary index. Flowing is False (CanaryLate) when a canary is not searchable within one interval.")
    private boolean enabled = true;

    @Pattern("^[1-9][0-9]{0,8}(s|m|h|d)$")
    @Default("5m")
    @JsonPropertyDescription("How often a canary is sent, and how long it may take to become searchable. A number and a unit: s, m, h or d.")
    private String interval = "5m";

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getInterval() { return interval; }
    public void setInterval(String interval) { this.interval = interval; }
  }
}
