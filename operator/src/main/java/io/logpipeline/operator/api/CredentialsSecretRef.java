package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret holding basic-auth credentials; its values are never copied anywhere. */
public class CredentialsSecretRef {

  /** Secret name. */
  @Required
  @JsonPropertyDescription("Name of the Secret, in the LogPipeline's namespace.")
  private String name;

  /** Key of the username. */
  @Default("username")
  @JsonPropertyDescription("Key of the username in the Secret.")
  private String usernameKey = "username";

  /** Key of the password. */
  @Default("password")
  @JsonPropertyDescription("Key of the password in the Secret.")
  private String passwordKey = "password";

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUsernameKey() { return usernameKey; }
  public void setUsernameKey(String usernameKey) { this.usernameKey = usernameKey; }
  public String getPasswordKey() { return passwordKey; }
  public void setPasswordKey(String passwordKey) { this.passwordKey = passwordKey; }
}
