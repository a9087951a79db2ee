package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.TemplateSpec;
import io.logpipeline.operator.model.IndexNames;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter template against a real search server: with both of a pipeline's templates
 * installed, documents the main template rejects with 400 are indexed into the dead-letter index
 * once shaped as the dead-letter pipeline writes them. Shared by the OpenSearch and the
 * Elasticsearch test.
 */
public final class DeadLetterTemplateCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String DAY = IndexNames.DAILY_SEPARATOR + "2026.12.01";

  /** A rejected document: what it was, how the main index answered, how the dead-letter index did. */
  public record Outcome(String name, int mainStatus, String reason, int deadLetterStatus,
      String deadLetterBody) {}

  /**
   * What the main index (whose template maps {@code status} as a long and {@code labels} as an
   * object) makes of documents that break it, and the dead-letter index of their dead letters.
   */
  public static List<Outcome> run(URI host) throws Exception {
    Pipeline p = pipeline(host);
    SearchClient client = new HttpSearchClient(SearchConnection.plain(host));
    client.putIndexTemplate(p.templateName(), IndexTemplateModel.body(p));
    client.putIndexTemplate(p.deadLetterTemplateName(), IndexTemplateModel.deadLetterBody(p));
    client.close();

    List<Outcome> outcomes = new ArrayList<>();
    String huge = "x".repeat(40_000);
    for (String[] c : List.of(
        new String[] {"a string where a long is mapped", "{\"status\": \"not-a-number\"}"},
        new String[] {"a value where an object is mapped", "{\"labels\": \"flat\"}"},
        new String[] {"a date that does not parse", "{\"@timestamp\": \"yesterday-ish\"}"},
        // 40 000 bytes in one term: more than Lucene takes, and a long that does not fit.
        new String[] {"an oversized value of a wrong type", "{\"status\": \"" + huge + "\"}"})) {
      ObjectNode event = (ObjectNode) JSON.readTree(c[1]);
      if (!event.has("@timestamp")) {
        event.put("@timestamp", "2026-12-01T10:00:00.000Z");
      }
      event.put("message", "GET /checkout 500");
      String original = JSON.writeValueAsString(event);
      HttpResponse<String> main = put(host, p.index() + DAY, "doc-" + outcomes.size(), original);
      String reason = "Could not index event to Elasticsearch. status: " + main.statusCode() + ", action: "
          + "[\"index\", {:_id=>\"doc\", :_index=>\"" + p.index() + DAY + "\"}], response: "
          + main.body();
      ObjectNode deadLetter = IndexerModel.DeadLetterFields.document(p, original, reason,
          "2026-12-01T10:00:01.234Z");
      HttpResponse<String> dl = put(host, p.deadLetterIndex() + DAY, "doc-" + outcomes.size(),
          JSON.writeValueAsString(deadLetter));
      outcomes.add(new Outcome(c[0], main.statusCode(), main.body(), dl.statusCode(), dl.body()));
    }
    return outcomes;
  }

  /** The dead-letter index's stored document, as indexed. */
  public static JsonNode storedDeadLetter(URI host, String id) throws Exception {
    Pipeline p = pipeline(host);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            host.resolve("/" + p.deadLetterIndex() + DAY + "/_doc/" + id)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** Hits of a search for {@code query} (query string) in the dead-letter index. */
  public static int deadLetterHits(URI host, String query) throws Exception {
    Pipeline p = pipeline(host);
    HTTP.send(HttpRequest.newBuilder(host.resolve("/" + p.deadLetterIndex() + DAY + "/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            host.resolve("/" + p.deadLetterIndex() + DAY + "/_search?q=" + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).at("/hits/total/value").asInt(-1);
  }

  static Pipeline pipeline(URI host) throws Exception {
    LogPipeline lp = new LogPipeline();
    lp.getMetadata().setName("checkout");
    lp.getMetadata().setNamespace("shop");
    LogPipelineSpec spec = new LogPipelineSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setCluster("my-cluster");
    spec.setKafka(kafka);
    ElasticsearchSpec es = new ElasticsearchSpec();
    es.setHosts(new ArrayList<>(List.of(host.toString())));
    es.setIndex("logs-checkout");
    TemplateSpec template = new TemplateSpec();
    template.setReplicas(0);
    template.setMappings(JSON.readTree("{\"properties\": {\"status\": {\"type\": \"long\"},"
        + " \"labels\": {\"properties\": {\"team\": {\"type\": \"keyword\"}}}}}"));
    es.setTemplate(template);
    spec.setElasticsearch(es);
    lp.setSpec(spec);
    return Pipeline.resolve(lp);
  }

  private static HttpResponse<String> put(URI host, String index, String id, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(host.resolve("/" + index + "/_doc/" + id + "?refresh=true"))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private DeadLetterTemplateCheck() {}
}
