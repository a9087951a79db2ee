package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link SearchClient} that talks HTTP(S) to Elasticsearch or OpenSearch with the JDK's
 * {@link HttpClient}, trying the configured hosts in order.
 */
public final class HttpSearchClient implements SearchClient {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> hosts;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;

  /** A client with the default timeouts: 5 s to connect, 15 s for an answer. */
  public HttpSearchClient(SearchConnection connection) {
    this(connection, REQUEST_TIMEOUT);
  }

  /**
   * A client that waits at most {@code requestTimeout} for each host's answer.
   *
   * @throws IllegalArgumentException when a host is not an http(s) URL, carries credentials, or
   *     {@code caPem} holds no readable certificate
   */
  public HttpSearchClient(SearchConnection connection, Duration requestTimeout) {
    for (URI host : connection.hosts()) {
      // The URL ends up in every error message; credentials go in username/password only.
      if (host.getUserInfo() != null) {
        throw new IllegalArgumentException("a host URL must not carry credentials");
      }
      if (!"http".equals(host.getScheme()) && !"https".equals(host.getScheme())) {
        throw new IllegalArgumentException("host " + host + " is not an http or https URL");
      }
    }
    this.hosts = connection.hosts();
    if (connection.apiKey() != null) {
      // Elasticsearch wants base64("id:api_key"); the Secret holds "id:api_key", as Logstash does.
      this.authorization = "ApiKey " + Base64.getEncoder()
          .encodeToString(connection.apiKey().getBytes(StandardCharsets.UTF_8));
    } else {
      this.authorization = connection.username() == null ? null : "Basic " + Base64.getEncoder()
          .encodeToString((connection.username() + ":" + nullToEmpty(connection.password()))
              .getBytes(StandardCharsets.UTF_8));
    }
    this.requestTimeout = requestTimeout;
    // Elasticsearch serves HTTP/1.1 only; the JDK's h2c upgrade attempt would just add headers
    // that some proxies in front of it mishandle.
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT);
    if (connection.insecureSkipVerify() || connection.caPem() != null) {
      builder.sslContext(sslContext(connection));
    }
    this.http = builder.build();
  }

  @Override
  public Optional<ObjectNode> getIndexTemplate(String name) throws SearchException {
    Answer answer = send("GET", templatePath(name), null, true);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    // A name may be a wildcard pattern server-side, so the answer is a list: pick ours.
    for (JsonNode entry : answer.json().path("index_templates")) {
      if (name.equals(entry.path("name").asText())
          && entry.get("index_template") instanceof ObjectNode template) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  @Override
  public void putIndexTemplate(String name, ObjectNode body) throws SearchException {
    send("PUT", templatePath(name), body, false);
  }

  @Override
  public boolean deleteIndexTemplate(String name) throws SearchException {
    return send("DELETE", templatePath(name), null, true).status() != 404;
  }

  @Override
  public Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi api, String name)
      throws SearchException {
    String path = policyPath(api, name);
    Answer answer = exchange("GET", path, null);
    int status = answer.status();
    if (status == 200) {
      JsonNode json = answer.json();
      JsonNode policy = api == LifecycleApi.ILM ? json.path(name).path("policy") : json.path("policy");
      if (!(policy instanceof ObjectNode stored)) {
        throw new SearchException(SearchException.Reason.ServerError, answer.host() + " answered"
            + " GET " + path + " without a policy: " + abbreviate(answer.body()));
      }
      return Optional.of(new StoredPolicy(stored, json.path("_seq_no").asLong(-1),
          json.path("_primary_term").asLong(-1)));
    }
    // ILM says a policy is absent with resource_not_found_exception. A cluster without ILM
    // answers 404 too (Elasticsearch OSS takes "_ilm" for an index name) but with another type.
    boolean absent = status == 404 && (api == LifecycleApi.ISM
        || "resource_not_found_exception".equals(answer.errorType()));
    if (absent) {
      return Optional.empty();
    }
    if (status == 401 || status == 403 || status / 100 == 5) {
      throw failure(answer, "GET " + path);
    }
    if (status / 100 == 4 && (api == LifecycleApi.ILM || answer.isRouteMissing())) {
      throw new SearchException(SearchException.Reason.Unsupported, answer.host() + " has no "
          + api.name() + ": GET " + path + " answered " + status + " " + errorText(answer.body()));
    }
    throw failure(answer, "GET " + path);
  }

  @Override
  public void putLifecyclePolicy(LifecycleApi api, String name, ObjectNode body,
      StoredPolicy current) throws SearchException {
    String path = policyPath(api, name);
    if (api == LifecycleApi.ISM && current != null) {
      path += "?if_seq_no=" + current.seqNo() + "&if_primary_term=" + current.primaryTerm();
    }
    send("PUT", path, body, false);
  }

  @Override
  public PolicyDeletion deleteLifecyclePolicy(LifecycleApi api, String name)
      throws SearchException {
    String path = policyPath(api, name);
    Answer answer = exchange("DELETE", path, null);
    if (answer.status() / 100 == 2) {
      return PolicyDeletion.DELETED;
    }
    if (answer.status() == 404) {
      return PolicyDeletion.ABSENT;
    }
    // "Cannot delete policy [x]. It is in use by one or more indices: [...]"
    if (api == LifecycleApi.ILM && answer.status() == 400
        && "illegal_argument_exception".equals(answer.errorType())
        && errorText(answer.body()).contains("in use")) {
      return PolicyDeletion.IN_USE;
    }
    throw failure(answer, "DELETE " + path);
  }

  @Override
  public int changeManagedIndicesPolicy(String name, List<String> patterns)
      throws SearchException {
    String path = "/_plugins/_ism/change_policy/"
        + patterns.stream().map(HttpSearchClient::encode).collect(Collectors.joining(","));
    ObjectNode body = JSON.createObjectNode().put("policy_id", name);
    Answer answer = send("POST", path, body, true);
    return answer.status() == 404 ? 0 : answer.json().path("updated_indices").asInt(0);
  }

  @Override
  public boolean dataStreamExists(String name) throws SearchException {
    return send("GET", "/_data_stream/" + encode(name), null, true).status() != 404;
  }

  @Override
  public void createDataStream(String name) throws SearchException {
    String path = "/_data_stream/" + encode(name);
    Answer answer = exchange("PUT", path, null);
    // Created meanwhile, by Logstash's first write or another operator: that is what was wanted.
    if (answer.status() / 100 == 2
        || "resource_already_exists_exception".equals(answer.errorType())) {
      return;
    }
    throw failure(answer, "PUT " + path);
  }

  @Override
  public List<JsonNode> multiSearch(List<Search> searches) throws SearchException {
    if (searches.isEmpty()) {
      return List.of();
    }
    StringBuilder ndjson = new StringBuilder();
    for (Search search : searches) {
      ObjectNode header = JSON.createObjectNode();
      header.put("index", search.indices());
      header.put("ignore_unavailable", true);
      header.put("allow_no_indices", true);
      ndjson.append(header).append('\n').append(search.body()).append('\n');
    }
    Answer answer = exchange("POST", "/_msearch", ndjson.toString(), "application/x-ndjson");
    if (answer.status() / 100 != 2) {
      throw failure(answer, "POST /_msearch");
    }
    List<JsonNode> responses = new java.util.ArrayList<>();
    try {
      JSON.readTree(answer.body()).path("responses").forEach(responses::add);
    } catch (IOException e) {
      throw new SearchException(SearchException.Reason.ServerError,
          answer.host() + " answered _msearch with what is not JSON: " + abbreviate(answer.body()), e);
    }
    if (responses.size() != searches.size()) {
      throw new SearchException(SearchException.Reason.ServerError, answer.host() + " answered "
          + responses.size() + " of " + searches.size() + " searches of an _msearch");
    }
    return responses;
  }

  private static String policyPath(LifecycleApi api, String name) {
    return (api == LifecycleApi.ILM ? "/_ilm/policy/" : "/_plugins/_ism/policies/") + encode(name);
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable only from Java 21; on 17 its threads end when it is unreachable.
  }

  private static String templatePath(String name) {
    return "/_index_template/" + encode(name);
  }

  /** A path segment; '*' and ',' stay as they are, for patterns and lists. */
  private static String encode(String name) {
    // URLEncoder is for forms: its "+" for a space would be a literal plus in a path.
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%2A", "*");
  }

  /**
   * Sends the request to the first host that answers and classifies the status. A 404 goes back to
   * a caller that said what absence means; for the others it is a rejection (a wrong URL prefix, or
   * a server too old for composable templates). Every call here is idempotent, so a host that
   * failed mid-request can safely be retried on the next one.
   */
  private Answer send(String method, String path, ObjectNode body, boolean absentAllowed)
      throws SearchException {
    Answer answer = exchange(method, path, body);
    int status = answer.status();
    if (status / 100 == 2 || (status == 404 && absentAllowed)) {
      return answer;
    }
    throw failure(answer, method + " " + path);
  }

  /** Sends the request to the first host that answers, and returns whatever it answered. */
  private Answer exchange(String method, String path, ObjectNode body) throws SearchException {
    return exchange(method, path, body == null ? null : body.toString(), "application/json");
  }

  private Answer exchange(String method, String path, String body, String contentType) throws SearchException {
    IOException lastFailure = null;
    for (URI host : hosts) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(host) + path))
          .timeout(requestTimeout)
          .header("Accept", "application/json");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (body != null) {
        request.header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastFailure = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SearchException(SearchException.Reason.Unreachable,
            "interrupted while calling " + host, e);
      }
      return new Answer(host, response.statusCode(), response.body());
    }
    String tried = hosts.stream().map(URI::toString).collect(Collectors.joining(", "));
    throw new SearchException(SearchException.Reason.Unreachable,
        "cannot reach " + tried + ": " + describe(lastFailure), lastFailure);
  }

  /** The exception for an answer that is not what the call needed, by its status. */
  private static SearchException failure(Answer answer, String call) {
    int status = answer.status();
    SearchException.Reason reason = status == 401 || status == 403
        ? SearchException.Reason.Unauthorized
        : status / 100 == 4 ? SearchException.Reason.Rejected : SearchException.Reason.ServerError;
    return new SearchException(reason,
        answer.host() + " answered " + status + " to " + call + ": " + errorText(answer.body()));
  }

  /**
   * The server's own explanation, {@code type: reason}. Elastic nests the useful part: "template
   * after composition is invalid" is caused by "invalid composite mappings", caused by "No handler
   * for type [x]", so the innermost cause is added too.
   */
  private static String errorText(String body) {
    JsonNode error;
    try {
      error = JSON.readTree(body).path("error");
    } catch (IOException notJson) {
      return abbreviate(body);
    }
    if (error.isTextual()) {
      return error.asText();
    }
    if (!error.has("type") && !error.has("reason")) {
      return abbreviate(body);
    }
    JsonNode innermost = error;
    while (innermost.has("caused_by")) {
      innermost = innermost.get("caused_by");
    }
    String text = describeError(error);
    return innermost == error ? text : text + " (caused by " + describeError(innermost) + ")";
  }

  private static String describeError(JsonNode error) {
    return error.path("type").asText("") + ": " + error.path("reason").asText("");
  }

  private static String abbreviate(String body) {
    String flat = body.strip().replaceAll("\\s+", " ");
    if (flat.isEmpty()) {
      return "(empty body)";
    }
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }

  /**
   * The JDK 17 client throws a ConnectException without a message for a refused connection or an
   * unknown host name; the kind of failure is only in the exception classes.
   */
  private static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
      if (t instanceof UnresolvedAddressException) {
        return "unknown host name";
      }
    }
    return failure instanceof ConnectException
        ? "connection refused" : failure.getClass().getSimpleName();
  }

  private static String stripSlash(URI host) {
    String s = host.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static SSLContext sslContext(SearchConnection connection) {
    try {
      TrustManager[] trust;
      if (connection.insecureSkipVerify()) {
        trust = new TrustManager[] {new TrustEverything()};
      } else {
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(
                connection.caPem().getBytes(StandardCharsets.US_ASCII)));
        if (certificates.isEmpty()) {
          throw new IllegalArgumentException("caPem holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        trust = factory.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "caPem cannot be read as PEM certificates: " + e.getMessage(), e);
    }
  }

  /** A response the caller has to interpret. */
  private record Answer(URI host, int status, String body) {

    /** The error's {@code type} (e.g. resource_not_found_exception), or null. */
    String errorType() {
      try {
        JsonNode type = JSON.readTree(body).path("error").path("type");
        return type.isTextual() ? type.asText() : null;
      } catch (IOException notJson) {
        return null;
      }
    }

    /**
     * Whether the server has no handler for the path at all, as Elasticsearch and OpenSearch
     * answer for an API no installed plugin serves ("no handler found for uri ...", or "Incorrect
     * HTTP method" when another route of the same shape exists).
     */
    boolean isRouteMissing() {
      if (status != 400 && status != 405) {
        return false;
      }
      String text = errorText(body);
      return text.startsWith("no handler found") || text.startsWith("Incorrect HTTP method");
    }

    JsonNode json() throws SearchException {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new SearchException(SearchException.Reason.ServerError,
            host + " answered " + status + " with a body that is not JSON: " + abbreviate(body), e);
      }
    }
  }

  /**
   * Accepts any certificate. It must be an X509ExtendedTrustManager: the JDK wraps a plain
   * X509TrustManager in one that still checks the host name, and the HttpClient offers no other
   * switch for that than a JVM-wide system property.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override public void checkClientTrusted(X509Certificate[] chain, String auth, Socket s) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String auth, Socket s) { }
    @Override public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine e) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine e) { }
    @Override public void checkClientTrusted(X509Certificate[] chain, String auth) { }
    @Override public void checkServerTrusted(X509Certificate[] chain, String auth) { }
    @Override public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
