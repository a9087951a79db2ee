package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.fabric8.kubernetes.api.model.Node;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineHealthTest {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  static io.fabric8.kubernetes.api.model.Condition shipper(DaemonSet ds) throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getMetadata().setGeneration(1L);
    var status = PipelineHealth.provisioned(lp, Pipeline.resolve(lp),
        new PipelineHealth.Observed(ds, null, null), new PipelineHealth.StageErrors(Map.of()), NOW);
    lp.setStatus(status);
    return TestLogPipelines.condition(lp, PipelineHealth.SHIPPER_READY);
  }

  static DaemonSetBuilder daemonSet() {
    return new DaemonSetBuilder().withNewMetadata().withName("app-filebeat").withGeneration(2L).endMetadata();
  }

  @Test
  void aDaemonSetNotYetCountedByItsControllerIsNotReportedAsRunningOnNoNodes() throws Exception {
    var fresh = shipper(daemonSet().build());
    assertThat(fresh.getReason()).isEqualTo("NodesNotReady");
    var stale = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(1L).withDesiredNumberScheduled(0).build()).build());
    assertThat(stale.getReason()).as("counted for an older spec").isEqualTo("NodesNotReady");
  }

  @Test
  void aDaemonSetItsControllerPutOnNoNodeIsReported() throws Exception {
    var none = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(2L).withDesiredNumberScheduled(0).build()).build());
    assertThat(none.getStatus()).isEqualTo("False");
    assertThat(none.getReason()).isEqualTo("NoNodes");
    assertThat(none.getMessage()).contains("spec.shipper.nodeSelector", "spec.shipper.tolerations");
  }

  @Test
  void everyNodeReadyOnTheCurrentSpecIsReady() throws Exception {
    var ready = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(3).withUpdatedNumberScheduled(3).build()).build());
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).isEqualTo("3/3 nodes");
  }

  static io.fabric8.kubernetes.api.model.Condition buffer(java.util.List<io.strimzi.api.kafka.model.user.KafkaUser> users,
      Map<io.logpipeline.operator.model.KafkaSecurity.Role, String> waiting) throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getMetadata().setGeneration(1L);
    lp.getSpec().getKafka().setTls(new io.logpipeline.operator.api.KafkaTlsSpec());
    var auth = new io.logpipeline.operator.api.KafkaAuthenticationSpec();
    auth.setType(io.logpipeline.operator.api.KafkaAuthenticationType.SCRAM_SHA_512);
    lp.getSpec().getKafka().setAuthentication(auth);
    var topic = new io.strimzi.api.kafka.model.topic.KafkaTopicBuilder().withNewMetadata().withName("t").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    var status = PipelineHealth.provisioned(lp, Pipeline.resolve(lp),
        new PipelineHealth.Observed(null, topic, null, users, waiting, null), new PipelineHealth.StageErrors(Map.of()), NOW);
    lp.setStatus(status);
    return TestLogPipelines.condition(lp, PipelineHealth.BUFFER_READY);
  }

  static io.strimzi.api.kafka.model.user.KafkaUser user(String name, String ready) {
    var b = new io.strimzi.api.kafka.model.user.KafkaUserBuilder().withNewMetadata().withName(name).endMetadata();
    if (ready != null) {
      b.withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("Reason").withMessage("msg")
          .endCondition().endStatus();
    }
    return b.build();
  }

  @Test
  void bufferReadyWaitsForTheKafkaUsersAndTheirSecrets() throws Exception {
    var none = buffer(java.util.List.of(), Map.of());
    assertThat(none.getReason()).isEqualTo("Creating");
    assertThat(none.getMessage()).contains("logging.app-shipper");
    var unreconciled = buffer(java.util.List.of(user("logging.app-shipper", null), user("logging.app-indexer", null)), Map.of());
    assertThat(unreconciled.getReason()).isEqualTo("WaitingForStrimzi");
    assertThat(unreconciled.getMessage()).contains("User Operator", "entityOperator.userOperator");
    var refused = buffer(java.util.List.of(user("logging.app-shipper", "True"), user("logging.app-indexer", "False")), Map.of());
    assertThat(refused.getStatus()).isEqualTo("False");
    assertThat(refused.getMessage()).contains("logging.app-indexer not ready: msg");
    var ready = java.util.List.of(user("logging.app-shipper", "True"), user("logging.app-indexer", "True"));
    var waiting = buffer(ready, Map.of(io.logpipeline.operator.model.KafkaSecurity.Role.INDEXER, "the Secret kafka/x"));
    assertThat(waiting.getReason()).isEqualTo("WaitingForStrimzi");
    assertThat(waiting.getMessage()).contains("indexer's Kafka credentials wait for the Secret kafka/x");
    assertThat(buffer(ready, Map.of()).getStatus()).isEqualTo("True");
  }

  // ---------------------------------------------------------------- against the nodes

  /** ShipperReady and the counts for a pipeline whose DaemonSet runs ready on {@code scheduled} nodes. */
  static io.logpipeline.operator.api.LogPipelineStatus withNodes(java.util.function.Consumer<LogPipeline> edit,
      int scheduled, List<Node> nodes) throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getMetadata().setGeneration(1L);
    edit.accept(lp);
    Pipeline p = Pipeline.resolve(lp);
    DaemonSet ds = ShipperModel.daemonSet(p);
    ds.getMetadata().setGeneration(2L);
    ds.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L).withDesiredNumberScheduled(scheduled)
        .withNumberReady(scheduled).withUpdatedNumberScheduled(scheduled).build());
    return PipelineHealth.provisioned(lp, p, new PipelineHealth.Observed(ds, null, null, nodes),
        new PipelineHealth.StageErrors(Map.of()), NOW);
  }

  static io.fabric8.kubernetes.api.model.Condition shipperReady(io.logpipeline.operator.api.LogPipelineStatus status) {
    return status.getConditions().stream().filter(c -> c.getType().equals(PipelineHealth.SHIPPER_READY))
        .findFirst().orElseThrow();
  }

  /**
   * The DaemonSet says 10/10 while two GPU nodes run no Filebeat: ShipperReady counts them, names
   * them with the taint and says what to change.
   */
  @Test
  void nodesATaintKeepsTheShipperOffAreCountedAndNamed() throws Exception {
    List<Node> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodes.add(ShipperCoverageTest.node("node-" + i, "containerd://1.7.27"));
    }
    nodes.add(ShipperCoverageTest.node("gpu-2", "containerd://1.7.27", ShipperCoverageTest.GPU));
    nodes.add(ShipperCoverageTest.node("gpu-1", "containerd://1.7.27", ShipperCoverageTest.GPU));
    var status = withNodes(lp -> lp.getSpec().getShipper().setTolerations(new java.util.ArrayList<>()), 10, nodes);
    var ready = shipperReady(status);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("NodesTainted");
    assertThat(ready.getMessage()).isEqualTo("10/12 nodes; no Filebeat on gpu-1 (taint nvidia.com/gpu=present:NoSchedule),"
        + " gpu-2 (taint nvidia.com/gpu=present:NoSchedule): tolerate the taint in spec.shipper.tolerations"
        + " (absent tolerates every taint)");
    assertThat(status.getShippers()).isEqualTo("10/12");
    assertThat(status.getShipper().desired()).isEqualTo(12);
    assertThat(status.getPhase()).isNotEqualTo(io.logpipeline.operator.api.Phase.Ready);

    // with the default tolerations the DaemonSet runs there too, and all is well
    var tolerated = withNodes(lp -> { }, 12, nodes);
    assertThat(shipperReady(tolerated).getStatus()).isEqualTo("True");
    assertThat(shipperReady(tolerated).getMessage()).isEqualTo("12/12 nodes");
  }

  @Test
  void manyUncoveredNodesAreNamedFiveAtATime() throws Exception {
    List<Node> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(ShipperCoverageTest.node("gpu-" + i, "containerd://1.7.27", ShipperCoverageTest.GPU));
    }
    var ready = shipperReady(withNodes(lp -> lp.getSpec().getShipper().setTolerations(new java.util.ArrayList<>()),
        0, nodes));
    assertThat(ready.getReason()).isEqualTo("NodesTainted");
    assertThat(ready.getMessage()).startsWith("0/8 nodes; no Filebeat on gpu-0").contains("gpu-4 (taint")
        .doesNotContain("gpu-5 (").contains(" and 3 more:");
  }

  @Test
  void dockerNodesWithoutTheDockerMountAreReported() throws Exception {
    List<Node> nodes = List.of(ShipperCoverageTest.node("old-1", "docker://20.10.25"),
        ShipperCoverageTest.node("new-1", "containerd://1.7.27"));
    var ready = shipperReady(withNodes(lp -> { }, 2, nodes));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("LogsNotMounted");
    assertThat(ready.getMessage()).contains("old-1 (docker://20.10.25)")
        .contains("spec.shipper.containerRuntime: docker").doesNotContain("new-1");
    var docker = shipperReady(withNodes(lp -> lp.getSpec().getShipper().setContainerRuntime(
        io.logpipeline.operator.api.ContainerRuntime.DOCKER), 2, nodes));
    assertThat(docker.getStatus()).isEqualTo("True");
  }
}
