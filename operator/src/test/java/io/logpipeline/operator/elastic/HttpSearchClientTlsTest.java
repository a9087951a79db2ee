package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS and basic auth of {@link HttpSearchClient}, against a small HTTPS server that answers like a
 * secured Elasticsearch: the in-process OpenSearch node has no TLS without its security plugin.
 * Certificates are made with the JDK's keytool, so no test library is needed for them.
 */
class HttpSearchClientTlsTest {

  private static final String PASSWORD = "s3cret-Pa55";
  private static final String EXPECTED_AUTH = "Basic " + Base64.getEncoder()
      .encodeToString(("operator:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private static Path dir;
  private static HttpsServer rightName;
  private static HttpsServer wrongName;
  private static String rightNamePem;
  private static String wrongNamePem;

  @BeforeAll
  static void startServers() throws Exception {
    dir = Files.createTempDirectory("search-tls");
    rightNamePem = selfSigned("right", "ip:127.0.0.1");
    wrongNamePem = selfSigned("wrong", "dns:elsewhere.invalid");
    rightName = serve("right");
    wrongName = serve("wrong");
  }

  @AfterAll
  static void stopServers() throws IOException {
    for (HttpsServer server : new HttpsServer[] {rightName, wrongName}) {
      if (server != null) {
        server.stop(0);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void trustsTheGivenCaAndSendsBasicAuth() throws Exception {
    try (HttpSearchClient client = client(rightName, "operator", PASSWORD, rightNamePem, false)) {
      assertThat(client.getIndexTemplate("logs").orElseThrow().get("priority").asInt())
          .isEqualTo(100);
    }
  }

  @Test
  void wrongPasswordIsUnauthorizedAndNotRepeated() throws Exception {
    try (HttpSearchClient client = client(rightName, "operator", "wrong-pw", rightNamePem, false)) {
      SearchException e = catchThrowableOfType(SearchException.class,
          () -> client.getIndexTemplate("logs"));

      assertThat(e.reason()).isEqualTo(SearchException.Reason.Unauthorized);
      assertThat(e.getMessage())
          .contains(uri(rightName).toString(), "401", "security_exception")
          .doesNotContain("wrong-pw");
    }
  }

  @Test
  void certificateNotSignedByTheCaIsUnreachable() throws Exception {
    try (HttpSearchClient client = client(rightName, null, null, wrongNamePem, false)) {
      SearchException e = catchThrowableOfType(SearchException.class,
          () -> client.getIndexTemplate("logs"));

      assertThat(e.reason()).isEqualTo(SearchException.Reason.Unreachable);
      assertThat(e.getMessage()).startsWith("cannot reach " + uri(rightName) + ": ");
    }
  }

  @Test
  void hostNameIsVerifiedUnlessInsecure() throws Exception {
    try (HttpSearchClient strict = client(wrongName, "operator", PASSWORD, wrongNamePem, false);
        HttpSearchClient insecure = client(wrongName, "operator", PASSWORD, null, true)) {
      SearchException e = catchThrowableOfType(SearchException.class,
          () -> strict.getIndexTemplate("logs"));
      assertThat(e.reason()).isEqualTo(SearchException.Reason.Unreachable);
      assertThat(e.getMessage()).contains("127.0.0.1");

      assertThat(insecure.getIndexTemplate("logs")).isPresent();
    }
  }

  @Test
  void caPemWithoutCertificateIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> client(rightName, null, null, "not a certificate", false))
        .withMessageContaining("caPem");
  }

  private static HttpSearchClient client(
      HttpsServer server, String user, String password, String caPem, boolean insecure) {
    return new HttpSearchClient(
        new SearchConnection(List.of(uri(server)), user, password, caPem, insecure));
  }

  private static URI uri(HttpsServer server) {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Makes a self-signed certificate in {@code <name>.p12} and returns it as PEM. */
  private static String selfSigned(String name, String subjectAltName) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair",
        "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=" + name, "-ext", "SAN=" + subjectAltName,
        "-keystore", dir.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    byte[] der = keyStore(name).getCertificate(name).getEncoded();
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  private static KeyStore keyStore(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
      store.load(in, "changeit".toCharArray());
    }
    return store;
  }

  /** Serves one template to requests with the right credentials, and 401 to the others. */
  private static HttpsServer serve(String name) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore(name), "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/_index_template/", exchange -> {
      if (EXPECTED_AUTH.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 200, """
            {"index_templates":[{"name":"logs","index_template":
              {"index_patterns":["logs-*"],"priority":100,"composed_of":[]}}]}""");
      } else {
        respond(exchange, 401, """
            {"error":{"type":"security_exception",
              "reason":"unable to authenticate user [operator] for REST request"},"status":401}""");
      }
    });
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
