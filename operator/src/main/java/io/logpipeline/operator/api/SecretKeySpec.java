package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the LogPipeline's namespace. */
public class SecretKeySpec {

  /** Secret name. */
  @Required
  @JsonPropertyDescription("Name of the Secret, in the LogPipeline's namespace.")
  private String name;

  /** Key in the Secret. */
  @Default("ca.crt")
  @JsonPropertyDescription("Key in the Secret.")
  private String key = "ca.crt";

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
}
