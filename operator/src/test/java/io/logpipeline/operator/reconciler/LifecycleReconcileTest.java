package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.elastic.SimulatedLifecycle;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle policy through the real operator: JOSDK against the fabric8 mock server, the
 * template and data stream in a real OpenSearch node, the ISM policy in {@link
 * SimulatedLifecycle} (the ISM plugin cannot run in a test JVM). What is proven here is the
 * operator's part: order, drift, updates, deletion; what ISM makes of the bodies rests on its
 * documentation (see LifecyclePolicyModelTest).
 */
@EnableKubernetesMockClient(crud = true)
class LifecycleReconcileTest {

  static KubernetesClient client;
  static OpenSearchNode search;
  static HttpSearchClient searchClient;
  static LogPipelineOperator operator;
  static final SimulatedLifecycle ism = new SimulatedLifecycle(LifecycleApi.ISM);
  /** Elasticsearch's side: ILM in front of in-memory templates (no test server takes an ILM setting). */
  static final SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
  static final InMemoryTemplates elasticsearch = new InMemoryTemplates();
  static LogPipelineOperator ilmOperator;
  static final String ILM_NS = "lifecycle-ilm";

  static final String NS = "lifecycle";

  @BeforeAll
  static void start() {
    TestLogPipelines.installStrimziKafka(client, NS);
    search = OpenSearchNode.startNew();
    searchClient = new HttpSearchClient(SearchConnection.plain(search.httpUri()));
    // A short recheck: a policy changed by hand in the cluster is seen within a second.
    operator = LogPipelineOperator.start(client, ism.clients(),
        LogPipelineOperator.Options.defaults().withNamespaces(Set.of(NS))
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withTemplateRecheck(Duration.ofSeconds(1)));
    ilmOperator = LogPipelineOperator.start(client, ilm.clients(connection -> elasticsearch),
        LogPipelineOperator.Options.defaults().withNamespaces(Set.of(ILM_NS))
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withTemplateRecheck(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (ilmOperator != null) {
      ilmOperator.close();
    }
    if (searchClient != null) {
      searchClient.close();
    }
    if (search != null) {
      search.close();
    }
  }

  static LogPipeline pipeline(String name, boolean dataStream, DeletionPolicy policy) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getElasticsearch().setFlavor(Flavor.OPENSEARCH);
    lp.getSpec().getElasticsearch().getTemplate().setDataStream(dataStream);
    LifecycleSpec lifecycle = new LifecycleSpec();
    if (dataStream) {
      lifecycle.setRolloverMaxAge("1d");
    }
    lifecycle.setDeleteAfter("30d");
    lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    lp.getSpec().setDeletionPolicy(policy);
    return lp;
  }

  static String index(String name) {
    return "logs-" + NS + "." + name;
  }

  static List<String> callsFor(String name) {
    return ism.calls.stream().filter(c -> c.endsWith(" " + index(name))
        || c.contains(" " + index(name) + " ")).toList();
  }

  static void changeSpec(String name, Consumer<LogPipeline> change) {
    client.resources(LogPipeline.class).inNamespace(NS).withName(name).edit(lp -> {
      change.accept(lp);
      return lp;
    });
  }

  static void awaitTemplateReady(String name) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
      assertThat(lp.getStatus()).isNotNull();
      assertThat(TestLogPipelines.condition(lp, PipelineHealth.INDEX_TEMPLATE_READY).getStatus())
          .isEqualTo("True");
    });
  }

  @Test
  void thePolicyGoesOutBeforeTheTemplateAndTheDataStreamLast() {
    client.resource(pipeline("orders", true, DeletionPolicy.Delete)).create();

    awaitTemplateReady("orders");

    assertThat(callsFor("orders")).startsWith(
        "PUT policy " + index("orders"),
        "PUT template " + index("orders"),
        "PUT data_stream " + index("orders"));
    ObjectNode policy = ism.policy(index("orders")).orElseThrow();
    assertThat(policy.at("/ism_template/0/index_patterns/0").asText()).isEqualTo(index("orders"));
  }

  @Test
  void aPolicyDeletedOrChangedByHandIsPutBack() {
    client.resource(pipeline("drift", false, DeletionPolicy.Delete)).create();
    awaitTemplateReady("drift");
    ObjectNode original = ism.policy(index("drift")).orElseThrow();

    ism.deleteByHand(index("drift"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ism.policy(index("drift"))).isPresent());

    ObjectNode edited = ism.policy(index("drift")).orElseThrow();
    edited.put("description", "changed in Dashboards");
    edited.withArray("states").removeAll();
    ism.replaceByHand(index("drift"), edited);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ism.policy(index("drift")).orElseThrow().get("states"))
            .isEqualTo(original.get("states")));
  }

  @Test
  void aChangedLifecycleUpdatesThePolicyAndMovesTheExistingIndices() {
    client.resource(pipeline("retune", false, DeletionPolicy.Delete)).create();
    awaitTemplateReady("retune");

    changeSpec("retune", lp -> lp.getSpec().getElasticsearch().getLifecycle().setDeleteAfter("7d"));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        ism.policy(index("retune")).orElseThrow()
            .at("/states/0/transitions/0/conditions/min_index_age").asText()).isEqualTo("7d"));
    // the update went through ISM's if_seq_no check (the simulator answers 409 otherwise), and
    // ISM was asked to move the indices it already manages to the new version
    assertThat(callsFor("retune")).contains("POST change_policy " + index("retune") + " "
        + index("retune") + "_2*");
  }

  @Test
  void removingTheLifecycleRemovesThePolicySoNewIndicesAreNotDeleted() {
    client.resource(pipeline("keep", false, DeletionPolicy.Delete)).create();
    awaitTemplateReady("keep");

    changeSpec("keep", lp -> lp.getSpec().getElasticsearch().setLifecycle(null));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ism.policy(index("keep"))).isEmpty());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(searchClient.getIndexTemplate(index("keep")).orElseThrow()
            .path("_meta").has("lifecycle_policy")).isFalse());
  }

  @Test
  void deleteRemovesTemplateAndPolicyAndRetainKeepsThem() throws Exception {
    client.resource(pipeline("gone", false, DeletionPolicy.Delete)).create();
    client.resource(pipeline("kept", false, DeletionPolicy.Retain)).create();
    awaitTemplateReady("gone");
    awaitTemplateReady("kept");

    client.resources(LogPipeline.class).inNamespace(NS).withName("gone").delete();
    client.resources(LogPipeline.class).inNamespace(NS).withName("kept").delete();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.resources(LogPipeline.class).inNamespace(NS).withName("gone").get()).isNull();
      assertThat(client.resources(LogPipeline.class).inNamespace(NS).withName("kept").get()).isNull();
    });
    assertThat(searchClient.getIndexTemplate(index("gone"))).isEmpty();
    assertThat(ism.policy(index("gone"))).isEmpty();
    assertThat(callsFor("gone")).containsSubsequence(
        "DELETE template " + index("gone"), "DELETE policy " + index("gone"));
    assertThat(searchClient.getIndexTemplate(index("kept"))).isPresent();
    assertThat(ism.policy(index("kept"))).isPresent();
  }

  @Test
  void onElasticsearchTheTemplateRefersToTheIlmPolicyWhichStaysWhileIndicesUseIt() {
    LogPipeline lp = TestLogPipelines.minimal("billing", ILM_NS, "http://127.0.0.1:9");
    lp.getSpec().getKafka().setNamespace(NS);
    LifecycleSpec lifecycle = new LifecycleSpec();
    lifecycle.setDeleteAfter("30d");
    lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    client.resource(lp).create();
    String index = "logs-" + ILM_NS + ".billing";

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(elasticsearch.templates).containsKey(index));
    assertThat(ilm.calls).containsSubsequence("PUT policy " + index, "PUT template " + index);
    assertThat(elasticsearch.templates.get(index).at("/template/settings/index.lifecycle.name").asText())
        .isEqualTo(index);
    assertThat(ilm.policy(index).orElseThrow().at("/phases/delete/min_age").asText()).isEqualTo("30d");

    // ILM refuses to delete a policy that indices use: the deletion finishes, the policy stays
    // and keeps ageing the indices out
    ilm.inUse = true;
    client.resources(LogPipeline.class).inNamespace(ILM_NS).withName("billing").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        client.resources(LogPipeline.class).inNamespace(ILM_NS).withName("billing").get()).isNull());
    assertThat(elasticsearch.templates).doesNotContainKey(index);
    assertThat(ilm.policy(index)).isPresent();
  }
}
