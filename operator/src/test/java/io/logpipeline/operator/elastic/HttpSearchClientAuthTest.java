package io.logpipeline.operator.elastic;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client sends as Authorization, seen by a plain HTTP server on 127.0.0.1. */
class HttpSearchClientAuthTest {

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicAuthFromUsernameAndPassword() throws Exception {
    try (var client = new HttpSearchClient(
        new SearchConnection(List.of(uri()), "logstash", "pa:ss", null, false))) {
      assertThat(client.getIndexTemplate("t")).isEmpty();
    }
    assertThat(authorizations).containsExactly("Basic " + b64("logstash:pa:ss"));
  }

  @Test
  void apiKeyWinsOverBasicAuth() throws Exception {
    try (var client = new HttpSearchClient(
        new SearchConnection(List.of(uri()), "logstash", "secret", "VuaCfGcBCdbkQm:ui2lp2axTNmsyakw9tvNnw", null, false))) {
      assertThat(client.getIndexTemplate("t")).isEmpty();
    }
    assertThat(authorizations).containsExactly("ApiKey " + b64("VuaCfGcBCdbkQm:ui2lp2axTNmsyakw9tvNnw"));
  }

  @Test
  void noAuthorizationWithoutCredentials() throws Exception {
    try (var client = new HttpSearchClient(SearchConnection.plain(uri()))) {
      assertThat(client.getIndexTemplate("t")).isEmpty();
    }
    assertThat(authorizations).containsExactly((String) null);
  }

  @Test
  void toStringNeverShowsSecrets() {
    var connection = new SearchConnection(List.of(uri()), "u", "pw-123", "id:key-456", null, false);
    assertThat(connection.toString()).doesNotContain("pw-123").doesNotContain("key-456");
  }
}
