package io.logpipeline.operator.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kafka's typed errors, from the real broker, as the reasons and messages of BufferReady. */
class AdminClientKafkaAdminTest {

  static void assertReason(ThrowingRunnable call, KafkaAdminException.Reason reason, String hint) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KafkaAdminException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(hint);
    });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void moreReplicasThanBrokersAndABadConfigAreSaidInTheSpecsWords() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    try (KafkaAdmin admin = new AdminClientKafkaAdmin(KafkaConnection.plaintext(broker.plaintext()))) {
      assertReason(() -> admin.createTopic("logs.errors.replicas", 1, 3, Map.of()),
          KafkaAdminException.Reason.InvalidReplicationFactor, "spec.kafka.topic.replicas");
      assertReason(() -> admin.createTopic("logs.errors.config", 1, 1, Map.of("retention.ms", "a week")),
          KafkaAdminException.Reason.InvalidConfiguration, "spec.kafka.topic.config");
      assertThat(admin.describeTopic("logs.errors.none")).isEmpty();
      assertThat(admin.deleteTopic("logs.errors.none")).isFalse();
    }
  }

  @Test
  void noBrokerIsUnreachableWithinTheTimeout() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    try (KafkaAdmin admin = new AdminClientKafkaAdmin(KafkaConnection.plaintext("127.0.0.1:" + port),
        Duration.ofSeconds(2))) {
      assertReason(() -> admin.describeTopic("logs.x"), KafkaAdminException.Reason.Unreachable,
          "spec.kafka.bootstrapServers");
    }
  }
}
