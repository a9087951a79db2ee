package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** TLS towards Kafka. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaTlsSpec {

  @JsonPropertyDescription("Secret and key holding the PEM CA certificate to trust. Strimzi: a Secret in the Kafka namespace, default <cluster>-cluster-ca-cert, key ca.crt."
      + " External Kafka: a Secret in the LogPipeline's namespace; absent: the public trust store (Amazon MSK).")
  private SecretKeySpec caSecret;

  public SecretKeySpec getCaSecret() { return caSecret; }
  public void setCaSecret(SecretKeySpec caSecret) { this.caSecret = caSecret; }
}
