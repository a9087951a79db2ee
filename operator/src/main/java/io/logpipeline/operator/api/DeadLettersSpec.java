package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Documents the search cluster rejects: kept in Logstash's dead letter queue, then indexed apart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLettersSpec {

  /** Whether rejected documents are indexed into the dead-letter index. */
  @Default("true")
  @JsonPropertyDescription("true: a document the search cluster rejects (400, 404: a mapping conflict, say) goes to Logstash's dead letter queue, and a second pipeline indexes it into the dead-letter index with the reason. false: it is dropped.")
  private boolean enabled = true;

  /** Name of the dead-letter index. */
  @Pattern("^[a-z0-9][a-z0-9._-]{0,229}$")
  @JsonPropertyDescription("Index (or data stream) for rejected documents; it must not fall under the pipeline's index pattern. Default: <index>-deadletter.")
  private String index;

  public boolean isEnabled() { return enabled; }
  public void setEnabled(boolean enabled) { this.enabled = enabled; }
  public String getIndex() { return index; }
  public void setIndex(String index) { this.index = index; }
}
