package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.TestLogPipelines.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A LogPipeline stored with a spec this operator cannot read: written before the CRD had the
 * schema it has now, or by a newer CRD (a field this operator does not know, an enum value it
 * does not have). Jackson fails on such an object, and fabric8's informer then fails its list
 * and closes its watch: without {@code SpecReader} no pipeline at all would be reconciled, and
 * this one would never say why. Here it reports what it cannot read, the others run, and the
 * stored spec is never rewritten.
 */
@EnableKubernetesMockClient(crud = true)
class UnreadableSpecTest {

  static KubernetesClient client;
  static LogPipelineOperator operator;
  // The indexer starts only once its templates are in a search cluster: a running pipeline needs one.
  static OpenSearchNode search;

  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";

  /** Nothing listens there: the index template stage fails, the Kubernetes stages do not. */
  static final String NO_SEARCH = "http://127.0.0.1:9";

  static final String UNREADABLE = """
      apiVersion: logpipeline.io/v1alpha1
      kind: LogPipeline
      metadata: {name: newer, namespace: logging}
      spec:
        deletionPolicy: Purge
        kafka: {cluster: my-cluster, namespace: kafka}
        elasticsearch:
          hosts: ["http://127.0.0.1:9"]
          indexPrefix: {name: app}
      """;

  @BeforeAll
  static void start() {
    search = OpenSearchNode.startNew();
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    // Stored first, so the informer's very first list holds it.
    generic().resource(Serialization.unmarshal(UNREADABLE, GenericKubernetesResource.class)).create();
    operator = LogPipelineOperator.start(client, SearchClients.http(),
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

  @Test
  void anUnreadableSpecIsReportedAndTheOtherPipelinesRun() {
    LogPipeline readable = TestLogPipelines.minimal("readable", NS, NO_SEARCH);
    readable.getSpec().getKafka().setNamespace(KAFKA_NS);
    client.resource(readable).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.apps().daemonSets().inNamespace(NS).withName("readable-filebeat").get()).isNotNull();
      LogPipeline newer = client.resources(LogPipeline.class).inNamespace(NS).withName("newer").get();
      assertThat(newer.getStatus()).isNotNull();
      assertThat(newer.getStatus().getPhase()).isEqualTo(Phase.Failed);
      var valid = condition(newer, PipelineHealth.VALID);
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getReason()).isEqualTo("InvalidSpec");
      assertThat(valid.getMessage()).startsWith("spec.deletionPolicy: 'Purge' is not one of Delete, Retain;"
          + " spec.elasticsearch.indexPrefix: unknown field (known: hosts, flavor, credentialsSecret, tls,");
    });
    assertThat(TestLogPipelines.children(client, NS, "newer", KAFKA_NS))
        .allSatisfy((id, o) -> assertThat(o).as(id).isNull());

    // The finalizer and the status went in; the spec is as it was stored, not as far as it was read.
    GenericKubernetesResource stored = generic().withName("newer").get();
    assertThat(stored.getMetadata().getFinalizers()).isNotEmpty();
    Map<String, Object> spec = stored.get("spec");
    assertThat(spec).containsEntry("deletionPolicy", "Purge");
    assertThat(stored.<Object>get("spec", "elasticsearch", "indexPrefix")).isEqualTo(Map.of("name", "app"));
  }

  @Test
  void aRunningPipelineWhoseSpecTurnsUnreadableKeepsWhatRunsAndItsTopic() {
    String name = "turns";
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    client.resource(lp).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(TestLogPipelines.children(client, NS, name, KAFKA_NS))
            .allSatisfy((id, o) -> assertThat(o).as(id).isNotNull()));
    Map<String, String> versions = versions(name);

    // As a newer CRD would let a user write it.
    generic().withName(name).edit(r -> {
      r.<Map<String, Object>>get("spec").put("deletionPolicy", "Purge");
      return r;
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Degraded);
      assertThat(condition(seen, PipelineHealth.VALID).getMessage())
          .isEqualTo("spec.deletionPolicy: 'Purge' is not one of Delete, Retain");
    });
    assertThat(versions(name)).isEqualTo(versions);

    // Deleted while its policy cannot be read: the topic and its events stay.
    generic().withName(name).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(generic().withName(name).get()).isNull());
    assertThat(TestLogPipelines.children(client, NS, name, KAFKA_NS).get("kafka-topic")).isNotNull();
  }

  /** resourceVersion of every child, by the name {@link TestLogPipelines#children} gives it. */
  private static Map<String, String> versions(String name) {
    Map<String, String> versions = new java.util.TreeMap<>();
    TestLogPipelines.children(client, NS, name, KAFKA_NS)
        .forEach((id, o) -> versions.put(id, o.getMetadata().getResourceVersion()));
    return versions;
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, Resource<GenericKubernetesResource>> generic() {
    return client.genericKubernetesResources(LogPipeline.GROUP + "/" + LogPipeline.VERSION, "LogPipeline")
        .inNamespace(NS);
  }
}
