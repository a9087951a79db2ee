package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.SimulatedStatefulSets;
import io.logpipeline.operator.TestLogPipelines;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.Pipeline;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
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
 * The real JOSDK operator against the fabric8 mock API server (CRUD mode) and a real OpenSearch
 * node. The test plays the Kubernetes controllers the mock server lacks: it marks DaemonSets,
 * StatefulSets and KafkaTopics ready as kubelet, the workload controllers and Strimzi would, and
 * it collects owned objects as the garbage collector would.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorIntegrationTest {

  static KubernetesClient client;
  static OpenSearchNode search;
  static HttpSearchClient searchClient;
  static LogPipelineOperator operator;

  /** The operator's requests to the search cluster. */
  static final CountingSearch searchRequests = new CountingSearch();

  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";

  @BeforeAll
  static void start() {
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    search = OpenSearchNode.startNew();
    searchClient = new HttpSearchClient(SearchConnection.plain(search.httpUri()));
    operator = LogPipelineOperator.start(client, searchRequests.clients(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
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
   * Changes the spec as a user would with kubectl edit: a patch, so that a status the operator
   * writes meanwhile is no conflict.
   */
  static void changeSpec(String name, java.util.function.Consumer<LogPipeline> change) {
    // A write of the operator's between the read and the patch is a 409, which kubectl retries.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(
        io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
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

  /** What kubelet, the workload controllers and Strimzi's Topic Operator would report. */
  static void markReady(String name) {
    DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName(name + "-filebeat").get();
    ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(3).withNumberReady(3)
        .withCurrentNumberScheduled(3).withUpdatedNumberScheduled(3)
        .withObservedGeneration(ds.getMetadata().getGeneration()).build());
    client.resource(ds).updateStatus();
    StatefulSet logstash = client.apps().statefulSets().inNamespace(NS).withName(name + "-logstash").get();
    if (logstash != null) {
      logstash.setStatus(new StatefulSetStatusBuilder().withReplicas(2).withReadyReplicas(2)
          .withUpdatedReplicas(2).withAvailableReplicas(2)
          .withObservedGeneration(logstash.getMetadata().getGeneration()).build());
      client.resource(logstash).updateStatus();
    }
    KafkaTopic topic = client.resources(KafkaTopic.class).inNamespace(KAFKA_NS)
        .withName("logs." + NS + "." + name).get();
    topic.setStatus(new KafkaTopicStatusBuilder().withConditions(new ConditionBuilder()
        .withType("Ready").withStatus("True").build()).build());
    client.resource(topic).updateStatus();
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
        assertThat(owners).as(id + " owner").singleElement().satisfies(ref -> {
          assertThat(ref.getUid()).isEqualTo(uid);
          assertThat(ref.getKind()).isEqualTo("LogPipeline");
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

    markReady("payments");
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
  }

  @Test
  void filterChangeRollsOnlyTheIndexer() throws Exception {
    client.resource(pipeline("orders", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("orders")).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    markReady("orders");
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
    String uid = current("checkout").getMetadata().getUid();

    client.resources(LogPipeline.class).inNamespace(NS).withName("checkout").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("checkout")).isNull());
    collectGarbage(uid);
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
    String uid = current("audit").getMetadata().getUid();

    client.resources(LogPipeline.class).inNamespace(NS).withName("audit").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("audit")).isNull());
    collectGarbage(uid);
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
    markReady("billing");
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
    markReady("billing");
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
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
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
      markReady("esdown");
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

      // Retries back off (200 ms doubling to a 2 s cap here; 2 s to 5 min by default): no hot loop.
      int before = searchRequests.reads("logs-logging.esdown").size();
      Thread.sleep(6_000);
      List<Long> all = searchRequests.reads("logs-logging.esdown");
      List<Long> window = all.subList(before, all.size());
      assertThat(window).as("attempts in 6 s").hasSizeBetween(2, 8);
      List<Long> gaps = new java.util.ArrayList<>();
      for (int i = 1; i < window.size(); i++) {
        gaps.add((window.get(i) - window.get(i - 1)) / 1_000_000);
      }
      assertThat(gaps).as("ms between attempts").allSatisfy(gap -> assertThat(gap).isGreaterThan(190));
      System.out.printf("RELIABILITY search-down: template attempts in 6 s=%d, ms between them=%s%n",
          window.size(), gaps);
    } finally {
      search.start();
    }
    // Back without anyone touching the pipeline: the template, then Logstash.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children("esdown").get("logstash")).isNotNull());
    markReady("esdown");
    awaitReady("esdown");
    assertThat(searchClient.getIndexTemplate("logs-logging.esdown")).isPresent();
  }

  @Test
  void anAnnotationLetsADeletionFinishWhenTheSearchClusterIsGoneForGood() throws Exception {
    client.resource(pipeline("legacy", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate("logs-logging.legacy")).isPresent());
    String uid = current("legacy").getMetadata().getUid();

    search.stop();
    try {
      client.resources(LogPipeline.class).inNamespace(NS).withName("legacy").delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        LogPipeline lp = current("legacy");
        assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Deleting);
        assertThat(condition(lp, PipelineHealth.READY).getMessage())
            .contains(LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true");
      });
      client.resources(LogPipeline.class).inNamespace(NS).withName("legacy").edit(lp -> {
        lp.getMetadata().getAnnotations().put(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true");
        return lp;
      });
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(current("legacy")).isNull());
      collectGarbage(uid);
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

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
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
    markReady("retention");
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

  /** What Kubernetes' garbage collector does for objects whose owner is gone. */
  static void collectGarbage(String ownerUid) {
    SimulatedStatefulSets.collectGarbage(client, NS, ownerUid);
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
