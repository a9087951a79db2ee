package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/**
 * A Secret in the LogPipeline's namespace with Kafka credentials: a username and password
 * (scram-sha-512) or a client certificate and key (tls). The operator copies it, never reads it
 * into a ConfigMap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaCredentialsRef {

  @Required
  @JsonPropertyDescription("Name of the Secret, in the LogPipeline's namespace.")
  private String name;

  @Default("username")
  @JsonPropertyDescription("scram-sha-512: key of the username.")
  private String usernameKey = "username";

  @Default("password")
  @JsonPropertyDescription("scram-sha-512: key of the password.")
  private String passwordKey = "password";

  @Default("tls.crt")
  @JsonPropertyDescription("tls: key of the PEM client certificate.")
  private String certificateKey = "tls.crt";

  @Default("tls.key")
  @JsonPropertyDescription("tls: key of the PEM private key (PKCS#8, as Kafka's Java client requires: BEGIN PRIVATE KEY).")
  private String keyKey = "tls.key";

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUsernameKey() { return usernameKey; }
  public void setUsernameKey(String usernameKey) { this.usernameKey = usernameKey; }
  public String getPasswordKey() { return passwordKey; }
  public void setPasswordKey(String passwordKey) { this.passwordKey = passwordKey; }
  public String getCertificateKey() { return certificateKey; }
  public void setCertificateKey(String certificateKey) { this.certificateKey = certificateKey; }
  public String getKeyKey() { return keyKey; }
  public void setKeyKey(String keyKey) { this.keyKey = keyKey; }
}
