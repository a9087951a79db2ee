package io.logpipeline.operator.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KafkaBrokerTest {

  @Test
  void startsAndServesThePlaintextListener() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    try (Admin admin = broker.superAdmin()) {
      admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
      // The broker's metadata follows the controller's: a topic just created is listed a moment later.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(admin.listTopics().names().get()).contains("smoke"));
    }
  }
}
