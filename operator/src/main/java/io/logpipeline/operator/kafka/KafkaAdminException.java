package io.logpipeline.operator.kafka;

/**
 * A failed call to Kafka, classified so the status can tell the user what to fix. The message
 * names the cluster and never carries credentials.
 */
public class KafkaAdminException extends Exception {

  /** Why the call failed, in the words of the {@code BufferReady} condition's reason. */
  public enum Reason {
    /** No broker answered in time: address, port, network policy, or a TLS/plaintext mismatch. */
    Unreachable,
    /** The SASL handshake failed: wrong username or password, or a mechanism the listener lacks. */
    SaslAuthenticationFailed,
    /** The TLS handshake failed: a CA that did not sign the broker's certificate, or a refused client certificate. */
    SslAuthenticationFailed,
    /** An ACL does not allow the operation on the topic or the cluster. */
    TopicAuthorizationFailed,
    /** The cluster cannot place that many replicas (fewer brokers). */
    InvalidReplicationFactor,
    /** A topic config the broker refuses. */
    InvalidConfiguration,
    /** Anything else Kafka answered with. */
    KafkaError
  }

  private final Reason reason;

  public KafkaAdminException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
