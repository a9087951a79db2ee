package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * The Logstash StatefulSet: the model's, with the version of the indexer's copied Kafka
 * credentials in its pod template (so a rotated password rolls the pods); and when the
 * controller has rolled out its spec to every replica.
 */
class LogstashStatefulSetDependentTest {

  static StubbedContext context(Pipeline p) {
    return new StubbedContext(null).forDependents(p, InMemorySearch.clients(), new KafkaClients(c -> null));
  }

  @Test
  void thePodsCarryTheCopiedCredentialsVersion() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    Pipeline p = StubbedContext.valid(lp);
    StubbedContext ctx = context(p);
    StatefulSet without = new LogstashStatefulSetDependent().desired(lp, ctx.context);
    assertThat(without).isEqualTo(IndexerModel.statefulSet(p));
    assertThat(without.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey(KafkaSecurity.SECRET_VERSION_ANNOTATION);

    PipelineContext.kafka(ctx.context).secretVersion(Role.INDEXER, "4711");
    PipelineContext.kafka(ctx.context).secretVersion(Role.SHIPPER, "12");
    StatefulSet with = new LogstashStatefulSetDependent().desired(lp, ctx.context);
    StatefulSet expected = IndexerModel.statefulSet(p);
    KafkaSecurity.secretVersion(expected.getSpec().getTemplate(), "4711");
    assertThat(with).isEqualTo(expected);
    assertThat(with.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(KafkaSecurity.SECRET_VERSION_ANNOTATION);
  }

  static StatefulSet statefulSet(Integer replicas, Long generation, Long observed, Integer ready, Integer updated) {
    var b = new StatefulSetBuilder().withNewMetadata().withName("app-logstash").withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec();
    if (observed != null || ready != null || updated != null) {
      b.withNewStatus().withObservedGeneration(observed).withReadyReplicas(ready).withUpdatedReplicas(updated).endStatus();
    }
    return b.build();
  }

  @Test
  void rolledOutMeansTheSpecSeenAndEveryReplicaReadyAndUpdated() {
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, 2, 2))).isTrue();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, 3, 3))).isTrue();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 2L, 2, 2))).as("spec not seen").isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, 1, 2))).as("one not ready").isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, 2, 1))).as("one not updated").isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, null, 2))).isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, 3L, 2, null))).isFalse();
    // No replicas in the spec: Kubernetes' default, one.
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(null, 3L, 3L, 1, 1))).isTrue();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(null, 3L, 3L, 0, 1))).isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(statefulSet(2, 3L, null, null, null))).as("no status").isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(null)).isFalse();
    assertThat(LogstashStatefulSetDependent.rolledOut(new StatefulSetBuilder().withNewMetadata().endMetadata()
        .withNewStatus().endStatus().build())).as("no spec").isFalse();
  }
}
