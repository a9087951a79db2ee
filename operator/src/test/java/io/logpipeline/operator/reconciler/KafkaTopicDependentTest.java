package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.BufferModel;
import io.logpipeline.operator.model.Pipeline;
import io.strimzi.api.kafka.Crds;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strimzi's KafkaTopic: the desired object is the model's, it is provisioned only with a Strimzi
 * cluster, and only an explicit {@code deletionPolicy: Delete} deletes it (and so the events).
 */
@EnableKubernetesMockClient(crud = true)
class KafkaTopicDependentTest {

  static KubernetesClient client;

  @BeforeAll
  static void strimzi() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafkaTopic()).create();
  }

  static StubbedContext context(LogPipeline lp) {
    return new StubbedContext(client).forDependents(Pipeline.forCleanup(lp), InMemorySearch.clients(),
        new KafkaClients(c -> null));
  }

  @Test
  void theDesiredTopicIsTheModels() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    KafkaTopic desired = new KafkaTopicDependent().desired(lp, context(lp).context);
    assertThat(desired).isEqualTo(BufferModel.kafkaTopic(StubbedContext.valid(lp)));
    assertThat(desired.getMetadata().getOwnerReferences()).as("it must outlive the LogPipeline under Retain").isEmpty();
  }

  @Test
  void onlyAStrimziClusterHasAKafkaTopic() {
    LogPipeline strimzi = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    assertThat(new KafkaTopicDependent.StrimziCluster().isMet(null, strimzi, context(strimzi).context)).isTrue();
    LogPipeline external = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    external.getSpec().getKafka().setCluster(null);
    external.getSpec().getKafka().setBootstrapServers("kafka:9092");
    assertThat(new KafkaTopicDependent.StrimziCluster().isMet(null, external, context(external).context)).isFalse();
  }

  @Test
  void theTopicIsDeletedOnlyUnderAnExplicitDelete() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    KafkaTopic topic = client.resource(BufferModel.kafkaTopic(StubbedContext.valid(lp))).create();
    // The informer's cache, which JOSDK's deletion reads the topic from.
    KafkaTopicDependent dependent = new KafkaTopicDependent() {
      @Override
      public Optional<KafkaTopic> getSecondaryResource(LogPipeline primary, Context<LogPipeline> context) {
        return Optional.of(topic);
      }
    };

    for (DeletionPolicy keep : new DeletionPolicy[] {DeletionPolicy.Retain, null}) {
      lp.getSpec().setDeletionPolicy(keep);
      dependent.delete(lp, context(lp).context);
      assertThat(client.resource(topic).get()).as("kept under " + keep).isNotNull();
    }

    lp.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    dependent.delete(lp, context(lp).context);
    assertThat(client.resource(topic).get()).isNull();
  }
}
