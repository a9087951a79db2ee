package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * Who the shipper and the indexer are to Kafka. With a Strimzi cluster the operator creates a
 * KafkaUser for each; with any other Kafka the user names the Secrets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaAuthenticationSpec {

  @Default("none")
  @JsonPropertyDescription("none, scram-sha-512 or tls (mutual TLS; needs spec.kafka.tls). aws-msk-iam is refused: Filebeat cannot use it.")
  private KafkaAuthenticationType type = KafkaAuthenticationType.NONE;

  @JsonPropertyDescription("External Kafka only: the Secret with the shipper's (Filebeat's) credentials. It needs Write and Describe on the topic.")
  private KafkaCredentialsRef shipperSecret;

  @JsonPropertyDescription("External Kafka only: the Secret with the indexer's (Logstash's) credentials. It needs Read and Describe on the topic and Read on the consumer group.")
  private KafkaCredentialsRef indexerSecret;

  public KafkaAuthenticationType getType() { return type; }
  public void setType(KafkaAuthenticationType type) { this.type = type; }
  public KafkaCredentialsRef getShipperSecret() { return shipperSecret; }
  public void setShipperSecret(KafkaCredentialsRef shipperSecret) { this.shipperSecret = shipperSecret; }
  public KafkaCredentialsRef getIndexerSecret() { return indexerSecret; }
  public void setIndexerSecret(KafkaCredentialsRef indexerSecret) { this.indexerSecret = indexerSecret; }
}
