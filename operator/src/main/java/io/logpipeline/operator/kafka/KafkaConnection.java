package io.logpipeline.operator.kafka;

import java.util.Objects;

/**
 * Where and how to reach one Kafka cluster: the bootstrap address and the security settings.
 * Pipelines with equal connections share one admin client. Secret values live only here, in
 * memory; {@link #toString()} never prints them.
 *
 * @param bootstrapServers host:port, comma-separated
 * @param securityProtocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param username SCRAM-SHA-512 username, or null
 * @param password SCRAM-SHA-512 password, or null
 * @param caPem PEM CA to trust, or null for the JVM's default trust store (Amazon MSK)
 * @param certificatePem client certificate for mutual TLS, or null
 * @param privateKeyPem its PKCS#8 private key, or null
 */
public record KafkaConnection(String bootstrapServers, String securityProtocol, String username,
    String password, String caPem, String certificatePem, String privateKeyPem) {

  public KafkaConnection {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(securityProtocol, "securityProtocol");
  }

  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, "PLAINTEXT", null, null, null, null, null);
  }

  @Override
  public String toString() {
    return "Kafka " + bootstrapServers + " (" + securityProtocol
        + (username != null ? " as " + username : "")
        + (certificatePem != null ? " with a client certificate" : "") + ")";
  }
}
