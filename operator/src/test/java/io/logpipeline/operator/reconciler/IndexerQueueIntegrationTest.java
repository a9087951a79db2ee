package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.QueueDrain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexer's queue volumes through the real operator, against the mock API server and a real
 * OpenSearch node: the StatefulSet with a claim per replica, the migration from the Deployment of
 * earlier versions, drains of the volumes of removed replicas (a Job that succeeds, one that
 * fails), deletion under both policies. The StatefulSet and Job controllers are played by
 * {@link SimulatedControllers}.
 */
@EnableKubernetesMockClient(crud = true)
class IndexerQueueIntegrationTest {

  static KubernetesMockServer server;
  static KubernetesClient client;
  static OpenSearchNode search;
  static HttpSearchClient searchClient;
  static LogPipelineOperator operator;
  static SimulatedControllers controllers;

  static final String NS = "queues";
  static final String KAFKA_NS = "kafka";

  @BeforeAll
  static void start() {
    ApiSemantics.apply(server, client);
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    search = OpenSearchNode.startNew();
    searchClient = new HttpSearchClient(SearchConnection.plain(search.httpUri()));
    controllers = SimulatedControllers.start(client, 2);
    operator = LogPipelineOperator.start(client, SearchClients.http(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {operator, controllers, searchClient, search}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Closing what is left.
      }
    }
  }

  @AfterEach
  void defaults() {
    controllers.jobOutcome(SimulatedControllers.JobOutcome.SUCCEEDED);
  }

  static LogPipeline pipeline(String name, DeletionPolicy policy, int replicas) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    lp.getSpec().getElasticsearch().setFlavor(Flavor.OPENSEARCH);
    lp.getSpec().getIndexer().setReplicas(replicas);
    lp.getSpec().setDeletionPolicy(policy);
    return lp;
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  static StatefulSet statefulSet(String name) {
    return client.apps().statefulSets().inNamespace(NS).withName(name + "-logstash").get();
  }

  static List<String> claims(String name) {
    return client.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().startsWith("queue-" + name + "-logstash-"))
        .filter(c -> c.getMetadata().getDeletionTimestamp() == null)
        .map(c -> c.getMetadata().getName()).sorted().toList();
  }

  static List<Job> drainJobs(String name) {
    return client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getName().startsWith(name + "-logstash-drain-")).toList();
  }

  static void changeReplicas(String name, int replicas) {
    client.resources(LogPipeline.class).inNamespace(NS).withName(name).edit(lp -> {
      lp.getSpec().getIndexer().setReplicas(replicas);
      return lp;
    });
  }

  static io.fabric8.kubernetes.api.model.Condition indexer(String name) {
    return TestLogPipelines.condition(current(name), PipelineHealth.INDEXER_READY);
  }

  static void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      LogPipeline lp = current(name);
      assertThat(lp.getStatus()).isNotNull();
      assertThat(lp.getStatus().getObservedGeneration()).isEqualTo(lp.getMetadata().getGeneration());
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Ready);
    });
  }

  @Test
  void eachReplicaGetsAQueueVolumeAndTheIndexerIsReadyOnceTheyAre() throws Exception {
    client.resource(pipeline("orders", DeletionPolicy.Delete, 3)).create();
    awaitReady("orders");

    StatefulSet sts = statefulSet("orders");
    assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
      assertThat(t.getMetadata().getName()).isEqualTo("queue");
      assertThat(t.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("8Gi");
    });
    assertThat(claims("orders")).containsExactly(
        "queue-orders-logstash-0", "queue-orders-logstash-1", "queue-orders-logstash-2");
    assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("orders-logstash").get()
        .getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(searchClient.getIndexTemplate("logs-queues.orders_deadletter")).as("dead-letter template").isPresent();
    assertThat(current("orders").getStatus().getIndexers()).isEqualTo("3/3");
    assertThat(drainJobs("orders")).isEmpty();
  }

  @Test
  void anExistingDeploymentKeepsRunningUntilTheStatefulSetIsReadyThenGoes() throws Exception {
    LogPipeline lp = pipeline("legacy", DeletionPolicy.Delete, 2);
    lp.getSpec().setPaused(true);
    LogPipeline created = client.resource(lp).create();
    // What the previous version of the operator made: a Deployment of the same name, owned.
    Pipeline p = Pipeline.resolve(created);
    Deployment old = new DeploymentBuilder()
        .withMetadata(p.metadata(p.indexerName(), Pipeline.COMPONENT_INDEXER, "logstash"))
        .editMetadata().addNewOwnerReference().withApiVersion("logpipeline.io/v1alpha1").withKind("LogPipeline")
            .withName("legacy").withUid(created.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(p.selectorLabels("logstash")).endSelector()
            .withNewTemplate().withNewMetadata().withLabels(p.labels(Pipeline.COMPONENT_INDEXER, "logstash")).endMetadata()
            .withNewSpec().addNewContainer().withName("logstash").withImage(IndexerModel.DEFAULT_IMAGE).endContainer()
            .endSpec().endTemplate().endSpec()
        .build();
    client.resource(old).create();
    controllers.readyPods(NS, "legacy-logstash", 0);

    // The operator has written the finalizer and the Paused status; unpausing may still race a
    // write of its own (409), which a user's kubectl would simply retry.
    await().atMost(Duration.ofSeconds(30)).until(() -> current("legacy").getStatus() != null
        && current("legacy").getStatus().getPhase() == Phase.Paused);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      client.resources(LogPipeline.class).inNamespace(NS).withName("legacy").edit(l -> {
        l.getSpec().setPaused(false);
        return l;
      });
      return true;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(statefulSet("legacy")).isNotNull();
      assertThat(indexer("legacy").getMessage()).contains("the Deployment legacy-logstash of the previous version"
          + " keeps consuming until the StatefulSet is ready");
    });
    // Not ready yet: both consume, in one consumer group, and the Deployment stays.
    Thread.sleep(1_000);
    assertThat(client.apps().deployments().inNamespace(NS).withName("legacy-logstash").get()).isNotNull();

    controllers.healthy(NS, "legacy-logstash");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.apps().deployments().inNamespace(NS).withName("legacy-logstash").get()).isNull());
    awaitReady("legacy");
    assertThat(claims("legacy")).hasSize(2);
  }

  @Test
  void aScaleDownDrainsTheRemovedReplicasVolumesBeforeDeletingThem() throws Exception {
    client.resource(pipeline("billing", DeletionPolicy.Delete, 3)).create();
    awaitReady("billing");
    controllers.jobOutcome(SimulatedControllers.JobOutcome.RUNNING);

    changeReplicas("billing", 1);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(drainJobs("billing")).extracting(j -> j.getMetadata().getName())
          .containsExactlyInAnyOrder("billing-logstash-drain-1", "billing-logstash-drain-2");
      assertThat(current("billing").getStatus().getIndexer().draining())
          .containsExactly("queue-billing-logstash-1", "queue-billing-logstash-2");
      assertThat(indexer("billing").getMessage()).contains("draining queue volumes of removed replicas");
    });
    Job job = drainJobs("billing").stream().filter(j -> j.getMetadata().getName().endsWith("-1")).findFirst().orElseThrow();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("queue");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("queue-billing-logstash-1");
    });
    assertThat(pod.getContainers().get(0).getCommand()).containsExactly("bash", "/usr/share/logstash/logpipeline/drain.sh");
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(statefulSet("billing").getSpec().getTemplate()
        .getSpec().getContainers().get(0).getImage());
    // While the Jobs run, every volume stays.
    assertThat(claims("billing")).hasSize(3);

    controllers.jobOutcome(SimulatedControllers.JobOutcome.SUCCEEDED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(claims("billing")).containsExactly("queue-billing-logstash-0");
      assertThat(drainJobs("billing")).isEmpty();
      assertThat(current("billing").getStatus().getIndexer().draining()).isEmpty();
    });
    awaitReady("billing");
  }

  @Test
  void aFailedDrainKeepsTheVolumeSaysSoAndIsRetriedWhenItsJobIsDeleted() throws Exception {
    client.resource(pipeline("audit", DeletionPolicy.Delete, 2)).create();
    awaitReady("audit");
    controllers.jobOutcome(SimulatedControllers.JobOutcome.FAILED);

    changeReplicas("audit", 1);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var c = indexer("audit");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("DrainFailed");
      assertThat(c.getMessage()).contains("drain Job audit-logstash-drain-1 failed, queue volume"
          + " queue-audit-logstash-1 is kept");
      assertThat(current("audit").getStatus().getPhase()).isEqualTo(Phase.Degraded);
    });
    assertThat(TestLogPipelines.condition(current("audit"), PipelineHealth.READY).getStatus()).isEqualTo("False");
    assertThat(claims("audit")).containsExactly("queue-audit-logstash-0", "queue-audit-logstash-1");

    // The user fixes the cause and deletes the Job: a new one drains the volume.
    controllers.jobOutcome(SimulatedControllers.JobOutcome.SUCCEEDED);
    client.batch().v1().jobs().inNamespace(NS).withName("audit-logstash-drain-1").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(claims("audit")).containsExactly("queue-audit-logstash-0"));
    awaitReady("audit");
  }

  @Test
  void deletionUnderDeleteDrainsEveryVolumeBeforeTheTemplatesGo() throws Exception {
    client.resource(pipeline("payments", DeletionPolicy.Delete, 2)).create();
    awaitReady("payments");
    String uid = current("payments").getMetadata().getUid();
    controllers.jobOutcome(SimulatedControllers.JobOutcome.RUNNING);

    client.resources(LogPipeline.class).inNamespace(NS).withName("payments").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(statefulSet("payments").getSpec().getReplicas()).as("scaled to 0 first").isZero();
      assertThat(drainJobs("payments")).hasSize(2);
      LogPipeline lp = current("payments");
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Deleting);
      assertThat(TestLogPipelines.condition(lp, PipelineHealth.READY).getMessage()).contains("IndexerReady");
    });
    // Drained events still need their mappings: the templates wait for the volumes.
    assertThat(searchClient.getIndexTemplate("logs-queues.payments")).isPresent();
    assertThat(searchClient.getIndexTemplate("logs-queues.payments_deadletter")).isPresent();

    controllers.jobOutcome(SimulatedControllers.JobOutcome.SUCCEEDED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("payments")).isNull());
    awaitCollected(uid);
    assertThat(claims("payments")).isEmpty();
    assertThat(searchClient.getIndexTemplate("logs-queues.payments")).isEmpty();
    assertThat(searchClient.getIndexTemplate("logs-queues.payments_deadletter")).isEmpty();
    assertThat(statefulSet("payments")).isNull();
  }

  @Test
  void deletionUnderRetainKeepsTheVolumes() throws Exception {
    client.resource(pipeline("archive", DeletionPolicy.Retain, 2)).create();
    awaitReady("archive");
    String uid = current("archive").getMetadata().getUid();

    client.resources(LogPipeline.class).inNamespace(NS).withName("archive").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("archive")).isNull());
    awaitCollected(uid);
    assertThat(claims("archive")).as("kept, with whatever their queues hold")
        .containsExactly("queue-archive-logstash-0", "queue-archive-logstash-1");
    assertThat(drainJobs("archive")).isEmpty();
    assertThat(searchClient.getIndexTemplate("logs-queues.archive")).isPresent();
  }

  @Test
  void skippingExternalCleanupKeepsTheVolumesSinceDrainingNeedsTheSearchCluster() throws Exception {
    client.resource(pipeline("gone", DeletionPolicy.Delete, 1)).create();
    awaitReady("gone");
    String uid = current("gone").getMetadata().getUid();
    client.resources(LogPipeline.class).inNamespace(NS).withName("gone").edit(lp -> {
      lp.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true")));
      return lp;
    });

    client.resources(LogPipeline.class).inNamespace(NS).withName("gone").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("gone")).isNull());
    awaitCollected(uid);
    assertThat(claims("gone")).containsExactly("queue-gone-logstash-0");
    assertThat(drainJobs("gone")).isEmpty();
    searchClient.deleteIndexTemplate("logs-queues.gone");
    searchClient.deleteIndexTemplate("logs-queues.gone_deadletter");
  }

  @Test
  void anEditedStatefulSetOrDeletedBudgetIsPutBack() throws Exception {
    client.resource(pipeline("drift", DeletionPolicy.Delete, 2)).create();
    awaitReady("drift");
    String hash = statefulSet("drift").getSpec().getTemplate().getMetadata().getAnnotations()
        .get(Pipeline.CONFIG_HASH_ANNOTATION);

    client.apps().statefulSets().inNamespace(NS).withName("drift-logstash").edit(s -> {
      s.getSpec().setReplicas(5);
      s.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L);
      return s;
    });
    client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("drift-logstash").delete();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      StatefulSet s = statefulSet("drift");
      assertThat(s.getSpec().getReplicas()).isEqualTo(2);
      assertThat(s.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .isEqualTo(IndexerModel.TERMINATION_GRACE_SECONDS);
      assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry(Pipeline.CONFIG_HASH_ANNOTATION, hash);
      assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("drift-logstash").get())
          .isNotNull();
    });
    // The simulated controller made claims for ordinals 2 to 4 while the edit lasted: they are
    // drained like those of any removed replica.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(claims("drift")).containsExactly("queue-drift-logstash-0", "queue-drift-logstash-1"));
  }

  /** Until the garbage collector has removed what the deleted pipeline owned in its namespace. */
  static void awaitCollected(String ownerUid) {
    await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().statefulSets().inNamespace(NS).list()
        .getItems().stream().noneMatch(s -> s.getMetadata().getOwnerReferences() != null
            && s.getMetadata().getOwnerReferences().stream().anyMatch(r -> ownerUid.equals(r.getUid()))));
  }
}
