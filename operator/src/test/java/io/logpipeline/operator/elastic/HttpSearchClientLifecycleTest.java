package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle calls of {@link HttpSearchClient} on the wire, against a local HTTP server that
 * answers as ILM and ISM document their answers (Elastic's ILM API pages, OpenSearch's ISM API
 * page): which request goes out (method, path, query, body) and how each documented answer is
 * read. No server in the test JVM has ILM or ISM, so this is the contract as documented.
 */
class HttpSearchClientLifecycleTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private HttpSearchClient client;
  /** "METHOD path?query body" of each request, in order. */
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** "METHOD path" -> status and body to answer. */
  private final Map<String, Object[]> answers = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query)
          + (body.isEmpty() ? "" : " " + body));
      Object[] answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
          new Object[] {500, "{\"error\":\"not scripted\"}"});
      byte[] bytes = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders((Integer) answer[0], bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    client = new HttpSearchClient(SearchConnection.plain(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(String call, int status, String body) {
    answers.put(call, new Object[] {status, body});
  }

  @Test
  void ilmPolicyIsReadFromUnderItsName() throws Exception {
    answer("GET /_ilm/policy/logs-a", 200, """
        {"logs-a": {"version": 3, "modified_date": "2025-01-31T00:00:00.000Z",
          "policy": {"phases": {"delete": {"min_age": "30d", "actions": {"delete":
            {"delete_searchable_snapshot": true}}}}, "_meta": {"hash": "abc"}},
          "in_use_by": {"indices": [], "data_streams": [], "composable_templates": ["logs-a"]}}}
        """);
    StoredPolicy stored = client.getLifecyclePolicy(LifecycleApi.ILM, "logs-a").orElseThrow();
    assertThat(stored.policy().at("/_meta/hash").asText()).isEqualTo("abc");
  }

  @Test
  void ilmSaysAPolicyIsAbsentWithResourceNotFound() throws Exception {
    answer("GET /_ilm/policy/logs-a", 404, """
        {"error": {"root_cause": [{"type": "resource_not_found_exception",
          "reason": "Lifecycle policy not found: [logs-a]"}],
          "type": "resource_not_found_exception", "reason": "Lifecycle policy not found: [logs-a]"},
          "status": 404}
        """);
    assertThat(client.getLifecyclePolicy(LifecycleApi.ILM, "logs-a")).isEmpty();
  }

  @Test
  void ilmRefusesToDeleteAPolicyInUse() throws Exception {
    answer("DELETE /_ilm/policy/logs-a", 400, """
        {"error": {"root_cause": [{"type": "illegal_argument_exception", "reason":
          "Cannot delete policy [logs-a]. It is in use by one or more indices: [logs-a_2025.01.31]"}],
          "type": "illegal_argument_exception", "reason":
          "Cannot delete policy [logs-a]. It is in use by one or more indices: [logs-a_2025.01.31]"},
          "status": 400}
        """);
    assertThat(client.deleteLifecyclePolicy(LifecycleApi.ILM, "logs-a"))
        .isEqualTo(SearchClient.PolicyDeletion.IN_USE);
  }

  @Test
  void ismUpdatesSendBackTheSequenceNumberAndPrimaryTermTheyRead() throws Exception {
    answer("GET /_plugins/_ism/policies/logs-a", 200, """
        {"_id": "logs-a", "_version": 2, "_seq_no": 10, "_primary_term": 1,
         "policy": {"policy_id": "logs-a", "description": "d", "last_updated_time": 1577990934044,
           "schema_version": 1, "error_notification": null, "default_state": "hot", "states": []}}
        """);
    answer("PUT /_plugins/_ism/policies/logs-a", 200, "{\"_id\": \"logs-a\", \"_seq_no\": 11}");
    answer("PUT /_plugins/_ism/policies/logs-b", 201, "{\"_id\": \"logs-b\", \"_seq_no\": 0}");
    StoredPolicy stored = client.getLifecyclePolicy(LifecycleApi.ISM, "logs-a").orElseThrow();
    assertThat(stored.seqNo()).isEqualTo(10);
    assertThat(stored.primaryTerm()).isEqualTo(1);
    assertThat(stored.policy().path("description").asText()).isEqualTo("d");

    ObjectNode body = (ObjectNode) JSON.readTree("{\"policy\":{\"description\":\"e\"}}");
    client.putLifecyclePolicy(LifecycleApi.ISM, "logs-a", body, stored);
    client.putLifecyclePolicy(LifecycleApi.ISM, "logs-b", body, null);

    assertThat(requests).contains(
        "PUT /_plugins/_ism/policies/logs-a?if_seq_no=10&if_primary_term=1 {\"policy\":{\"description\":\"e\"}}",
        "PUT /_plugins/_ism/policies/logs-b {\"policy\":{\"description\":\"e\"}}");
  }

  @Test
  void ismSaysAPolicyIsAbsentWith404() throws Exception {
    answer("GET /_plugins/_ism/policies/logs-a", 404, """
        {"error": {"root_cause": [{"type": "status_exception", "reason": "Policy not found"}],
          "type": "status_exception", "reason": "Policy not found"}, "status": 404}
        """);
    assertThat(client.getLifecyclePolicy(LifecycleApi.ISM, "logs-a")).isEmpty();
  }

  @Test
  void ismMovesManagedIndicesByPattern() throws Exception {
    answer("POST /_plugins/_ism/change_policy/logs-a_2*", 200,
        "{\"updated_indices\": 2, \"failures\": false, \"failed_indices\": []}");
    assertThat(client.changeManagedIndicesPolicy("logs-a", List.of("logs-a_2*"))).isEqualTo(2);
    assertThat(requests).containsExactly(
        "POST /_plugins/_ism/change_policy/logs-a_2* {\"policy_id\":\"logs-a\"}");
  }

  @Test
  void aDataStreamCreatedMeanwhileIsWhatWasWanted() throws Exception {
    answer("PUT /_data_stream/logs-a", 400, """
        {"error": {"root_cause": [{"type": "resource_already_exists_exception",
          "reason": "data_stream [logs-a] already exists"}],
          "type": "resource_already_exists_exception", "reason": "data_stream [logs-a] already exists"},
          "status": 400}
        """);
    client.createDataStream("logs-a");
    assertThat(requests).containsExactly("PUT /_data_stream/logs-a");
  }

  @Test
  void aMissingPrivilegeIsUnauthorizedNotUnsupported() {
    answer("GET /_ilm/policy/logs-a", 403, """
        {"error": {"type": "security_exception", "reason":
          "action [cluster:admin/ilm/get] is unauthorized for user [logpipeline]"}, "status": 403}
        """);
    SearchException e = org.assertj.core.api.Assertions.catchThrowableOfType(SearchException.class,
        () -> client.getLifecyclePolicy(LifecycleApi.ILM, "logs-a"));
    assertThat(e.reason()).isEqualTo(SearchException.Reason.Unauthorized);
    assertThat(e.getMessage()).contains("cluster:admin/ilm/get");
  }
}
