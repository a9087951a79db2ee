package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import io.logpipeline.operator.model.SpecProblem;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every condition's status, reason and message for the states the children can be in (created,
 * counted, partly ready, rolling out, ready; Strimzi's verdicts; a stage's error), and the phase
 * as a pipeline goes Progressing -> Ready -> Degraded -> Ready.
 */
class PipelineHealthTest {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final Instant LATER = Instant.parse("2026-11-25T12:05:00Z");

  static LogPipeline pipeline() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getMetadata().setGeneration(1L);
    // A lifecycle, so that the spec is valid without warnings.
    var lifecycle = new io.logpipeline.operator.api.LifecycleSpec();
    lifecycle.setDeleteAfter("30d");
    lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    lp.setStatus(null);
    return lp;
  }

  /** Children as their controllers report them when everything is ready. */
  static DaemonSetBuilder daemonSet() {
    return new DaemonSetBuilder().withNewMetadata().withName("app-filebeat").withGeneration(2L).endMetadata();
  }

  static DaemonSet readyDaemonSet() {
    return daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(3).withUpdatedNumberScheduled(3).build()).build();
  }

  static StatefulSetBuilder statefulSet() {
    return new StatefulSetBuilder().withNewMetadata().withName("app-logstash").withGeneration(4L).endMetadata();
  }

  static StatefulSet readyStatefulSet() {
    return statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2).build()).build();
  }

  static KafkaTopic topic(String status, String reason, String message) {
    var t = new KafkaTopicBuilder().withNewMetadata().withName("logs.logging.app").endMetadata();
    if (status != null) {
      t.withStatus(new KafkaTopicStatusBuilder().withConditions(new ConditionBuilder().withType("Ready")
          .withStatus(status).withReason(reason).withMessage(message).build()).build());
    }
    return t.build();
  }

  static PipelineHealth.Observed ready() {
    return new PipelineHealth.Observed(readyDaemonSet(), topic("True", null, null), readyStatefulSet());
  }

  static PipelineHealth.StageErrors none() {
    return new PipelineHealth.StageErrors(Map.of());
  }

  /** The status computed for {@code lp} (whose status is the previous one), set on it for the next step. */
  static LogPipelineStatus step(LogPipeline lp, PipelineHealth.Observed seen, PipelineHealth.StageErrors errors,
      Instant now) throws Exception {
    LogPipelineStatus status = PipelineHealth.provisioned(lp, Pipeline.resolve(lp), seen, errors, now);
    lp.setStatus(status);
    return status;
  }

  static Condition condition(LogPipelineStatus status, String type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  static void assertCondition(LogPipelineStatus status, String type, String value, String reason, String message) {
    Condition c = condition(status, type);
    assertThat(c.getStatus()).as(type).isEqualTo(value);
    assertThat(c.getReason()).as(type).isEqualTo(reason);
    assertThat(c.getMessage()).as(type).isEqualTo(message);
    assertThat(c.getObservedGeneration()).as(type).isEqualTo(1L);
  }

  static Condition shipper(DaemonSet ds) throws Exception {
    return condition(step(pipeline(), new PipelineHealth.Observed(ds, null, null), none(), NOW),
        PipelineHealth.SHIPPER_READY);
  }

  static Condition indexer(LogPipeline lp, StatefulSet d) throws Exception {
    return condition(step(lp, new PipelineHealth.Observed(null, null, d), none(), NOW), PipelineHealth.INDEXER_READY);
  }

  static Condition buffer(KafkaTopic topic) throws Exception {
    return condition(step(pipeline(), new PipelineHealth.Observed(null, topic, null), none(), NOW),
        PipelineHealth.BUFFER_READY);
  }

  // ---- ShipperReady -----------------------------------------------------------------------------

  @Test
  void aDaemonSetNotYetCountedByItsControllerIsNotReportedAsRunningOnNoNodes() throws Exception {
    var fresh = shipper(daemonSet().build());
    assertThat(fresh.getReason()).isEqualTo("NodesNotReady");
    assertThat(fresh.getMessage()).isEqualTo("waiting for the DaemonSet controller to schedule Filebeat");
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
    var ready = shipper(readyDaemonSet());
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Ready");
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
        new PipelineHealth.Observed(null, topic, null).withKafka(users, waiting, null), new PipelineHealth.StageErrors(Map.of()), NOW);
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
    return PipelineHealth.provisioned(lp, p, new PipelineHealth.Observed(ds, null, null).withNodes(nodes),
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

  @Test
  void aMissingDaemonSetIsBeingCreated() throws Exception {
    var missing = shipper(null);
    assertThat(missing.getStatus()).isEqualTo("False");
    assertThat(missing.getReason()).isEqualTo("Creating");
  }

  /** Rolled out everywhere, but not every pod ready: what "rolled out" alone would call ready. */
  @Test
  void aDaemonSetRolledOutButNotReadyOnEveryNodeIsNotReady() throws Exception {
    var partly = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(1).withUpdatedNumberScheduled(3).build()).build());
    assertThat(partly.getStatus()).isEqualTo("False");
    assertThat(partly.getReason()).isEqualTo("NodesNotReady");
    assertThat(partly.getMessage()).isEqualTo("1/3 nodes");
  }

  @Test
  void aDaemonSetRollingOutSaysHowManyNodesRunTheCurrentSpec() throws Exception {
    var rolling = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(3).withUpdatedNumberScheduled(1).build()).build());
    assertThat(rolling.getStatus()).isEqualTo("False");
    assertThat(rolling.getReason()).isEqualTo(PipelineHealth.ROLLING_OUT);
    assertThat(rolling.getMessage()).isEqualTo("3/3 nodes ready, 1 of them updated to the current spec");
    // Counted for the previous spec only: its controller has not started the rollout yet.
    var unseen = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(1L)
        .withDesiredNumberScheduled(3).withNumberReady(3).withUpdatedNumberScheduled(3).build()).build());
    assertThat(unseen.getReason()).isEqualTo(PipelineHealth.ROLLING_OUT);
  }

  @Test
  void shipperCountsGoToTheStatus() throws Exception {
    LogPipelineStatus s = step(pipeline(), new PipelineHealth.Observed(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(2L).withDesiredNumberScheduled(5).withNumberReady(4).withUpdatedNumberScheduled(5)
        .build()).build(), null, null), none(), NOW);
    assertThat(s.getShippers()).isEqualTo("4/5");
    assertThat(s.getShipper()).isEqualTo(new LogPipelineStatus.ShipperStatus(5, 4));
  }

  // ---- BufferReady ------------------------------------------------------------------------------

  @Test
  void theBufferFollowsStrimzisVerdict() throws Exception {
    assertThat(buffer(null).getReason()).isEqualTo("Creating");
    var waiting = buffer(topic(null, null, null));
    assertThat(waiting.getStatus()).isEqualTo("False");
    assertThat(waiting.getReason()).isEqualTo("WaitingForStrimzi");
    assertThat(waiting.getMessage()).isEqualTo("topic logs.logging.app not yet reconciled by the Strimzi Topic"
        + " Operator of Kafka cluster my-cluster in namespace logging");
    var ready = buffer(topic("True", null, null));
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).isEqualTo("topic logs.logging.app Ready in Strimzi");
    var refused = buffer(topic("False", "KafkaError", "Replication factor: 3 larger than available brokers: 1."));
    assertThat(refused.getStatus()).isEqualTo("False");
    assertThat(refused.getReason()).isEqualTo("KafkaError");
    assertThat(refused.getMessage()).isEqualTo("Strimzi reports topic logs.logging.app not ready:"
        + " Replication factor: 3 larger than available brokers: 1.");
    var silent = buffer(topic("False", null, null));
    assertThat(silent.getReason()).isEqualTo("TopicNotReady");
    assertThat(silent.getMessage()).endsWith("not ready: no message");
  }

  // ---- IndexerReady -----------------------------------------------------------------------------

  @Test
  void theIndexerIsReadyWhenEveryReplicaIsReadyOnTheCurrentSpec() throws Exception {
    assertThat(indexer(pipeline(), null).getReason()).isEqualTo("Creating");
    var ready = indexer(pipeline(), readyStatefulSet());
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Ready");
    assertThat(ready.getMessage()).isEqualTo("2/2 replicas");

    var partly = indexer(pipeline(), statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(2).withReadyReplicas(1).withUpdatedReplicas(2).build()).build());
    assertThat(partly.getStatus()).isEqualTo("False");
    assertThat(partly.getReason()).isEqualTo("ReplicasNotReady");
    assertThat(partly.getMessage()).isEqualTo("1/2 replicas");

    var none = indexer(pipeline(), statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(2).withUpdatedReplicas(2).build()).build());
    assertThat(none.getReason()).isEqualTo("ReplicasNotReady");
    assertThat(none.getMessage()).isEqualTo("0/2 replicas");
  }

  @Test
  void anIndexerRollingOutSaysHowManyReplicasRunTheCurrentSpec() throws Exception {
    var rolling = indexer(pipeline(), statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(1).build()).build());
    assertThat(rolling.getStatus()).isEqualTo("False");
    assertThat(rolling.getReason()).isEqualTo(PipelineHealth.ROLLING_OUT);
    assertThat(rolling.getMessage()).isEqualTo("2/2 replicas ready, 1 of them updated to the current spec");
    var unseen = indexer(pipeline(), statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(3L)
        .withReplicas(2).withReadyReplicas(2).withUpdatedReplicas(2).build()).build());
    assertThat(unseen.getReason()).as("not yet observed by its controller").isEqualTo(PipelineHealth.ROLLING_OUT);
    var noStatus = indexer(pipeline(), statefulSet().build());
    assertThat(noStatus.getReason()).as("a new StatefulSet is not a rollout").isEqualTo("ReplicasNotReady");
    assertThat(noStatus.getMessage()).isEqualTo("0/2 replicas");
  }

  @Test
  void anIndexerScaledToZeroOrWiderThanTheTopicSaysSo() throws Exception {
    LogPipeline zero = pipeline();
    zero.getSpec().getIndexer().setReplicas(0);
    var scaledToZero = indexer(zero, statefulSet().build());
    assertThat(scaledToZero.getStatus()).isEqualTo("False");
    assertThat(scaledToZero.getReason()).isEqualTo("ScaledToZero");
    assertThat(scaledToZero.getMessage()).isEqualTo("spec.indexer.replicas is 0: events wait in the topic");

    LogPipeline wide = pipeline();
    wide.getSpec().getIndexer().setReplicas(8);
    var idle = indexer(wide, statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(8).withReadyReplicas(8).withUpdatedReplicas(8).build()).build());
    assertThat(idle.getStatus()).isEqualTo("True");
    assertThat(idle.getMessage()).isEqualTo("8/8 replicas; 2 of them idle: the topic has only 6 partitions"
        + " (raise spec.kafka.topic.partitions or lower spec.indexer.replicas)");
    assertThat(wide.getStatus().getIndexers()).isEqualTo("8/8");
    assertThat(wide.getStatus().getIndexer()).isEqualTo(new LogPipelineStatus.IndexerStatus(8, 8));
  }

  // ---- errors, Ready and the phase --------------------------------------------------------------

  @Test
  void aStagesErrorIsItsConditionAndTheOthersStand() throws Exception {
    Map<String, StageException> errors = new LinkedHashMap<>();
    errors.put(PipelineHealth.INDEX_TEMPLATE_READY, new StageException("Unreachable", "cannot reach 127.0.0.1:9"));
    LogPipelineStatus s = step(pipeline(), ready(), new PipelineHealth.StageErrors(errors), NOW);
    assertCondition(s, PipelineHealth.INDEX_TEMPLATE_READY, "False", "Unreachable", "cannot reach 127.0.0.1:9");
    assertCondition(s, PipelineHealth.SHIPPER_READY, "True", "Ready", "3/3 nodes");
    assertCondition(s, PipelineHealth.READY, "False", "IndexTemplateReadyNotReady", "not ready: IndexTemplateReady");
    assertThat(s.getPhase()).as("a failing stage is Degraded even before the first Ready").isEqualTo(Phase.Degraded);
  }

  @Test
  void everyStageReadyIsReadyAndNamesTheTemplate() throws Exception {
    LogPipelineStatus s = step(pipeline(), ready(), none(), NOW);
    assertThat(s.getConditions()).extracting(Condition::getType).containsExactly(PipelineHealth.VALID,
        PipelineHealth.SHIPPER_READY, PipelineHealth.BUFFER_READY, PipelineHealth.INDEXER_READY,
        PipelineHealth.INDEX_TEMPLATE_READY, PipelineHealth.READY);
    assertCondition(s, PipelineHealth.VALID, "True", "Valid", "spec is valid");
    assertCondition(s, PipelineHealth.INDEX_TEMPLATE_READY, "True", "Ready", "index template logs-logging.app is current");
    assertCondition(s, PipelineHealth.READY, "True", "Ready", "every stage is ready");
    assertThat(s.getPhase()).isEqualTo(Phase.Ready);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(s.getBuffer()).isEqualTo(new LogPipelineStatus.BufferStatus("logs.logging.app", 6));
    assertThat(s.getIndexTemplate()).isEqualTo(new LogPipelineStatus.IndexTemplateStatus("logs-logging.app"));
  }

  @Test
  void theReadyConditionNamesEveryStageThatIsNot() throws Exception {
    LogPipelineStatus s = step(pipeline(), new PipelineHealth.Observed(null, topic(null, null, null), null), none(), NOW);
    assertCondition(s, PipelineHealth.READY, "False", "ShipperReadyNotReady",
        "not ready: ShipperReady, BufferReady, IndexerReady");
    assertThat(s.getPhase()).isEqualTo(Phase.Progressing);
  }

  @Test
  void aPipelineGoesProgressingReadyDegradedReady() throws Exception {
    LogPipeline lp = pipeline();
    var partlyReady = new PipelineHealth.Observed(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(2L).withDesiredNumberScheduled(3).withNumberReady(2).withUpdatedNumberScheduled(3)
        .build()).build(), topic("True", null, null), readyStatefulSet());

    assertThat(step(lp, partlyReady, none(), NOW).getPhase()).as("never ready yet").isEqualTo(Phase.Progressing);
    LogPipelineStatus ready = step(lp, ready(), none(), NOW);
    assertThat(ready.getPhase()).isEqualTo(Phase.Ready);
    LogPipelineStatus degraded = step(lp, partlyReady, none(), LATER);
    assertThat(degraded.getPhase()).as("pods lost after Ready").isEqualTo(Phase.Degraded);
    assertCondition(degraded, PipelineHealth.SHIPPER_READY, "False", "NodesNotReady", "2/3 nodes");
    assertThat(condition(degraded, PipelineHealth.SHIPPER_READY).getLastTransitionTime()).isEqualTo(LATER.toString());
    assertThat(condition(degraded, PipelineHealth.BUFFER_READY).getLastTransitionTime())
        .as("unchanged since it turned True").isEqualTo(NOW.toString());
    assertThat(step(lp, partlyReady, none(), LATER.plusSeconds(60)).getPhase()).as("stays Degraded")
        .isEqualTo(Phase.Degraded);
    LogPipelineStatus back = step(lp, ready(), none(), LATER.plusSeconds(120));
    assertThat(back.getPhase()).isEqualTo(Phase.Ready);
    assertThat(condition(back, PipelineHealth.SHIPPER_READY).getLastTransitionTime())
        .isEqualTo(LATER.plusSeconds(120).toString());
  }

  @Test
  void aRolloutOfAReadyPipelineIsProgressNotDegradation() throws Exception {
    LogPipeline lp = pipeline();
    step(lp, ready(), none(), NOW);
    var rolling = new PipelineHealth.Observed(readyDaemonSet(), topic("True", null, null),
        statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L).withReplicas(2)
            .withReadyReplicas(1).withUpdatedReplicas(1).build()).build());
    LogPipelineStatus s = step(lp, rolling, none(), LATER);
    assertThat(s.getPhase()).isEqualTo(Phase.Progressing);
    assertCondition(s, PipelineHealth.READY, "False", "IndexerReadyNotReady", "not ready: IndexerReady");
    // A rollout and a lost stage at once: Degraded; and still Degraded when the rollout is done.
    var rollingAndLost = new PipelineHealth.Observed(readyDaemonSet(), topic("False", "KafkaError", "down"),
        rolling.statefulSet());
    assertThat(step(lp, rollingAndLost, none(), LATER).getPhase()).isEqualTo(Phase.Degraded);
    step(lp, rolling, none(), LATER);
    var lostAfterRollout = new PipelineHealth.Observed(readyDaemonSet(), topic("False", "KafkaError", "down"),
        readyStatefulSet());
    assertThat(step(lp, lostAfterRollout, none(), LATER).getPhase()).isEqualTo(Phase.Degraded);
  }

  @Test
  void warningsOfAValidSpecAreInTheValidCondition() throws Exception {
    LogPipeline lp = pipeline();
    lp.getSpec().getKafka().getTopic().setName("logs.app_x");
    LogPipelineStatus s = step(lp, ready(), none(), NOW);
    Condition valid = condition(s, PipelineHealth.VALID);
    assertThat(valid.getStatus()).isEqualTo("True");
    assertThat(valid.getReason()).isEqualTo(PipelineHealth.WITH_WARNINGS);
    assertThat(valid.getMessage()).startsWith("spec is valid, but: spec.kafka.topic.name: 'logs.app_x' mixes");
  }

  // ---- the other statuses -----------------------------------------------------------------------

  @Test
  void anInvalidSpecFailsANewPipelineAndDegradesARunningOne() throws Exception {
    List<SpecProblem> problems = List.of(new SpecProblem("spec.kafka.topic.retention", "'7 days' is not a duration"),
        new SpecProblem("spec.indexer.replicas", "must be at least 0"));
    LogPipeline fresh = pipeline();
    LogPipelineStatus failed = PipelineHealth.invalid(fresh, "InvalidSpec", problems, false, NOW);
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertCondition(failed, PipelineHealth.VALID, "False", "InvalidSpec",
        "spec.kafka.topic.retention: '7 days' is not a duration; spec.indexer.replicas: must be at least 0");
    assertCondition(failed, PipelineHealth.READY, "False", "InvalidSpec", "nothing was provisioned");

    LogPipeline running = pipeline();
    step(running, ready(), none(), NOW);
    LogPipelineStatus degraded = PipelineHealth.invalid(running, "InvalidSpec", problems, true, LATER);
    assertThat(degraded.getPhase()).isEqualTo(Phase.Degraded);
    assertCondition(degraded, PipelineHealth.READY, "False", "InvalidSpec", "the last valid spec keeps running unchanged");
    assertThat(degraded.getShippers()).as("the last observations stay").isEqualTo("3/3");
    assertThat(degraded.getIndexers()).isEqualTo("2/2");
    // Children gone, but it was running: still Degraded, not Failed.
    assertThat(PipelineHealth.invalid(running, "MissingReference", problems, false, LATER).getPhase())
        .isEqualTo(Phase.Degraded);
  }

  @Test
  void aDeletionWaitingForTheTemplateSaysHowToSkipIt() throws Exception {
    LogPipeline lp = pipeline();
    step(lp, ready(), none(), NOW);
    LogPipelineStatus s = PipelineHealth.deleting(lp, new PipelineHealth.StageErrors(Map.of(
        PipelineHealth.INDEX_TEMPLATE_READY, new StageException("Unreachable", "cannot reach es:9200"))), LATER);
    assertThat(s.getPhase()).isEqualTo(Phase.Deleting);
    assertCondition(s, PipelineHealth.INDEX_TEMPLATE_READY, "False", "Unreachable", "cannot reach es:9200");
    Condition ready = condition(s, PipelineHealth.READY);
    assertThat(ready.getReason()).isEqualTo("Deleting");
    assertThat(ready.getMessage()).startsWith("deletion waits for: IndexTemplateReady; retrying (if the search")
        .contains(LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true");
    LogPipelineStatus topicOnly = PipelineHealth.deleting(lp, new PipelineHealth.StageErrors(Map.of(
        PipelineHealth.BUFFER_READY, new StageException("ApplyFailed", "HTTP 500"))), LATER);
    assertThat(condition(topicOnly, PipelineHealth.READY).getMessage()).isEqualTo("deletion waits for: BufferReady; retrying");
  }

  @Test
  void anUnexpectedFailureKeepsWhatWasObservedAndSaysWhatFailed() throws Exception {
    LogPipeline lp = pipeline();
    step(lp, ready(), none(), NOW);
    lp.getMetadata().setGeneration(2L);
    LogPipelineStatus s = PipelineHealth.reconcileFailed(lp, "boom", LATER);
    assertThat(s.getPhase()).isEqualTo(Phase.Ready);
    assertThat(s.getObservedGeneration()).as("the new generation was not reconciled").isEqualTo(1L);
    Condition ready = condition(s, PipelineHealth.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).isEqualTo("boom");
    assertThat(s.getConditions()).filteredOn(c -> c.getType().equals(PipelineHealth.READY)).hasSize(1);
    assertThat(condition(s, PipelineHealth.SHIPPER_READY).getStatus()).isEqualTo("True");
  }

  @Test
  void aPausedPipelineSaysSo() throws Exception {
    LogPipeline lp = pipeline();
    step(lp, ready(), none(), NOW);
    LogPipelineStatus s = PipelineHealth.paused(lp, LATER);
    assertThat(s.getPhase()).isEqualTo(Phase.Paused);
    assertCondition(s, PipelineHealth.READY, "False", "Paused", "spec.paused is true: the operator changes nothing");
    assertThat(s.getShippers()).isEqualTo("3/3");
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void flowingIsApartFromReadyAndCarriesTheFlowValues() throws Exception {
    LogPipeline lp = pipeline();
    LogPipelineStatus off = step(lp, ready(), none(), NOW);
    assertThat(off.getConditions()).as("without a flow observer there is no Flowing condition")
        .extracting(Condition::getType).doesNotContain(PipelineHealth.FLOWING);
    LogPipelineStatus before = step(lp, ready().withFlow(io.logpipeline.operator.health.FlowVerdict.notObserved()), none(), NOW);
    assertCondition(before, PipelineHealth.FLOWING, "Unknown", "NotObservedYet", "the data path has not been observed yet");
    assertThat(before.getFlow()).isNull();

    var flow = new LogPipelineStatus.FlowStatus(120L, "4s", "2.1s", 0L, "2026-11-25T12:00:00Z");
    LogPipelineStatus stuck = step(lp, ready().withFlow(new io.logpipeline.operator.health.FlowVerdict(
        "False", "LagGrowing", "lag grew", flow)), none(), NOW.plusSeconds(60));
    assertCondition(stuck, PipelineHealth.FLOWING, "False", "LagGrowing", "lag grew");
    assertCondition(stuck, PipelineHealth.READY, "True", "Ready", "every stage is ready");
    assertThat(stuck.getPhase()).isEqualTo(Phase.Ready);
    assertThat(stuck.getFlow()).isEqualTo(flow);
    assertThat(stuck.getConditions()).extracting(Condition::getType).containsExactly(PipelineHealth.VALID,
        PipelineHealth.SHIPPER_READY, PipelineHealth.BUFFER_READY, PipelineHealth.INDEXER_READY,
        PipelineHealth.INDEX_TEMPLATE_READY, PipelineHealth.READY, PipelineHealth.FLOWING);
    assertThat(condition(stuck, PipelineHealth.FLOWING).getLastTransitionTime()).isEqualTo("2026-11-25T12:01:00Z");
  }

  // ---- placement, stage errors and the rarer states (mutation testing found them untested) ----

  static ShipperPlacement placement(boolean shared) {
    io.logpipeline.operator.api.ShipperClass cls = ShipperClassesTest.shipperClass("fast", false);
    var member = new io.logpipeline.operator.api.ShipperClassStatus.Member("logging/app", "Configured", "2026-11-25T11:00:00Z");
    var group = new io.logpipeline.operator.api.ShipperClassStatus.Group("lp-shipper-fast-1", "b:9092", List.of(member), "Ready");
    return shared ? new ShipperPlacement(cls, group, member, true, false, null)
        : new ShipperPlacement(cls, null, null, false, true, List.of("/var/log/containers/*_logging_*.log"));
  }

  @Test
  void aSharedShipperIsReportedFromItsClassesRecord() throws Exception {
    LogPipelineStatus s = step(pipeline(), ready().withPlacement(placement(true)), none(), NOW);
    assertCondition(s, PipelineHealth.SHIPPER_READY, "True", "Ready",
        "shared Filebeat lp-shipper-fast-1 of ShipperClass fast is ready on every node");
    assertCondition(s, PipelineHealth.SHIPPER_CONFIGURED, "True", "Configured",
        "this pipeline's input is loaded in shared Filebeat lp-shipper-fast-1 (ShipperClass fast)");
    // Its own DaemonSet's counts are not the shared Filebeat's.
    assertThat(s.getShippers()).isNull();
    assertThat(s.getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void aPipelineWithTheTenantsKafkaCredentialsSaysItsFilebeatIsItsOwn() throws Exception {
    LogPipeline lp = pipeline();
    lp.getSpec().getKafka().setCluster(null);
    lp.getSpec().getKafka().setBootstrapServers("b-1.msk.aws:9094");
    var tls = new io.logpipeline.operator.api.KafkaTlsSpec();
    var ca = new io.logpipeline.operator.api.SecretKeySpec();
    ca.setName("msk-ca");
    ca.setKey("ca.crt");
    tls.setCaSecret(ca);
    lp.getSpec().getKafka().setTls(tls);
    LogPipelineStatus s = step(lp, ready().withPlacement(placement(true)), none(), NOW);
    assertCondition(s, PipelineHealth.SHIPPER_CONFIGURED, "True", SharedShipperHealth.OWN_KAFKA_CREDENTIALS,
        "this pipeline's input is loaded in Filebeat lp-shipper-fast-1 of its own in the operator's namespace"
            + " (ShipperClass fast): its Kafka credentials come from a Secret in its namespace, which a Filebeat"
            + " shared with other pipelines would use for their logs too");
    LogPipelineStatus own = step(pipeline(), ready().withPlacement(ShipperPlacement.own()), none(), NOW);
    assertThat(own.getConditions()).extracting(Condition::getType).doesNotContain(PipelineHealth.SHIPPER_CONFIGURED);
    LogPipelineStatus none = step(pipeline(), ready().withPlacement(null), none(), NOW);
    assertThat(none.getConditions()).extracting(Condition::getType).doesNotContain(PipelineHealth.SHIPPER_CONFIGURED);
    assertThat(none.getShippers()).isEqualTo("3/3");
  }

  @Test
  void eachStagesErrorIsItsCondition() throws Exception {
    for (String type : List.of(PipelineHealth.SHIPPER_READY, PipelineHealth.BUFFER_READY, PipelineHealth.INDEXER_READY)) {
      var errors = new PipelineHealth.StageErrors(Map.of(type, new StageException("Conflict", type + " conflicts")));
      LogPipelineStatus s = step(pipeline(), ready(), errors, NOW);
      assertCondition(s, type, "False", "Conflict", type + " conflicts");
      assertThat(s.getPhase()).as(type).isEqualTo(Phase.Degraded);
    }
  }

  @Test
  void logstashWaitsForTheIndexTemplate() throws Exception {
    var errors = new PipelineHealth.StageErrors(Map.of(PipelineHealth.INDEX_TEMPLATE_READY,
        new StageException("SearchUnreachable", "cannot reach es")));
    LogPipelineStatus s = step(pipeline(), new PipelineHealth.Observed(readyDaemonSet(), topic("True", null, null), null),
        errors, NOW);
    assertCondition(s, PipelineHealth.INDEXER_READY, "False", "WaitingForIndexTemplate", "Logstash starts once the"
        + " index templates are in the search cluster (see IndexTemplateReady)");
  }

  @Test
  void aTopicWithoutPartitionsInTheSpecHasTheDefaultSix() throws Exception {
    LogPipeline lp = pipeline();
    lp.getSpec().getKafka().setTopic(null);
    assertThat(step(lp, ready(), none(), NOW).getBuffer().partitions()).isEqualTo(6);
  }

  @Test
  void asManyReplicasAsPartitionsLeaveNoneIdleAndAStatefulSetNotYetCountedIsNotRollingOut() throws Exception {
    LogPipeline lp = pipeline();
    var indexer = new io.logpipeline.operator.api.IndexerSpec();
    indexer.setReplicas(6);
    lp.getSpec().setIndexer(indexer);
    StatefulSet six = statefulSet().withStatus(new StatefulSetStatusBuilder().withObservedGeneration(4L)
        .withReplicas(6).withReadyReplicas(6).withUpdatedReplicas(6).build()).build();
    Condition ready = indexer(lp, six);
    assertThat(ready.getReason()).isEqualTo("Ready");
    assertThat(ready.getMessage()).isEqualTo("6/6 replicas");
    Condition uncounted = indexer(pipeline(), statefulSet().build());
    assertThat(uncounted.getReason()).isEqualTo("ReplicasNotReady");
    assertThat(uncounted.getMessage()).isEqualTo("0/2 replicas");
  }

  @Test
  void aRunningPipelineWhoseStageFailsWithoutARolloutIsDegraded() throws Exception {
    LogPipeline lp = pipeline();
    step(lp, ready(), none(), NOW);
    DaemonSet partly = daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(2).withUpdatedNumberScheduled(3).build()).build();
    LogPipelineStatus s = step(lp, new PipelineHealth.Observed(partly, topic("True", null, null), readyStatefulSet()),
        none(), LATER);
    assertThat(s.getPhase()).isEqualTo(Phase.Degraded);
  }

  @Test
  void anExternalTopicIsBeingCreatedUntilTheOperatorMadeIt() throws Exception {
    LogPipeline lp = pipeline();
    lp.getSpec().getKafka().setCluster(null);
    lp.getSpec().getKafka().setBootstrapServers("b-1.msk.example.com:9092");
    LogPipelineStatus s = step(lp, new PipelineHealth.Observed(readyDaemonSet(), null, readyStatefulSet()), none(), NOW);
    assertCondition(s, PipelineHealth.BUFFER_READY, "False", "Creating", "topic logs.logging.app is being created");
  }

  @Test
  void onlyStrimzisReadyConditionSpeaksForTheTopic() throws Exception {
    KafkaTopic topic = new KafkaTopicBuilder().withNewMetadata().withName("logs.logging.app").endMetadata()
        .withStatus(new KafkaTopicStatusBuilder().withConditions(
            new ConditionBuilder().withType("Warning").withStatus("True").withReason("Odd").withMessage("odd").build(),
            new ConditionBuilder().withType("Ready").withStatus("False").withReason("Broken").withMessage("broken").build())
            .build()).build();
    Condition c = buffer(topic);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).contains("broken");
  }

  @Test
  void aDeletionWaitingForAnExternalTopicSaysHowToFinishWithoutIt() {
    LogPipeline lp = pipeline();
    lp.getSpec().getKafka().setCluster(null);
    lp.getSpec().getKafka().setBootstrapServers("b-1.msk.example.com:9092");
    var errors = new PipelineHealth.StageErrors(Map.of(PipelineHealth.BUFFER_READY,
        new StageException("KafkaUnreachable", "cannot reach Kafka")));
    assertThat(condition(PipelineHealth.deleting(lp, errors, NOW), PipelineHealth.READY).getMessage())
        .isEqualTo("deletion waits for: BufferReady; retrying (if the Kafka cluster is gone for good, annotate the"
            + " LogPipeline with " + LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true to finish without deleting the topic)");
    assertThat(condition(PipelineHealth.deleting(pipeline(), errors, NOW), PipelineHealth.READY).getMessage())
        .isEqualTo("deletion waits for: BufferReady; retrying");
  }

  @Test
  void drainingAndFailedDrainsAreNamed() {
    var claim = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("queue-app-logstash-3").endMetadata().build();
    assertThat(PipelineHealth.drainMessage(new io.logpipeline.operator.model.QueueDrain.Plan(List.of(), List.of(),
        List.of(claim), List.of("queue-app-logstash-2"), Map.of("queue-app-logstash-4", "app-drain-4"))))
        .isEqualTo("draining queue volumes of removed replicas before deleting them: queue-app-logstash-2,"
            + " queue-app-logstash-3; drain Job app-drain-4 failed, queue volume queue-app-logstash-4 is kept:"
            + " read the Job's pod logs, fix the cause, then delete the Job to retry");
    assertThat(PipelineHealth.drainMessage(new io.logpipeline.operator.model.QueueDrain.Plan(List.of(), List.of(),
        List.of(claim), List.of(), Map.of()))).isEqualTo(
        "draining queue volumes of removed replicas before deleting them: queue-app-logstash-3");
    assertThat(PipelineHealth.drainMessage(new io.logpipeline.operator.model.QueueDrain.Plan(List.of(), List.of(),
        List.of(), List.of(), Map.of()))).isEqualTo("no queue volume left to drain");
  }

  @Test
  void aPausedPipelineKeepsEveryObservation() throws Exception {
    LogPipeline lp = pipeline();
    LogPipelineStatus before = step(lp, ready().withFlow(new io.logpipeline.operator.health.FlowVerdict("True", "Flowing",
        "flowing", new LogPipelineStatus.FlowStatus(1L, "1s", "1s", 0L, "2026-11-25T12:00:00Z"))), none(), NOW);
    LogPipelineStatus paused = PipelineHealth.paused(lp, LATER);
    assertThat(paused.getShipper()).isEqualTo(before.getShipper()).isNotNull();
    assertThat(paused.getBuffer()).isEqualTo(before.getBuffer()).isNotNull();
    assertThat(paused.getIndexer()).isEqualTo(before.getIndexer()).isNotNull();
    assertThat(paused.getIndexers()).isEqualTo(before.getIndexers()).isNotNull();
    assertThat(paused.getIndexTemplate()).isEqualTo(before.getIndexTemplate()).isNotNull();
    assertThat(paused.getFlow()).isEqualTo(before.getFlow()).isNotNull();
  }

  @Test
  void fiveNodesAreAllNamed() {
    List<ShipperCoverage.TaintedNode> nodes = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      nodes.add(new ShipperCoverage.TaintedNode("n" + i, List.of(ShipperCoverageTest.GPU)));
    }
    assertThat(PipelineHealth.uncovered(new ShipperCoverage(nodes, List.of()))).doesNotContain("more")
        .contains("n5 (taint nvidia.com/gpu=present:NoSchedule)");
  }
}
