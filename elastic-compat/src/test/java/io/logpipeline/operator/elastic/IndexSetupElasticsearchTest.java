package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.reconciler.IndexSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's index setup against a real Elasticsearch 7.17 node of the OSS kind (no x-pack:
 * no ILM, no data streams): ILM is detected as missing, and the template goes out without
 * {@code index.lifecycle.name}. That setting is never sent to this node: with assertions on, a
 * template carrying it trips an assertion in its master thread and the PUT never answers.
 */
class IndexSetupElasticsearchTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ElasticsearchNode node;
  private static HttpSearchClient client;

  @BeforeAll
  static void startNode() {
    node = ElasticsearchNode.startNew();
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

  static Pipeline pipeline(String name, String deleteAfter) throws Exception {
    LifecycleSpec lifecycle = null;
    if (deleteAfter != null) {
      lifecycle = new LifecycleSpec();
      lifecycle.setDeleteAfter(deleteAfter);
    }
    Pipeline p = IlmPolicyParserTest.pipeline(false, lifecycle);
    p.resource().getMetadata().setName(name);
    p.resource().getSpec().getElasticsearch().setHosts(
        new java.util.ArrayList<>(java.util.List.of(node.httpUri().toString())));
    return Pipeline.resolve(p.resource());
  }

  @Test
  void ilmIsDetectedAsMissing() {
    SearchException e = catchThrowableOfType(SearchException.class,
        () -> client.getLifecyclePolicy(LifecycleApi.ILM, "logs-logging.payments"));
    assertThat(e.reason()).isEqualTo(SearchException.Reason.Unsupported);
    // the OSS node takes "_ilm" for an index: a 404 that is not ILM's "policy not found"
    assertThat(e.getMessage()).contains("no ILM", "index_not_found_exception");
  }

  @Test
  void withoutIlmTheTemplateGoesOutWithoutTheLifecycleAndTheConditionSaysWhy() throws Exception {
    Pipeline p = pipeline("no-ilm", "30d");
    assertThat(IndexTemplateModel.body(p).at("/template/settings/index.lifecycle.name").asText())
        .as("what a cluster with ILM gets").isEqualTo(p.indexNames().policyName());

    IndexSetup.Result result = IndexSetup.converge(client, p);

    assertThat(result.lifecycleUnavailable().reason()).isEqualTo("IlmUnavailable");
    assertThat(result.lifecycleUnavailable().getMessage())
        .contains("OSS build", "Basic licence", "spec.elasticsearch.lifecycle", "kept forever");
    ObjectNode stored = client.getIndexTemplate(p.templateName()).orElseThrow();
    assertThat(stored.at("/template/settings/index").has("lifecycle")).isFalse();
    assertThat(stored.path("_meta").has("lifecycle_policy")).isFalse();
    assertThat(IndexSetup.converge(client, p).written()).as("converged").isFalse();
  }

  @Test
  void withoutALifecycleTheFirstDailyIndexGetsTheTemplate() throws Exception {
    Pipeline p = pipeline("daily", null);
    IndexSetup.Result result = IndexSetup.converge(client, p);
    assertThat(result.lifecycleUnavailable()).isNull();
    assertThat(result.created()).isTrue();

    String today = p.indexNames().writeTarget().replace("%{+YYYY.MM.dd}", "2025.01.31");
    assertThat(call("POST", "/" + today + "/_doc?refresh=true",
        "{\"@timestamp\":\"2025-01-31T00:00:00Z\",\"kubernetes\":{\"pod\":\"p\"}}").path("result").asText())
        .isEqualTo("created");
    JsonNode mapping = call("GET", "/" + today + "/_mapping", null);
    assertThat(mapping.at("/" + today + "/mappings/properties/kubernetes/properties/pod/type").asText())
        .isEqualTo("keyword");
  }

  private static JsonNode call(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpUri() + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    return JSON.readTree(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body());
  }
}
