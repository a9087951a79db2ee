package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.Pipeline;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real JOSDK operator against the fabric8 mock API server (CRUD mode, with the status
 * subresource of a real one) and a real OpenSearch node. {@link SimulatedControllers} play the
 * Kubernetes controllers the mock server lacks (kubelet and the workload controllers, Strimzi's
 * Topic Operator, the garbage collector); a test makes them hold back, or report pods not ready,
 * where it needs to.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorIntegrationTest {

  static KubernetesMockServer server;
  static KubernetesClient client;
  static OpenSearchNode search;
  static HttpSearchClient searchClient;
  static LogPipelineOperator operator;
  static SimulatedControllers cluster;

  /** The operator's requests to the search cluster. */
  static final CountingSearch searchRequests = new CountingSearch();

  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";
  static final int NODES = 3;

  @BeforeAll
  static void start() {
    ApiSemantics.apply(server, client);
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    search = OpenSearchNode.startNew();
    searchClient = new HttpSearchClient(SearchConnection.plain(search.httpUri()));
    cluster = SimulatedControllers.start(client, NODES);
    operator = LogPipelineOperator.start(client, searchRequests.clients(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (searchClient != null) {
      searchClient.close();
    }
    if (search != null) {
      search.close();
    }
  }

  static LogPipeline pipeline(String name, DeletionPolicy policy) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    LogPipelineSpec spec = lp.getSpec();
    spec.getSources().setExcludeNamespaces(List.of("kube-system"));
    spec.getKafka().setNamespace(KAFKA_NS);
    spec.getElasticsearch().setFlavor(io.logpipeline.operator.api.Flavor.OPENSEARCH);
    spec.getIndexer().setFilter("mutate { add_tag => [\"v1\"] }");
    spec.setDeletionPolicy(policy);
    return lp;
  }

  /** Every object the pipeline provisions in Kubernetes, as the server has it now. */
  static Map<String, HasMetadata> children(String name) {
    return TestLogPipelines.children(client, NS, name, KAFKA_NS);
  }

  /**
   * Changes the spec as a user would with kubectl edit: a patch of the version just read, tried
   * again on a conflict (the operator writes the status meanwhile), as a user would.
   */
  static void changeSpec(String name, java.util.function.Consumer<LogPipeline> change) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsMatching(e ->
        e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 409)
        .until(() -> {
          client.resources(LogPipeline.class).inNamespace(NS).withName(name).edit(lp -> {
            change.accept(lp);
            return lp;
          });
          return true;
        });
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  /** Keeps the workload controllers and Strimzi from reporting on the pipeline's children. */
  static void holdControllers(String name) {
    cluster.hold(NS, name + "-filebeat");
    cluster.hold(NS, name + "-logstash");
    cluster.hold(KAFKA_NS, "logs." + NS + "." + name);
  }

  /** Lets them report: every pod ready, the topic Ready. */
  static void releaseControllers(String name) {
    cluster.healthy(NS, name + "-filebeat");
    cluster.healthy(NS, name + "-logstash");
    cluster.healthy(KAFKA_NS, "logs." + NS + "." + name);
  }

  /** Until the garbage collector has removed every child that owner references reach. */
  static void awaitCollected(String name) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, HasMetadata> left = children(name);
      left.entrySet().removeIf(e -> e.getValue() == null || !NS.equals(e.getValue().getMetadata().getNamespace()));
      assertThat(left).as("children in the pipeline's namespace").isEmpty();
    });
  }

  static void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = current(name);
      assertThat(lp.getStatus()).isNotNull();
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(lp.getStatus().getObservedGeneration()).isEqualTo(lp.getMetadata().getGeneration());
    });
  }

  @Test
  void provisionsEveryStageAndReportsReady() throws Exception {
    holdControllers("payments");
    LogPipeline created = client.resource(pipeline("payments", DeletionPolicy.Delete)).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("payments")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    String uid = current("payments").getMetadata().getUid();
    Map<String, HasMetadata> children = children("payments");
    children.forEach((id, o) -> {
      assertThat(o.getMetadata().getLabels()).as(id)
          .containsEntry(Pipeline.LABEL_INSTANCE, "payments")
          .containsEntry(Pipeline.LABEL_MANAGED_BY, "logpipeline-operator")
          .containsKey(Pipeline.LABEL_COMPONENT);
      List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
      if (NS.equals(o.getMetadata().getNamespace())) {
        // What Kubernetes' garbage collector goes by: the one controller, which blocks a
        // foreground deletion of the LogPipeline until this child is gone.
        assertThat(owners).as(id + " owner").singleElement().satisfies(ref -> {
          assertThat(ref.getApiVersion()).isEqualTo("logpipeline.io/v1alpha1");
          assertThat(ref.getKind()).isEqualTo("LogPipeline");
          assertThat(ref.getName()).isEqualTo("payments");
          assertThat(ref.getUid()).isEqualTo(uid);
          assertThat(ref.getController()).isTrue();
          assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
      } else {
        // Cluster-scoped or in Kafka's namespace: owner references cannot reach; the finalizer can.
        assertThat(owners).as(id + " owner").isNullOrEmpty();
        assertThat(o.getMetadata().getAnnotations()).as(id)
            .containsEntry("io.javaoperatorsdk/primary-name", "payments")
            .containsEntry("io.javaoperatorsdk/primary-namespace", NS);
      }
    });
    assertThat(current("payments").getMetadata().getFinalizers()).isNotEmpty();
    KafkaTopic topic = (KafkaTopic) children.get("kafka-topic");
    assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "my-cluster");
    assertThat(topic.getSpec().getTopicName()).isEqualTo("logs.logging.payments");

    // The template is in the search server before any document could arrive.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.payments")).isPresent());
    assertThat(template("logs-logging.payments").path("index_patterns").get(0).asText())
        .isEqualTo("logs-logging.payments_2*");

    // Until the children report ready, the pipeline is progressing and says what it waits for.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = current("payments");
      assertThat(lp.getStatus()).isNotNull();
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(condition(lp, PipelineHealth.BUFFER_READY).getReason()).isEqualTo("WaitingForStrimzi");
      assertThat(condition(lp, PipelineHealth.INDEX_TEMPLATE_READY).getStatus()).isEqualTo("True");
      assertThat(condition(lp, PipelineHealth.READY).getStatus()).isEqualTo("False");
    });

    releaseControllers("payments");
    awaitReady("payments");
    LogPipeline ready = current("payments");
    assertThat(ready.getStatus().getShippers()).isEqualTo("3/3");
    assertThat(ready.getStatus().getIndexers()).isEqualTo("2/2");
    assertThat(ready.getStatus().getBuffer().topic()).isEqualTo("logs.logging.payments");
    assertThat(ready.getStatus().getBuffer().partitions()).isEqualTo(6);
    assertThat(ready.getStatus().getIndexTemplate().name()).isEqualTo("logs-logging.payments");
    assertThat(ready.getStatus().getConditions()).extracting("type").containsExactly(
        "Valid", "ShipperReady", "BufferReady", "IndexerReady", "IndexTemplateReady", "Ready");
    assertThat(ready.getStatus().getConditions()).allSatisfy(c -> {
      assertThat(c.getStatus()).as(c.getType()).isEqualTo("True");
      assertThat(c.getObservedGeneration()).isEqualTo(created.getMetadata().getGeneration());
      assertThat(c.getLastTransitionTime()).isNotBlank();
    });
    assertThat(condition(ready, PipelineHealth.SHIPPER_READY).getMessage()).isEqualTo("3/3 nodes");
    assertThat(condition(ready, PipelineHealth.BUFFER_READY).getMessage())
        .isEqualTo("topic logs.logging.payments Ready in Strimzi");

    // What the operator believes it wrote is what the API server kept (status written through
    // the status subresource; a plain update would have been dropped).
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(operator.cachedPipelines().filter(lp -> lp.getMetadata().getName().equals("payments")))
            .singleElement().satisfies(cached -> {
              assertThat(cached.getMetadata().getResourceVersion()).isEqualTo(current("payments").getMetadata().getResourceVersion());
              assertThat(cached.getStatus()).isEqualTo(current("payments").getStatus());
            }));
  }

  /** The stage conditions other than {@code except}, which must all be True. */
  static void otherStagesTrue(LogPipeline lp, String except) {
    for (String stage : List.of(PipelineHealth.VALID, PipelineHealth.SHIPPER_READY, PipelineHealth.BUFFER_READY,
        PipelineHealth.INDEXER_READY, PipelineHealth.INDEX_TEMPLATE_READY)) {
      if (!stage.equals(except)) {
        assertThat(condition(lp, stage).getStatus()).as(stage).isEqualTo("True");
      }
    }
  }

  static void awaitCondition(String name, String type, String status, String reason, String message, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = current(name);
      assertThat(lp.getStatus()).isNotNull();
      var c = condition(lp, type);
      assertThat(c.getStatus()).as(type).isEqualTo(status);
      assertThat(c.getReason()).as(type).isEqualTo(reason);
      assertThat(c.getMessage()).as(type).isEqualTo(message);
      assertThat(lp.getStatus().getPhase()).isEqualTo(phase);
      assertThat(lp.getStatus().getObservedGeneration()).isEqualTo(lp.getMetadata().getGeneration());
      otherStagesTrue(lp, type);
      var readyCondition = condition(lp, PipelineHealth.READY);
      assertThat(readyCondition.getStatus()).isEqualTo("False");
      assertThat(readyCondition.getReason()).isEqualTo(type + "NotReady");
    });
  }

  @Test
  void shippersNotReadyOnEveryNodeKeepItProgressingThenDegradeItOnceItWasReady() throws Exception {
    cluster.readyPods(NS, "nodes-filebeat", 2);
    client.resource(pipeline("nodes", DeletionPolicy.Delete)).create();
    // Never Ready yet: still coming up.
    awaitCondition("nodes", PipelineHealth.SHIPPER_READY, "False", "NodesNotReady", "2/3 nodes", Phase.Progressing);
    assertThat(current("nodes").getStatus().getShippers()).isEqualTo("2/3");

    cluster.healthy(NS, "nodes-filebeat");
    awaitReady("nodes");
    assertThat(condition(current("nodes"), PipelineHealth.SHIPPER_READY).getMessage()).isEqualTo("3/3 nodes");

    // Pods lost after Ready: Ready -> Degraded -> Ready, with no one touching the pipeline.
    cluster.readyPods(NS, "nodes-filebeat", 1);
    awaitCondition("nodes", PipelineHealth.SHIPPER_READY, "False", "NodesNotReady", "1/3 nodes", Phase.Degraded);
    assertThat(current("nodes").getStatus().getShippers()).isEqualTo("1/3");
    cluster.healthy(NS, "nodes-filebeat");
    awaitReady("nodes");
    assertThat(current("nodes").getStatus().getShippers()).isEqualTo("3/3");
  }

  @Test
  void indexerReplicasLostAfterReadyDegradeThePipelineUntilTheyAreBack() throws Exception {
    client.resource(pipeline("replicas", DeletionPolicy.Delete)).create();
    awaitReady("replicas");

    cluster.readyPods(NS, "replicas-logstash", 1);
    awaitCondition("replicas", PipelineHealth.INDEXER_READY, "False", "ReplicasNotReady", "1/2 replicas",
        Phase.Degraded);
    assertThat(current("replicas").getStatus().getIndexers()).isEqualTo("1/2");
    cluster.readyPods(NS, "replicas-logstash", 0);
    awaitCondition("replicas", PipelineHealth.INDEXER_READY, "False", "ReplicasNotReady", "0/2 replicas",
        Phase.Degraded);

    cluster.healthy(NS, "replicas-logstash");
    awaitReady("replicas");
    assertThat(current("replicas").getStatus().getIndexers()).isEqualTo("2/2");
    assertThat(condition(current("replicas"), PipelineHealth.INDEXER_READY).getMessage()).isEqualTo("2/2 replicas");
  }

  @Test
  void aChangedSpecRollingOutIsProgressNotDegradation() throws Exception {
    client.resource(pipeline("rollout", DeletionPolicy.Delete)).create();
    awaitReady("rollout");

    // The new Logstash pods come up one at a time: none updated yet, the old ones still serve.
    cluster.rollingOut(NS, "rollout-logstash", 0);
    changeSpec("rollout", lp -> lp.getSpec().getIndexer().setFilter("mutate { add_tag => [\"v2\"] }"));
    awaitCondition("rollout", PipelineHealth.INDEXER_READY, "False", PipelineHealth.ROLLING_OUT,
        "2/2 replicas ready, 0 of them updated to the current spec", Phase.Progressing);
    cluster.rollingOut(NS, "rollout-logstash", 1);
    awaitCondition("rollout", PipelineHealth.INDEXER_READY, "False", PipelineHealth.ROLLING_OUT,
        "2/2 replicas ready, 1 of them updated to the current spec", Phase.Progressing);
    cluster.healthy(NS, "rollout-logstash");
    awaitReady("rollout");

    // Filebeat too (a change of the sources rolls the DaemonSet).
    cluster.rollingOut(NS, "rollout-filebeat", 1);
    changeSpec("rollout", lp -> lp.getSpec().getSources().setExcludeNamespaces(List.of("kube-system", "tmp")));
    awaitCondition("rollout", PipelineHealth.SHIPPER_READY, "False", PipelineHealth.ROLLING_OUT,
        "3/3 nodes ready, 1 of them updated to the current spec", Phase.Progressing);
    cluster.healthy(NS, "rollout-filebeat");
    awaitReady("rollout");
    // (The spec's own warning, that the indices have no lifecycle, is not about the rollout.)
    assertThat(warningEvents("rollout")).as("a rollout is not a warning")
        .allSatisfy(e -> assertThat(e.getReason()).isEqualTo("SpecWarning"));
  }

  @Test
  void aTopicStrimziReportsNotReadyDegradesOnlyTheBuffer() throws Exception {
    client.resource(pipeline("topicdown", DeletionPolicy.Delete)).create();
    awaitReady("topicdown");

    cluster.topicNotReady(KAFKA_NS, "logs.logging.topicdown", "KafkaError",
        "Replication factor: 3 larger than available brokers: 1.");
    awaitCondition("topicdown", PipelineHealth.BUFFER_READY, "False", "KafkaError",
        "Strimzi reports topic logs.logging.topicdown not ready: Replication factor: 3 larger than available brokers: 1.",
        Phase.Degraded);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(warningEvents("topicdown"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("KafkaError")));

    cluster.healthy(KAFKA_NS, "logs.logging.topicdown");
    awaitReady("topicdown");
  }

  @Test
  void filterChangeRollsOnlyTheIndexer() throws Exception {
    client.resource(pipeline("orders", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("orders")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    awaitReady("orders");
    Map<String, String> before = versions(children("orders"));
    String hashBefore = podConfigHash((StatefulSet) children("orders").get("logstash"));
    String templateHashBefore = template("logs-logging.orders")
        .path("_meta").path("hash").asText();

    changeSpec("orders", lp -> {
      lp.getSpec().getIndexer().setFilter("mutate { add_tag => [\"v2\"] }");
    });

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ConfigMap config = (ConfigMap) children("orders").get("logstash-config");
      assertThat(config.getData().get("pipeline.conf")).contains("add_tag => [\"v2\"]")
          .doesNotContain("\"v1\"");
      assertThat(podConfigHash((StatefulSet) children("orders").get("logstash"))).isNotEqualTo(hashBefore);
    });
    Map<String, String> after = versions(children("orders"));
    for (String unchanged : List.of("filebeat-config", "filebeat-sa", "filebeat-clusterrole",
        "filebeat-clusterrolebinding", "filebeat", "kafka-topic", "logstash-service")) {
      assertThat(after.get(unchanged)).as(unchanged + " was rewritten").isEqualTo(before.get(unchanged));
    }
    assertThat(after.get("logstash-config")).isNotEqualTo(before.get("logstash-config"));
    assertThat(after.get("logstash")).isNotEqualTo(before.get("logstash"));
    // The filter is not part of the template, so the template was not rewritten either.
    assertThat(template("logs-logging.orders").path("_meta").path("hash").asText())
        .isEqualTo(templateHashBefore);
  }

  @Test
  void deleteRemovesEverythingTheOperatorMade() throws Exception {
    client.resource(pipeline("checkout", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.checkout")).isPresent());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("checkout")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));

    client.resources(LogPipeline.class).inNamespace(NS).withName("checkout").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("checkout")).isNull());
    awaitCollected("checkout");
    assertThat(children("checkout")).allSatisfy((id, o) -> assertThat(o).as(id).isNull());
    assertThat(searchClient.getIndexTemplate("logs-logging.checkout")).isEmpty();
  }

  @Test
  void retainKeepsTopicAndTemplate() throws Exception {
    client.resource(pipeline("audit", DeletionPolicy.Retain)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.audit")).isPresent());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("audit")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));

    client.resources(LogPipeline.class).inNamespace(NS).withName("audit").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("audit")).isNull());
    awaitCollected("audit");
    Map<String, HasMetadata> left = children("audit");
    assertThat(left.get("kafka-topic")).as("topic under Retain").isNotNull();
    assertThat(searchClient.getIndexTemplate("logs-logging.audit")).as("template under Retain").isPresent();
    left.remove("kafka-topic");
    assertThat(left).allSatisfy((id, o) -> assertThat(o).as(id).isNull());
  }

  @Test
  void invalidSpecWritesNothingAndSaysWhichField() throws Exception {
    LogPipeline bad = pipeline("broken", DeletionPolicy.Delete);
    bad.getSpec().getKafka().getTopic().setRetention("7 days");
    client.resource(bad).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = current("broken");
      assertThat(lp.getStatus()).isNotNull();
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Failed);
      var valid = condition(lp, PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("InvalidSpec");
      assertThat(valid.getMessage()).startsWith("spec.kafka.topic.retention: '7 days' is not a duration");
      assertThat(warningEvents("broken")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("InvalidSpec");
        assertThat(e.getMessage()).contains("spec.kafka.topic.retention");
      });
    });
    assertThat(children("broken")).allSatisfy((id, o) -> assertThat(o).as(id).isNull());
    assertThat(searchClient.getIndexTemplate("logs-logging.broken")).isEmpty();
  }

  @Test
  void aMissingSecretIsReportedBeforeAnythingIsWritten() throws Exception {
    LogPipeline lp = pipeline("secured", DeletionPolicy.Delete);
    var creds = new io.logpipeline.operator.api.CredentialsSecretRef();
    creds.setName("es-creds");
    lp.getSpec().getElasticsearch().setCredentialsSecret(creds);
    client.resource(lp).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("secured");
      assertThat(seen.getStatus()).isNotNull();
      var valid = condition(seen, PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("MissingReference");
      assertThat(valid.getMessage()).isEqualTo("spec.elasticsearch.credentialsSecret.name: Secret"
          + " es-creds does not exist in namespace logging: create it, or fix the name");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Failed);
      assertThat(warningEvents("secured")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("MissingReference"));
    });
    assertThat(children("secured")).allSatisfy((id, o) -> assertThat(o).as(id).isNull());

    // A Secret is not watched: the operator looks again by itself and converges.
    // (OpenSearch here has no security plugin, so any credentials are accepted.)
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("es-creds").withNamespace(NS).endMetadata()
        .addToStringData("username", "logstash").addToStringData("password", "s3cret-value")
        .build()).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(condition(current("secured"), PipelineHealth.VALID).getStatus()).isEqualTo("True");
      assertThat(children("secured")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull());
      assertThat(searchClient.getIndexTemplate("logs-logging.secured")).isPresent();
    });
    StatefulSet logstash = (StatefulSet) children("secured").get("logstash");
    assertThat(logstash.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(env -> {
          assertThat(env.getName()).isEqualTo("SEARCH_PASSWORD");
          assertThat(env.getValue()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("es-creds");
          assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
    // The secret's value appears nowhere the operator writes.
    assertThat(client.getKubernetesSerialization().asYaml(current("secured"))).doesNotContain("s3cret-value");
    children("secured").values().forEach(o ->
        assertThat(client.getKubernetesSerialization().asYaml(o)).doesNotContain("s3cret-value"));
    warningEvents("secured").forEach(e -> assertThat(e.getMessage()).doesNotContain("s3cret-value"));
  }

  @Test
  void anInvalidChangeLeavesTheRunningPipelineUntouchedUntilFixed() throws Exception {
    client.resource(pipeline("billing", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("billing")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    awaitReady("billing");
    Map<String, String> before = versions(children("billing"));
    String templateHash = template("logs-logging.billing").path("_meta").path("hash").asText();

    changeSpec("billing", lp -> {
      lp.getSpec().getIndexer().setFilter("grok { match => { \"message\" => \"%{WORD:w}\" }");
      lp.getSpec().getElasticsearch().getTemplate().setShards(3);
    });

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("billing");
      assertThat(seen.getStatus().getObservedGeneration()).isEqualTo(seen.getMetadata().getGeneration());
      var valid = condition(seen, PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("InvalidSpec");
      assertThat(valid.getMessage()).startsWith("spec.indexer.filter: line 1, column");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Degraded);
      assertThat(seen.getStatus().getShippers()).isEqualTo("3/3");
      assertThat(warningEvents("billing")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("InvalidSpec");
        assertThat(e.getMessage()).contains("spec.indexer.filter");
      });
    });
    // No write at all: every child and the template are exactly as the last valid spec made them.
    assertThat(versions(children("billing"))).isEqualTo(before);
    assertThat(template("logs-logging.billing").path("_meta").path("hash").asText()).isEqualTo(templateHash);

    changeSpec("billing", lp -> {
      lp.getSpec().getIndexer().setFilter("grok { match => { \"message\" => \"%{WORD:w}\" } }");
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = current("billing");
      assertThat(condition(seen, PipelineHealth.VALID).getStatus()).isEqualTo("True");
      assertThat(((ConfigMap) children("billing").get("logstash-config")).getData().get("pipeline.conf"))
          .contains("%{WORD:w}");
      assertThat(template("logs-logging.billing").path("_meta").path("hash").asText()).isNotEqualTo(templateHash);
    });
    awaitReady("billing");
  }

  @Test
  void anUnknownKafkaClusterIsReported() throws Exception {
    LogPipeline lp = pipeline("nowhere", DeletionPolicy.Delete);
    lp.getSpec().getKafka().setCluster("no-such-cluster");
    client.resource(lp).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var valid = condition(current("nowhere"), PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("MissingReference");
      assertThat(valid.getMessage()).isEqualTo("spec.kafka.cluster: no Strimzi Kafka 'no-such-cluster'"
          + " in namespace kafka: fix spec.kafka.cluster or spec.kafka.namespace");
    });
    assertThat(children("nowhere")).allSatisfy((id, o) -> assertThat(o).as(id).isNull());
  }

  @Test
  void partitionsOfAnExistingTopicNeverShrink() throws Exception {
    client.resource(pipeline("metrics", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("metrics")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    Map<String, String> before = versions(children("metrics"));

    changeSpec("metrics", lp -> {
      lp.getSpec().getKafka().getTopic().setPartitions(3);
    });

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var valid = condition(current("metrics"), PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getMessage()).isEqualTo("spec.kafka.topic.partitions: is 3 but topic"
          + " logs.logging.metrics already has 6 partitions, and Kafka cannot remove partitions: use 6 or more");
    });
    assertThat(versions(children("metrics"))).isEqualTo(before);
    assertThat(((KafkaTopic) children("metrics").get("kafka-topic")).getSpec().getPartitions()).isEqualTo(6);
  }

  @Test
  void deletionWaitsForAnUnreachableSearchClusterAndFinishesWhenItIsBack() throws Exception {
    client.resource(pipeline("shipping", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.shipping")).isPresent());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("shipping")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));

    search.stop();
    try {
      client.resources(LogPipeline.class).inNamespace(NS).withName("shipping").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        LogPipeline lp = current("shipping");
        assertThat(lp).as("kept by its finalizer while the template cannot be removed").isNotNull();
        assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Deleting);
        var template = condition(lp, PipelineHealth.INDEX_TEMPLATE_READY);
        assertThat(template.getReason()).isEqualTo("Unreachable");
        assertThat(template.getMessage()).contains("127.0.0.1");
      });
    } finally {
      search.start();
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("shipping")).isNull());
    assertThat(searchClient.getIndexTemplate("logs-logging.shipping")).isEmpty();
  }

  @Test
  void aPausedPipelineIsLeftAlone() throws Exception {
    client.resource(pipeline("frozen", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("frozen")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    changeSpec("frozen", lp -> {
      lp.getSpec().setPaused(true);
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(current("frozen").getStatus().getPhase()).isEqualTo(Phase.Paused));
    Map<String, String> before = versions(children("frozen"));

    // Changes while paused are not applied, and drift is not corrected.
    changeSpec("frozen", lp -> {
      lp.getSpec().getIndexer().setReplicas(5);
    });
    client.configMaps().inNamespace(NS).withName("frozen-logstash").delete();
    // Time to do what it must not (the poll delay), then until it has seen the latest spec.
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(current("frozen").getStatus().getObservedGeneration())
            .isEqualTo(current("frozen").getMetadata().getGeneration()));
    Map<String, String> after = versions(children("frozen"));
    assertThat(after.get("logstash")).isEqualTo(before.get("logstash"));
    assertThat(after.get("logstash-config")).isNull();

    changeSpec("frozen", lp -> {
      lp.getSpec().setPaused(false);
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(children("frozen").get("logstash-config")).isNotNull();
      assertThat(((StatefulSet) children("frozen").get("logstash")).getSpec().getReplicas()).isEqualTo(5);
    });
  }

  @Test
  void aSearchClusterDownLeavesTheOtherStagesRunningAndRecoversWithoutHelp() throws Exception {
    search.stop();
    try {
      client.resource(pipeline("esdown", DeletionPolicy.Delete)).create();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(children("esdown")).allSatisfy((id, o) -> {
            if (!id.equals("logstash")) {
              assertThat(o).as(id).isNotNull();
            }
          }));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        LogPipeline lp = current("esdown");
        var template = condition(lp, PipelineHealth.INDEX_TEMPLATE_READY);
        assertThat(template.getStatus()).isEqualTo("False");
        assertThat(template.getReason()).isEqualTo("Unreachable");
        assertThat(template.getMessage()).contains(search.httpUri().getHost() + ":" + search.httpUri().getPort());
        for (String stage : List.of(PipelineHealth.SHIPPER_READY, PipelineHealth.BUFFER_READY)) {
          assertThat(condition(lp, stage).getStatus()).as(stage).isEqualTo("True");
        }
        // The template comes first: no Logstash replica may write before it exists.
        var indexer = condition(lp, PipelineHealth.INDEXER_READY);
        assertThat(indexer.getStatus()).isEqualTo("False");
        assertThat(indexer.getReason()).isEqualTo("WaitingForIndexTemplate");
        assertThat(children("esdown").get("logstash")).as("no StatefulSet before the template").isNull();
        assertThat(condition(lp, PipelineHealth.READY).getStatus()).isEqualTo("False");
        assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Degraded);
      });

      // Retries back off (200 ms doubling to a 2 s cap here; 2 s to 5 min by default): no hot
      // loop. A child's status change still reconciles at once (JOSDK runs a reconcile for a new
      // event, or one that came in during the last run, instead of waiting for the retry): the
      // simulated controllers' last writes can land in the window, so gaps are not bounded
      // below. What holds on any machine: few attempts, and the wait between them has grown.
      int before = searchRequests.reads("logs-logging.esdown").size();
      Thread.sleep(8_000);
      List<Long> all = searchRequests.reads("logs-logging.esdown");
      int attempts = all.size() - before;
      // Gaps from the last attempt before the window on (its status is what the test waited for).
      List<Long> times = all.subList(Math.max(0, before - 1), all.size());
      List<Long> gaps = new java.util.ArrayList<>();
      for (int i = 1; i < times.size(); i++) {
        gaps.add((times.get(i) - times.get(i - 1)) / 1_000_000);
      }
      System.out.printf("RELIABILITY search-down: template attempts in 8 s=%d, ms between them=%s%n",
          attempts, gaps);
      assertThat(attempts).as("attempts in 8 s (a hot loop makes hundreds)").isLessThanOrEqualTo(10);
      assertThat(gaps).as("ms between attempts: still retrying, and the backoff grew past 1 s")
          .anySatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(1_000));
    } finally {
      search.start();
    }
    // Back without anyone touching the pipeline: the template, then Logstash.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("esdown").get("logstash")).isNotNull());
    awaitReady("esdown");
    assertThat(searchClient.getIndexTemplate("logs-logging.esdown")).isPresent();
  }

  @Test
  void anAnnotationLetsADeletionFinishWhenTheSearchClusterIsGoneForGood() throws Exception {
    client.resource(pipeline("legacy", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.legacy")).isPresent());

    search.stop();
    try {
      client.resources(LogPipeline.class).inNamespace(NS).withName("legacy").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        LogPipeline lp = current("legacy");
        assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Deleting);
        assertThat(condition(lp, PipelineHealth.READY).getMessage())
            .contains(LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true");
      });
      // As kubectl annotate would: the operator writes the Deleting status meanwhile (409, again).
      TestLogPipelines.edit(client, NS, "legacy",
          lp -> lp.getMetadata().getAnnotations().put(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true"));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("legacy")).isNull());
      awaitCollected("legacy");
      assertThat(children("legacy")).as("the cluster-side stages are cleaned up all the same")
          .allSatisfy((id, o) -> assertThat(o).as(id).isNull());
    } finally {
      search.start();
    }
    assertThat(searchClient.getIndexTemplate("logs-logging.legacy")).as("left in place, as asked").isPresent();
    searchClient.deleteIndexTemplate("logs-logging.legacy");
  }

  @Test
  void driftIsPutBackOnTheWatchEvent() throws Exception {
    client.resource(pipeline("inventory", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("inventory")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    ConfigMap original = (ConfigMap) children("inventory").get("logstash-config");

    // The template recheck is 10 minutes: anything put back within seconds came from the watch.
    client.apps().daemonSets().inNamespace(NS).withName("inventory-filebeat").delete();
    client.configMaps().inNamespace(NS).withName("inventory-logstash")
        .edit(cm -> { cm.getData().put("pipeline.conf", "input {} output {}"); return cm; });
    client.apps().statefulSets().inNamespace(NS).withName("inventory-logstash")
        .edit(d -> { d.getSpec().setReplicas(7); return d; });
    client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("inventory-logstash").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, HasMetadata> now = children("inventory");
      assertThat(now.get("filebeat")).isNotNull();
      assertThat(((ConfigMap) now.get("logstash-config")).getData())
          .isEqualTo(original.getData());
      assertThat(((StatefulSet) now.get("logstash")).getSpec().getReplicas()).isEqualTo(2);
      assertThat(now.get("logstash-pdb")).as("the PodDisruptionBudget, deleted by hand").isNotNull();
    });
  }

  @Test
  void aLifecycleTheClusterCannotRunIsReportedAndTheTemplateStillGoesOut() throws Exception {
    // This OpenSearch node has no ISM plugin (it is not on Maven Central).
    LogPipeline lp = pipeline("retention", DeletionPolicy.Delete);
    io.logpipeline.operator.api.LifecycleSpec lifecycle = new io.logpipeline.operator.api.LifecycleSpec();
    lifecycle.setDeleteAfter("30d");
    lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    client.resource(lp).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var template = condition(current("retention"), PipelineHealth.INDEX_TEMPLATE_READY);
      assertThat(template.getStatus()).isEqualTo("False");
      assertThat(template.getReason()).isEqualTo("IsmUnavailable");
      assertThat(template.getMessage()).contains("has no ISM", "Index State Management plugin",
          "remove spec.elasticsearch.lifecycle", "kept forever");
    });
    // the mappings still apply: the template is there, without the lifecycle
    assertThat(template("logs-logging.retention").path("_meta").has("lifecycle_policy")).isFalse();
    assertThat(warningEvents("retention")).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("IsmUnavailable"));

    // without the lifecycle the pipeline is ready, and warned that its indices are kept forever
    changeSpec("retention", changed -> changed.getSpec().getElasticsearch().setLifecycle(null));
    awaitReady("retention");
    var valid = condition(current("retention"), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo(PipelineHealth.WITH_WARNINGS);
    assertThat(valid.getMessage()).contains("spec.elasticsearch.lifecycle: is absent: indices are kept forever");
  }

  static List<io.fabric8.kubernetes.api.model.Event> warningEvents(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()))
        .toList();
  }

  static com.fasterxml.jackson.databind.node.ObjectNode template(String name) throws Exception {
    return searchClient.getIndexTemplate(name).orElseThrow(() -> new AssertionError("no template " + name));
  }

  static Map<String, String> versions(Map<String, HasMetadata> children) {
    Map<String, String> versions = new LinkedHashMap<>();
    children.forEach((id, o) -> versions.put(id, o == null ? null : o.getMetadata().getResourceVersion()));
    return versions;
  }

  static String podConfigHash(StatefulSet d) {
    return d.getSpec().getTemplate().getMetadata().getAnnotations().get(Pipeline.CONFIG_HASH_ANNOTATION);
  }

  static io.fabric8.kubernetes.api.model.Condition condition(LogPipeline lp, String type) {
    return TestLogPipelines.condition(lp, type);
  }

}
