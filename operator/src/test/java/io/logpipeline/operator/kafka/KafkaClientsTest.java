package io.logpipeline.operator.kafka;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** One admin client per Kafka connection, shared, and closed when the last pipeline lets go. */
class KafkaClientsTest {

  final List<String> opened = new ArrayList<>();
  final List<String> closed = new ArrayList<>();

  KafkaAdmin fake(KafkaConnection c) {
    opened.add(c.bootstrapServers());
    return new KafkaAdmin() {
      public Optional<TopicDescription> describeTopic(String name) { return Optional.empty(); }
      public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {}
      public void setTopicConfigs(String name, Map<String, String> configs) {}
      public void createPartitions(String name, int partitions) {}
      public boolean deleteTopic(String name) { return false; }
      public Map<ConsumerLag.Query, ConsumerLag> consumerLag(java.util.Collection<ConsumerLag.Query> queries) {
        return Map.of();
      }
      public void close() { closed.add(c.bootstrapServers()); }
    };
  }

  @Test
  void pipelinesOnOneClusterShareAClientThatClosesWithTheLast() {
    KafkaClients clients = new KafkaClients(this::fake);
    KafkaConnection a = KafkaConnection.plaintext("a:9092");
    KafkaAdmin first = clients.admin("p1", a);
    assertThat(clients.admin("p2", a)).isSameAs(first);
    assertThat(clients.admin("p1", a)).isSameAs(first);
    assertThat(opened).containsExactly("a:9092");
    clients.release("p1");
    assertThat(closed).isEmpty();
    // p2 moves to another cluster (or rotated credentials): the first client has no one left.
    clients.admin("p2", KafkaConnection.plaintext("b:9092"));
    assertThat(closed).containsExactly("a:9092");
    assertThat(clients.open()).isEqualTo(1);
    clients.close();
    assertThat(closed).containsExactly("a:9092", "b:9092");
  }

  @Test
  void aConnectionNeverPrintsItsSecrets() {
    KafkaConnection c = new KafkaConnection("k:9096", "SASL_SSL", "user", "s3cret", "CA", "CERT", "PRIVATE");
    assertThat(c.toString()).contains("k:9096", "user").doesNotContain("s3cret", "PRIVATE", "CA\n");
  }
}
