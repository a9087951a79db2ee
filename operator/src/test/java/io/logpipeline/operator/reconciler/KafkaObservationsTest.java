package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.KafkaSecurity.Role;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Kafka dependents leave for the status within one reconcile. */
class KafkaObservationsTest {

  @Test
  void theVersionsAndWaitsAreKeptByRole() {
    KafkaObservations seen = new KafkaObservations();
    assertThat(seen.secretVersion(Role.INDEXER)).isNull();
    assertThat(seen.waiting()).isEmpty();
    assertThat(seen.externalTopic()).isEmpty();

    seen.secretVersion(Role.INDEXER, "12");
    seen.waiting(Role.SHIPPER, "KafkaUser app-shipper");
    TopicDescription topic = new TopicDescription("logs", 6, 3, Map.of());
    seen.externalTopic(topic);

    assertThat(seen.secretVersion(Role.INDEXER)).isEqualTo("12");
    assertThat(seen.secretVersion(Role.SHIPPER)).isNull();
    assertThat(seen.waiting()).containsExactly(Map.entry(Role.SHIPPER, "KafkaUser app-shipper"));
    assertThat(seen.externalTopic()).contains(topic);
    // A copy: the status cannot change what was observed.
    assertThatThrownBy(() -> seen.waiting().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
