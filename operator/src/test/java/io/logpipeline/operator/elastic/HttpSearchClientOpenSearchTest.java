package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link HttpSearchClient} against a real OpenSearch 2.19 node started in this JVM. */
class HttpSearchClientOpenSearchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  @Test
  void absentTemplateIsEmpty() throws Exception {
    assertThat(client.getIndexTemplate("logs-never-written")).isEmpty();
  }

  @Test
  void putTemplateIsReadBackAsSent() throws Exception {
    client.putIndexTemplate("logs-read-back", template("logs-read-back-*", 200, "abc"));

    ObjectNode stored = client.getIndexTemplate("logs-read-back").orElseThrow();

    assertThat(stored.get("index_patterns")).isEqualTo(json("[\"logs-read-back-*\"]"));
    assertThat(stored.get("priority").asInt()).isEqualTo(200);
    assertThat(stored.get("_meta")).isEqualTo(json("{\"hash\":\"abc\",\"managed_by\":\"test\"}"));
    assertThat(stored.at("/template/mappings"))
        .isEqualTo(template("x", 0, "").at("/template/mappings"));
    // Settings come back flattened under "index" with every value a string.
    assertThat(stored.at("/template/settings"))
        .isEqualTo(json("{\"index\":{\"number_of_shards\":\"1\",\"number_of_replicas\":\"0\"}}"));
    // OpenSearch fills in the data stream's default timestamp field.
    assertThat(stored.get("data_stream"))
        .isEqualTo(json("{\"timestamp_field\":{\"name\":\"@timestamp\"}}"));
  }

  @Test
  void putAgainReplacesTheTemplate() throws Exception {
    client.putIndexTemplate("logs-replaced", template("logs-replaced-*", 100, "v1"));
    client.putIndexTemplate("logs-replaced", template("logs-replaced-*", 150, "v2"));

    ObjectNode stored = client.getIndexTemplate("logs-replaced").orElseThrow();

    assertThat(stored.get("priority").asInt()).isEqualTo(150);
    assertThat(stored.at("/_meta/hash").asText()).isEqualTo("v2");
  }

  @Test
  void deleteReportsWhetherTheTemplateExisted() throws Exception {
    client.putIndexTemplate("logs-deleted", template("logs-deleted-*", 100, "x"));

    assertThat(client.deleteIndexTemplate("logs-deleted")).isTrue();
    assertThat(client.getIndexTemplate("logs-deleted")).isEmpty();
    assertThat(client.deleteIndexTemplate("logs-deleted")).isFalse();
  }

  @Test
  void badMappingIsRejectedWithTheServersReason() throws Exception {
    ObjectNode body = template("logs-bad-*", 100, "x");
    body.with("template").with("mappings").with("properties").putObject("message")
        .put("type", "no_such_type");

    SearchException e = catchThrowableOfType(SearchException.class,
        () -> client.putIndexTemplate("logs-bad", body));

    assertThat(e.reason()).isEqualTo(SearchException.Reason.Rejected);
    assertThat(e.getMessage())
        .contains(node.httpUri().toString())
        .contains("400")
        .contains("mapper_parsing_exception")
        .contains("no_such_type");
    assertThat(client.getIndexTemplate("logs-bad")).isEmpty();
  }

  @Test
  void closedPortIsUnreachableAndNamed() throws Exception {
    URI closed = URI.create("http://127.0.0.1:" + closedPort());
    try (HttpSearchClient down = new HttpSearchClient(SearchConnection.plain(closed))) {
      SearchException e = catchThrowableOfType(SearchException.class,
          () -> down.getIndexTemplate("anything"));

      // Refused at once, not given up on after the connect timeout: the message says which.
      assertThat(e.reason()).isEqualTo(SearchException.Reason.Unreachable);
      assertThat(e.getMessage()).isEqualTo("cannot reach " + closed + ": connection refused");
    }
  }

  @Test
  void nextHostIsTriedWhenTheFirstIsDown() throws Exception {
    URI closed = URI.create("http://127.0.0.1:" + closedPort());
    SearchConnection both = new SearchConnection(
        List.of(closed, node.httpUri()), null, null, null, false);
    client.putIndexTemplate("logs-second-host", template("logs-second-host-*", 100, "x"));

    try (HttpSearchClient failover = new HttpSearchClient(both)) {
      Optional<ObjectNode> stored = failover.getIndexTemplate("logs-second-host");

      assertThat(stored).isPresent();
    }
  }

  @Test
  void templateOutlivesARestartAndTheClientReconnects() throws Exception {
    client.putIndexTemplate("logs-restart", template("logs-restart-*", 100, "before"));

    node.stop();
    try {
      SearchException e = catchThrowableOfType(SearchException.class,
          () -> client.getIndexTemplate("logs-restart"));
      assertThat(e.reason()).isEqualTo(SearchException.Reason.Unreachable);
    } finally {
      node.start();
    }

    assertThat(client.getIndexTemplate("logs-restart").orElseThrow().at("/_meta/hash").asText())
        .isEqualTo("before");
    client.putIndexTemplate("logs-restart", template("logs-restart-*", 100, "after"));
    assertThat(client.getIndexTemplate("logs-restart").orElseThrow().at("/_meta/hash").asText())
        .isEqualTo("after");
  }

  /**
   * A composable template as the operator writes one: data stream, one shard, an explicit
   * {@code @timestamp} and dynamic strings as keywords, and the spec's hash in {@code _meta}.
   */
  static ObjectNode template(String pattern, int priority, String hash) {
    return (ObjectNode) json("""
        {
          "index_patterns": ["%s"],
          "priority": %d,
          "template": {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {
              "dynamic_templates": [
                {"strings_as_keyword": {
                  "match_mapping_type": "string",
                  "mapping": {"type": "keyword", "ignore_above": 1024}}}
              ],
              "properties": {"@timestamp": {"type": "date"}}
            }
          },
          "_meta": {"hash": "%s", "managed_by": "test"},
          "data_stream": {}
        }
        """.formatted(pattern, priority, hash));
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A port nothing listens on: taken from the OS, then released. */
  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
