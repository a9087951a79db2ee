package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.RawHttp;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.model.Pipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexSetup} against a real OpenSearch 2.19 node started in this JVM, which has data
 * streams and rollover but not the ISM plugin (it is not published on Maven Central): how the
 * missing plugin is detected and reported, the fallback template, the data stream the operator
 * creates before any document, and a manual rollover of it.
 */
class IndexSetupOpenSearchTest {

  private static OpenSearchNode node;
  private static HttpSearchClient client;

  @BeforeAll
  static void startNode() {
    node = OpenSearchNode.startNew();
    client = new HttpSearchClient(SearchConnection.plain(node.httpUri()));
  }

  @AfterAll
  static void stopNode() {
    if (client != null) {
      client.close();
    }
    if (node != null) {
      node.close();
    }
  }

  static Pipeline pipeline(String name, boolean dataStream, String rolloverMaxAge, String deleteAfter) {
    LogPipeline lp = TestLogPipelines.minimal(name, "logging", node.httpUri().toString());
    lp.getSpec().getElasticsearch().setFlavor(Flavor.OPENSEARCH);
    lp.getSpec().getElasticsearch().getTemplate().setDataStream(dataStream);
    if (deleteAfter != null) {
      LifecycleSpec lifecycle = new LifecycleSpec();
      lifecycle.setRolloverMaxAge(rolloverMaxAge);
      lifecycle.setDeleteAfter(deleteAfter);
      lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    }
    try {
      return Pipeline.resolve(lp);
    } catch (io.logpipeline.operator.model.InvalidSpecException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void aClusterWithoutTheIsmPluginIsDetected() {
    SearchException e = catchThrowableOfType(SearchException.class,
        () -> client.getLifecyclePolicy(LifecycleApi.ISM, "logs-anything"));
    assertThat(e.reason()).isEqualTo(SearchException.Reason.Unsupported);
    assertThat(e.getMessage()).contains(node.httpUri().toString(), "no ISM", "no handler found");
    // nor does OpenSearch serve ILM
    SearchException ilm = catchThrowableOfType(SearchException.class,
        () -> client.getLifecyclePolicy(LifecycleApi.ILM, "logs-anything"));
    assertThat(ilm.reason()).isEqualTo(SearchException.Reason.Unsupported);
  }

  @Test
  void withoutIsmTheTemplateGoesOutWithoutTheLifecycleAndTheConditionSaysWhy() throws Exception {
    Pipeline p = pipeline("no-ism", true, "1d", "30d");

    IndexSetup.Result result = IndexSetup.converge(client, p);

    assertThat(result.lifecycleUnavailable()).isNotNull();
    assertThat(result.lifecycleUnavailable().reason()).isEqualTo("IsmUnavailable");
    assertThat(result.lifecycleUnavailable().getMessage())
        .contains("Index State Management plugin", "spec.elasticsearch.lifecycle", "kept forever");
    ObjectNode stored = client.getIndexTemplate(p.templateName()).orElseThrow();
    assertThat(stored.path("_meta").has("lifecycle_policy")).isFalse();
    assertThat(stored.path("index_patterns").get(0).asText()).isEqualTo(p.index());
    // documents still get the pipeline's mappings: the data stream exists
    assertThat(client.dataStreamExists(p.index())).isTrue();
  }

  @Test
  void theDataStreamExistsBeforeAnyDocumentAndRollsOver() throws Exception {
    Pipeline p = pipeline("rolls", true, null, null);

    IndexSetup.Result first = IndexSetup.converge(client, p);

    assertThat(first.created()).isTrue();
    assertThat(first.lifecycleUnavailable()).isNull();
    JsonNode ds = RawHttp.call(node.httpUri(), "GET", "/_data_stream/" + p.index(), null).json();
    assertThat(ds.at("/data_streams/0/indices")).hasSize(1);
    assertThat(ds.at("/data_streams/0/template").asText()).isEqualTo(p.templateName());

    // a manual rollover, as ISM's rollover action does it
    RawHttp.Answer rollover = RawHttp.call(node.httpUri(), "POST", "/" + p.index() + "/_rollover", null);
    assertThat(rollover.status()).isEqualTo(200);
    assertThat(rollover.json().path("rolled_over").asBoolean()).isTrue();
    String newIndex = rollover.json().path("new_index").asText();
    JsonNode mapping = RawHttp.call(node.httpUri(), "GET", "/" + newIndex + "/_mapping", null).json();
    assertThat(mapping.at("/" + newIndex + "/mappings/properties/@timestamp/type").asText()).isEqualTo("date");

    // converged: nothing to write, and the data stream is not created again
    IndexSetup.Result again = IndexSetup.converge(client, p);
    assertThat(again.written()).isFalse();
    assertThat(RawHttp.call(node.httpUri(), "GET", "/_data_stream/" + p.index(), null)
        .json().at("/data_streams/0/indices")).hasSize(2);
  }

  @Test
  void theFirstDailyIndexGetsTheTemplate() throws Exception {
    Pipeline p = pipeline("daily", false, null, null);
    IndexSetup.converge(client, p);

    String today = p.indexNames().writeTarget().replace("%{+YYYY.MM.dd}", "2025.01.31");
    RawHttp.Answer write = RawHttp.call(node.httpUri(), "POST", "/" + today + "/_doc?refresh=true",
        "{\"@timestamp\":\"2025-01-31T00:00:00Z\",\"message\":\"x\",\"kubernetes\":{\"pod\":\"p\"}}");
    assertThat(write.status()).isEqualTo(201);
    JsonNode mapping = RawHttp.call(node.httpUri(), "GET", "/" + today + "/_mapping", null).json();
    assertThat(mapping.at("/" + today + "/mappings/properties/kubernetes/properties/pod/type").asText())
        .as("kubernetes.* is mapped by the template's dynamic template").isEqualTo("keyword");
  }

  @Test
  void removalDeletesTheTemplateAndNeverTheDocuments() throws Exception {
    Pipeline p = pipeline("removed", false, null, null);
    IndexSetup.converge(client, p);
    String today = p.indexNames().writeTarget().replace("%{+YYYY.MM.dd}", "2025.01.31");
    RawHttp.call(node.httpUri(), "POST", "/" + today + "/_doc?refresh=true", "{\"message\":\"x\"}");

    IndexSetup.remove(client, p);

    assertThat(client.getIndexTemplate(p.templateName())).isEmpty();
    assertThat(RawHttp.call(node.httpUri(), "GET", "/" + today + "/_count", null)
        .json().path("count").asInt()).isEqualTo(1);
  }

  @Test
  void aTemplateThatADataStreamUsesIsKeptAndRemovalFinishes() throws Exception {
    Pipeline p = pipeline("kept", true, null, null);
    IndexSetup.converge(client, p);

    // OpenSearch (like Elasticsearch) refuses to delete it while the data stream exists; the
    // data stream holds the documents, which the operator never deletes
    IndexSetup.remove(client, p);

    assertThat(client.getIndexTemplate(p.templateName())).isPresent();
    assertThat(client.dataStreamExists(p.index())).isTrue();
  }
}
