package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How Filebeat, Logstash and the operator prove who they are to Kafka. */
public enum KafkaAuthenticationType {
  /** No authentication: anyone who reaches the listener may read and write. */
  @JsonProperty("none")
  NONE,
  /** SASL SCRAM-SHA-512 with a username and password. */
  @JsonProperty("scram-sha-512")
  SCRAM_SHA_512,
  /** Mutual TLS: a client certificate (needs {@code kafka.tls}). */
  @JsonProperty("tls")
  TLS,
  /**
   * Amazon MSK IAM. Accepted by the schema only so that the operator can say why it is refused:
   * Filebeat has no AWS_MSK_IAM mechanism.
   */
  @JsonProperty("aws-msk-iam")
  AWS_MSK_IAM;

  /** The value as users write it. */
  public String value() {
    return switch (this) {
      case NONE -> "none";
      case SCRAM_SHA_512 -> "scram-sha-512";
      case TLS -> "tls";
      case AWS_MSK_IAM -> "aws-msk-iam";
    };
  }
}
