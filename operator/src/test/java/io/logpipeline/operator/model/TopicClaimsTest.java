package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.TopicSpec;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicClaimsTest {

  static LogPipeline pipeline(String ns, String name, String topic, String created) {
    LogPipeline lp = TestLogPipelines.minimal(name, ns, "http://es:9200");
    lp.getMetadata().setUid(ns + "-" + name);
    lp.getMetadata().setCreationTimestamp(created);
    lp.getSpec().getKafka().setNamespace("kafka");
    if (topic != null) {
      TopicSpec t = new TopicSpec();
      t.setName(topic);
      lp.getSpec().getKafka().setTopic(t);
    }
    return lp;
  }

  static LogPipeline runningOn(LogPipeline lp, String topic) {
    LogPipelineStatus status = new LogPipelineStatus();
    status.setBuffer(new LogPipelineStatus.BufferStatus(topic, 6));
    lp.setStatus(status);
    return lp;
  }

  @Test
  void aStrimziTopicIsKnownByTheClustersNamespaceAndNameAndTheTopic() {
    LogPipeline a = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    assertThat(TopicClaims.keys(a)).containsExactly("strimzi:kafka/my-cluster/shared");
    a.getSpec().getKafka().setNamespace(null);
    assertThat(TopicClaims.keys(a)).containsExactly("strimzi:team-a/my-cluster/shared");
    LogPipeline defaulted = pipeline("team-b", "web", null, "2026-01-01T00:00:00Z");
    assertThat(TopicClaims.keys(defaulted)).containsExactly("strimzi:kafka/my-cluster/logs.team-b.web");
  }

  @Test
  void anyOtherKafkaIsKnownByItsBootstrapAddressesInAnyOrderAndCase() {
    LogPipeline a = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    a.getSpec().getKafka().setCluster(null);
    a.getSpec().getKafka().setBootstrapServers("B-2.msk.aws:9092, b-1.msk.aws:9092");
    LogPipeline b = pipeline("team-b", "app", "shared", "2026-01-01T00:00:00Z");
    b.getSpec().getKafka().setCluster(null);
    b.getSpec().getKafka().setBootstrapServers("b-1.msk.aws:9092,b-2.msk.aws:9092");
    assertThat(TopicClaims.keys(a)).containsExactly("kafka:b-1.msk.aws:9092,b-2.msk.aws:9092/shared")
        .isEqualTo(TopicClaims.keys(b));
  }

  @Test
  void aSpecWithoutKafkaClaimsNothing() {
    LogPipeline a = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    a.getSpec().setKafka(null);
    assertThat(TopicClaims.keys(a)).isEmpty();
    a.setSpec(null);
    assertThat(TopicClaims.keys(a)).isEmpty();
    assertThat(TopicClaims.otherOwner(a, List.of(pipeline("x", "y", "shared", null)))).isEmpty();
  }

  @Test
  void theSameTopicNameOnAnotherKafkaIsAnotherTopic() {
    LogPipeline a = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    LogPipeline b = pipeline("team-b", "app", "shared", "2025-01-01T00:00:00Z");
    b.getSpec().getKafka().setCluster("other-cluster");
    assertThat(TopicClaims.otherOwner(a, List.of(a, b))).isEmpty();
  }

  @Test
  void theOldestOwnsATopicNoOneRunsOnYet() {
    LogPipeline older = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    LogPipeline newer = pipeline("team-b", "app", "shared", "2026-01-02T00:00:00Z");
    assertThat(TopicClaims.otherOwner(newer, List.of(older, newer))).contains(older);
    assertThat(TopicClaims.otherOwner(older, List.of(older, newer))).isEmpty();
    // Whatever the order the claimants come in, and whether self is among them.
    assertThat(TopicClaims.otherOwner(newer, List.of(older))).contains(older);
  }

  @Test
  void namespaceThenNameBreakATieInCreationTime() {
    LogPipeline a = pipeline("team-a", "zz", "shared", "2026-01-01T00:00:00Z");
    LogPipeline b = pipeline("team-b", "aa", "shared", "2026-01-01T00:00:00Z");
    LogPipeline a2 = pipeline("team-a", "aa", "shared", "2026-01-01T00:00:00Z");
    assertThat(TopicClaims.otherOwner(b, List.of(a, b))).contains(a);
    assertThat(TopicClaims.otherOwner(a, List.of(a, b))).isEmpty();
    assertThat(TopicClaims.otherOwner(a, List.of(a, a2))).contains(a2);
  }

  @Test
  void anEditNeverTakesTheTopicOfARunningPipeline() {
    // The older pipeline ran on its own topic and is edited to name the newer one's.
    LogPipeline running = runningOn(pipeline("team-a", "app", "shared", "2026-01-02T00:00:00Z"), "shared");
    LogPipeline edited = runningOn(pipeline("team-b", "app", "shared", "2026-01-01T00:00:00Z"), "mine");
    assertThat(TopicClaims.otherOwner(edited, List.of(running, edited))).contains(running);
    assertThat(TopicClaims.otherOwner(running, List.of(running, edited))).isEmpty();
  }

  @Test
  void noOneSquatsAnotherPipelinesDefaultTopic() {
    LogPipeline squatter = pipeline("team-a", "evil", "logs.team-b.web", "2026-01-01T00:00:00Z");
    LogPipeline victim = pipeline("team-b", "web", null, "2026-01-02T00:00:00Z");
    assertThat(TopicClaims.otherOwner(squatter, List.of(squatter, victim))).contains(victim);
    assertThat(TopicClaims.otherOwner(victim, List.of(squatter, victim))).isEmpty();
  }

  @Test
  void theProblemNamesTheFieldTheOwnerAndWhatToDo() {
    LogPipeline owner = pipeline("team-a", "app", "shared", "2026-01-01T00:00:00Z");
    LogPipeline other = pipeline("team-b", "web", "shared", "2026-01-02T00:00:00Z");
    SpecProblem problem = TopicClaims.problem(other, owner);
    assertThat(problem.field()).isEqualTo("spec.kafka.topic.name");
    assertThat(problem.message()).contains("topic shared", "belongs to LogPipeline team-a/app",
        "name another topic", "logs.team-b.web");
    // A default name taken (only a Retained KafkaTopic can do that): the Kafka is what to change.
    assertThat(TopicClaims.field(pipeline("team-b", "web", null, null))).isEqualTo("spec.kafka");
  }
}
