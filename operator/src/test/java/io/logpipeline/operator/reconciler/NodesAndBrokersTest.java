package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.TestLogPipelines.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator against nodes and a Strimzi cluster it can see: ShipperReady counts the nodes a
 * taint keeps Filebeat off, and names them, as nodes come and go; a replication factor above the
 * cluster's brokers, or a min.insync.replicas above the replication factor, is refused before
 * anything is written. The test plays the DaemonSet controller, which counts only the nodes its
 * pods tolerate.
 */
@EnableKubernetesMockClient(crud = true)
class NodesAndBrokersTest {

  static KubernetesClient client;
  static OpenSearchNode search;
  static LogPipelineOperator operator;

  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";

  @BeforeAll
  static void start() {
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    installNodePools();
    search = OpenSearchNode.startNew();
    operator = LogPipelineOperator.start(client, new CountingSearch().clients(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (search != null) {
      search.close();
    }
  }

  static LogPipeline pipeline(String name) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    // as many as the test's Kafka has brokers
    lp.getSpec().getKafka().getTopic().setReplicas(1);
    lp.getSpec().getElasticsearch().setFlavor(io.logpipeline.operator.api.Flavor.OPENSEARCH);
    return lp;
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  /**
   * As kubectl edit does: read, change, replace (which, unlike a computed patch, also removes a
   * field set back to absent), again on a conflict with a status write.
   */
  static void changeSpec(String name, java.util.function.Consumer<LogPipeline> change) {
    await().atMost(Duration.ofSeconds(30)).ignoreException(KubernetesClientException.class).until(() -> {
      LogPipeline lp = current(name);
      change.accept(lp);
      client.resource(lp).update();
      return true;
    });
  }

  /** What the DaemonSet controller reports once its pods run, ready, on {@code nodes} nodes. */
  static void daemonSetRunsOn(String name, int nodes) {
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.apps().daemonSets().inNamespace(NS).withName(name + "-filebeat").get() != null);
    DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName(name + "-filebeat").get();
    ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(nodes).withNumberReady(nodes)
        .withCurrentNumberScheduled(nodes).withUpdatedNumberScheduled(nodes).withNumberAvailable(nodes)
        .withObservedGeneration(ds.getMetadata().getGeneration()).build());
    client.resource(ds).updateStatus();
  }

  /** What the StatefulSet controller reports once the Logstash replicas are ready. */
  static void indexerReady(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.apps().statefulSets().inNamespace(NS).withName(name + "-logstash").get() != null);
    var statefulSet = client.apps().statefulSets().inNamespace(NS).withName(name + "-logstash").get();
    int replicas = statefulSet.getSpec().getReplicas();
    statefulSet.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder().withReplicas(replicas)
        .withReadyReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
        .withCurrentReplicas(replicas).withCurrentRevision("r1").withUpdateRevision("r1")
        .withObservedGeneration(statefulSet.getMetadata().getGeneration()).build());
    client.resource(statefulSet).updateStatus();
  }

  static void topicReady(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> topic(name) != null);
    KafkaTopic topic = topic(name);
    topic.setStatus(new io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder().withConditions(
        new io.strimzi.api.kafka.model.common.ConditionBuilder().withType("Ready").withStatus("True").build()).build());
    client.resource(topic).updateStatus();
  }

  static KafkaTopic topic(String name) {
    return client.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withName("logs." + NS + "." + name).get();
  }

  static Node node(String name, boolean gpu) {
    return new NodeBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/os", "linux").endMetadata()
        .withNewSpec().withTaints(gpu ? List.of(new TaintBuilder().withKey("nvidia.com/gpu")
            .withValue("present").withEffect("NoSchedule").build()) : null).endSpec()
        .withNewStatus().withNewNodeInfo().withContainerRuntimeVersion("containerd://1.7.27").endNodeInfo()
        .endStatus()
        .build();
  }

  /**
   * A pipeline that tolerates no taint runs on the two plain nodes; a GPU node joins, which the
   * DaemonSet does not count: the node's arrival alone turns ShipperReady False and names it.
   * Tolerating every taint again (the default) puts Filebeat there too.
   */
  @Test
  void aTaintedNodeWithoutAShipperIsCountedNamedAndCoveredByTheDefault() {
    client.nodes().resource(node("plain-1", false)).create();
    client.nodes().resource(node("plain-2", false)).create();
    LogPipeline lp = pipeline("gpu-logs");
    lp.getSpec().getShipper().setTolerations(new ArrayList<>());
    client.resource(lp).create();
    daemonSetRunsOn("gpu-logs", 2);
    topicReady("gpu-logs");
    indexerReady("gpu-logs");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("gpu-logs");
      assertThat(seen.getStatus()).isNotNull();
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(condition(seen, PipelineHealth.SHIPPER_READY).getMessage()).isEqualTo("2/2 nodes");
    });

    client.nodes().resource(node("gpu-1", true)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("gpu-logs");
      var shipper = condition(seen, PipelineHealth.SHIPPER_READY);
      assertThat(shipper.getStatus()).isEqualTo("False");
      assertThat(shipper.getReason()).isEqualTo("NodesTainted");
      assertThat(shipper.getMessage()).startsWith("2/3 nodes; no Filebeat on gpu-1 (taint nvidia.com/gpu=present:NoSchedule)");
      assertThat(seen.getStatus().getShippers()).isEqualTo("2/3");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    });

    changeSpec("gpu-logs", pipeline -> pipeline.getSpec().getShipper().setTolerations(null));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        client.apps().daemonSets().inNamespace(NS).withName("gpu-logs-filebeat").get()
            .getSpec().getTemplate().getSpec().getTolerations())
        .singleElement().satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists")));
    daemonSetRunsOn("gpu-logs", 3);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("gpu-logs");
      assertThat(condition(seen, PipelineHealth.SHIPPER_READY).getMessage()).isEqualTo("3/3 nodes");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Ready);
    });
  }

  /** Strimzi's cluster has one broker (kafka-single-node.yaml's dual-role pool of one node). */
  @Test
  void aReplicationFactorAboveTheBrokersIsRefusedBeforeTheTopicExists() {
    LogPipeline three = pipeline("single");
    three.getSpec().getKafka().getTopic().setReplicas(3);
    client.resource(three).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("single");
      assertThat(seen.getStatus()).isNotNull();
      var valid = condition(seen, PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("KafkaClusterTooSmall");
      assertThat(valid.getMessage()).isEqualTo("spec.kafka.topic.replicas: is 3 but Strimzi Kafka my-cluster"
          + " has 1 broker, so the topic cannot be created: use at most 1 (min.insync.replicas follows:"
          + " replicas - 1, at least 1), or add brokers");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Failed);
    });
    assertThat(topic("single")).isNull();

    changeSpec("single", lp -> lp.getSpec().getKafka().getTopic().setReplicas(1));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      KafkaTopic topic = topic("single");
      assertThat(topic).isNotNull();
      assertThat(topic.getSpec().getReplicas()).isEqualTo(1);
      assertThat(topic.getSpec().getConfig()).containsEntry("min.insync.replicas", "1");
      assertThat(condition(current("single"), PipelineHealth.VALID).getStatus()).isEqualTo("True");
    });
  }

  /**
   * The README's quick start as written: samples/quickstart.yaml against kafka-single-node.yaml's
   * cluster, with the Secrets the README copies from ECK (the search host is this test's).
   */
  @Test
  void theQuickStartPipelineFitsTheSingleNodeKafka() throws Exception {
    LogPipeline sample = (LogPipeline) io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
        java.nio.file.Files.readString(java.nio.file.Path.of("../samples/quickstart.yaml")));
    assertThat(sample.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(sample.getSpec().getKafka().getNamespace()).isEqualTo(KAFKA_NS);
    sample.getSpec().getElasticsearch().setHosts(new ArrayList<>(List.of(search.httpUri().toString())));
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("es-creds")
        .withNamespace(NS).endMetadata().addToStringData("username", "elastic")
        .addToStringData("password", "from-eck").build()).create();
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("es-ca")
        .withNamespace(NS).endMetadata().addToStringData("ca.crt", "-----BEGIN CERTIFICATE-----").build()).create();
    client.resource(sample).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      KafkaTopic topic = topic(sample.getMetadata().getName());
      assertThat(topic).isNotNull();
      assertThat(topic.getSpec().getReplicas()).isEqualTo(1);
      assertThat(topic.getSpec().getConfig()).containsEntry("min.insync.replicas", "1");
      assertThat(condition(current(sample.getMetadata().getName()), PipelineHealth.VALID).getStatus())
          .isEqualTo("True");
    });
  }

  @Test
  void aMinInsyncReplicasAboveTheReplicasIsRefusedAndTheTopicKeptAsItWas() {
    client.resource(pipeline("insync")).create();
    topicReady("insync");
    String version = topic("insync").getMetadata().getResourceVersion();

    changeSpec("insync", pipeline -> pipeline.getSpec().getKafka().getTopic().getConfig()
        .put("min.insync.replicas", "2"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var valid = condition(current("insync"), PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("InvalidSpec");
      assertThat(valid.getMessage()).startsWith("spec.kafka.topic.config.min.insync.replicas: is 2 but the topic"
          + " has 1 replica");
    });
    assertThat(topic("insync").getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(topic("insync").getSpec().getConfig()).containsEntry("min.insync.replicas", "1");
  }

  /**
   * Strimzi's KafkaNodePool CRD and the pool of "my-cluster" as Strimzi's kafka-single-node.yaml
   * (the README's quick start) has it: one node, controller and broker; and a pool of another
   * cluster, which does not count.
   */
  static void installNodePools() {
    TestLogPipelines.installStrimziNodePools(client);
    pool("dual-role", "my-cluster", 1, "controller", "broker");
    pool("brokers", "other-cluster", 5, "broker");
  }

  static void pool(String name, String cluster, int replicas, String... roles) {
    TestLogPipelines.nodePool(client, KAFKA_NS, name, cluster, replicas, roles);
  }
}
