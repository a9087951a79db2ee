package io.logpipeline.operator.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaBrokerTest {

  @Test
  void startsAndServesThePlaintextListener() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    try (Admin admin = broker.superAdmin()) {
      admin.createTopics(List.of(new NewTopic("smoke", 1, (short) 1))).all().get();
      assertThat(admin.listTopics().names().get()).contains("smoke");
    }
  }
}
