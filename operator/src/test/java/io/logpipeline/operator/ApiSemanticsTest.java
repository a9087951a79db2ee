package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mock API server the tests use keeps what a real API server keeps: status only through the
 * status subresource, spec and metadata only through the main resource, the generation bumped
 * by a spec change only. For the LogPipeline (its generated CRD), Strimzi's KafkaTopic and the
 * built-in workloads.
 */
class ApiSemanticsTest {

  static FaultyApiServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = FaultyApiServer.start();
    client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static LogPipelineStatus status(Phase phase) {
    LogPipelineStatus s = new LogPipelineStatus();
    s.setPhase(phase);
    s.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").withReason("Ready")
        .withMessage("every stage is ready").withLastTransitionTime("2026-11-25T12:00:00Z").build()));
    return s;
  }

  @Test
  void aLogPipelineKeepsOnlyTheStatusWrittenThroughItsSubresource() {
    LogPipeline lp = TestLogPipelines.minimal("semantics", "logging", "https://es:9200");
    lp.setStatus(status(Phase.Ready));
    client.resource(lp).create();
    LogPipeline created = client.resource(lp).get();
    // (LogPipeline starts with an empty status of its own: what matters is that none was stored.)
    assertThat(created.getStatus().getPhase()).as("status sent with a create").isNull();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    // Status through the subresource: kept; a spec change sent along is not, nor is the generation bumped.
    created.setStatus(status(Phase.Degraded));
    created.getSpec().getIndexer().setReplicas(9);
    LogPipeline afterStatus = client.resource(created).updateStatus();
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(afterStatus.getSpec().getIndexer().getReplicas()).as("spec sent to /status").isEqualTo(2);
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);

    // Status with the main resource (update or patch): dropped, the stored one stays.
    afterStatus.setStatus(status(Phase.Failed));
    LogPipeline afterUpdate = client.resource(afterStatus).update();
    assertThat(afterUpdate.getStatus().getPhase()).as("status sent with an update").isEqualTo(Phase.Degraded);
    LogPipeline afterEdit = client.resources(LogPipeline.class).inNamespace("logging").withName("semantics")
        .edit(x -> {
          x.setStatus(status(Phase.Paused));
          x.getSpec().getIndexer().setReplicas(3);
          return x;
        });
    assertThat(afterEdit.getStatus().getPhase()).as("status sent with a patch").isEqualTo(Phase.Degraded);
    assertThat(afterEdit.getSpec().getIndexer().getReplicas()).isEqualTo(3);
    assertThat(afterEdit.getMetadata().getGeneration()).as("a spec change bumps the generation").isEqualTo(2L);
  }

  @Test
  void aDeploymentKeepsItsControllersStatusWhenItsSpecIsUpdated() {
    client.resource(new DeploymentBuilder()
        .withNewMetadata().withName("semantics").withNamespace("logging").endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withReadyReplicas(5).endStatus()
        .build()).create();
    Deployment d = client.apps().deployments().inNamespace("logging").withName("semantics").get();
    assertThat(d.getStatus()).as("status sent with a create").isNull();

    d.setStatus(new DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(2).withObservedGeneration(1L).build());
    d = client.resource(d).updateStatus();

    // What an operator does: replace the spec with the desired one, which has no status.
    Deployment desired = new DeploymentBuilder(d).withStatus(null).editSpec().withReplicas(3).endSpec().build();
    Deployment updated = client.resource(desired).update();
    assertThat(updated.getStatus().getReadyReplicas()).as("status after a spec update").isEqualTo(2);
    assertThat(updated.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void aKafkaTopicKeepsStrimzisStatusWhenItsSpecIsUpdated() {
    KafkaTopic t = client.resource(new KafkaTopicBuilder()
        .withNewMetadata().withName("semantics").withNamespace("kafka").endMetadata()
        .withNewSpec().withPartitions(6).withReplicas(3).endSpec().build()).create();
    t.setStatus(new KafkaTopicStatusBuilder().withConditions(new io.strimzi.api.kafka.model.common.ConditionBuilder()
        .withType("Ready").withStatus("True").build()).build());
    t = client.resource(t).updateStatus();

    KafkaTopic desired = new KafkaTopicBuilder(t).withStatus(null).editSpec().withPartitions(12).endSpec().build();
    KafkaTopic updated = client.resource(desired).update();
    assertThat(updated.getSpec().getPartitions()).isEqualTo(12);
    assertThat(updated.getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }
}
