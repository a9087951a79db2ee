package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * A Secret holding basic-auth credentials or an Elasticsearch API key; its values are never
 * copied anywhere: Logstash reads them through environment variables from the Secret.
 */
public class CredentialsSecretRef {

  /** Secret name. */
  @Required
  @JsonPropertyDescription("Name of the Secret, in the LogPipeline's namespace.")
  private String name;

  /** Key of the username. */
  @Default("username")
  @JsonPropertyDescription("Key of the username in the Secret (basic auth).")
  private String usernameKey = "username";

  /** Key of the password. */
  @Default("password")
  @JsonPropertyDescription("Key of the password in the Secret.")
  private String passwordKey = "password";

  /** Key of an API key; when set, used instead of username and password. */
  @JsonPropertyDescription("Key in the Secret of an Elasticsearch API key, written as <id>:<api_key>. When set, the API key is used instead of username and password (elasticsearch flavor only).")
  private String apiKeyKey;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUsernameKey() { return usernameKey; }
  public void setUsernameKey(String usernameKey) { this.usernameKey = usernameKey; }
  public String getPasswordKey() { return passwordKey; }
  public void setPasswordKey(String passwordKey) { this.passwordKey = passwordKey; }
  public String getApiKeyKey() { return apiKeyKey; }
  public void setApiKeyKey(String apiKeyKey) { this.apiKeyKey = apiKeyKey; }
}
