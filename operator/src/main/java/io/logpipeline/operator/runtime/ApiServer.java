package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The Kubernetes API server as the operator sees it, from the requests its client makes (an
 * interceptor on that client, so nothing polls): whether it answers, whether it throttles, and
 * which APIs the informers cannot list or watch (a CRD not installed, a permission missing).
 * Each of these logs its changes once ({@link Reachability}).
 *
 * <p>fabric8's informers log every failed list or watch at WARN with the stack trace, and JOSDK
 * gives them no way to say otherwise (it installs its own exception handler, and the Reflector
 * logs before it asks that handler); the operator's log4j2 configurations therefore raise those
 * loggers to ERROR, and these lines take their place.
 */
public final class ApiServer implements Interceptor {

  /** The interceptor's name on the client's HTTP client. */
  public static final String INTERCEPTOR = "logpipeline-api-server";
  /** How long without a 429 before throttling counts as over. */
  static final Duration THROTTLING_QUIET = Duration.ofSeconds(30);
  /** Pause between two probes at start-up, after the client's own retries gave up. */
  static final Duration PROBE_PAUSE = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final URI url;
  private final Logger log;
  private final Reachability server;
  private final Reachability throttling;
  private final Map<ApiResource, Reachability> resources = new ConcurrentHashMap<>();
  private volatile long lastThrottledNanos;

  public ApiServer(String masterUrl) {
    this(masterUrl, LOG);
  }

  ApiServer(String masterUrl, Logger log) {
    this.url = URI.create(masterUrl.endsWith("/") ? masterUrl : masterUrl + "/");
    this.log = log;
    this.server = Reachability.ofServer("API server " + url, log);
    this.throttling = Reachability.of("API server " + url, "throttles requests",
        "no longer throttles requests", log);
  }

  /**
   * A kind of object the API server serves, in one namespace or in all (null).
   *
   * @param group the API group, empty for the core group
   */
  public record ApiResource(String group, String version, String plural, String namespace) {

    public static ApiResource of(Class<? extends HasMetadata> type, String namespace) {
      return new ApiResource(HasMetadata.getGroup(type), HasMetadata.getVersion(type),
          HasMetadata.getPlural(type), namespace);
    }

    /**
     * The collection a request on this path is about: the one it reads (a list or a watch), or
     * the one the object it names belongs to.
     */
    static Optional<Request> parse(String path) {
      String[] s = path.replaceAll("^/+|/+$", "").split("/");
      int rest;
      String group;
      if (s.length >= 2 && s[0].equals("api")) {
        group = "";
        rest = 2;
      } else if (s.length >= 3 && s[0].equals("apis")) {
        group = s[1];
        rest = 3;
      } else {
        return Optional.empty();
      }
      String version = s[rest - 1];
      int left = s.length - rest;
      if (left >= 3 && s[rest].equals("namespaces")) {
        return Optional.of(new Request(new ApiResource(group, version, s[rest + 2], s[rest + 1]), left == 3));
      }
      if (left >= 1) {
        return Optional.of(new Request(new ApiResource(group, version, s[rest], null), left == 1));
      }
      return Optional.empty();
    }

    @Override
    public String toString() {
      String type = plural + (group.isEmpty() ? "" : "." + group) + "/" + version;
      return namespace == null ? type : type + " in namespace " + namespace;
    }
  }

  /** A request's collection, and whether it reads the whole collection or one object. */
  record Request(ApiResource resource, boolean collection) {}

  /** Thrown when the API server did not answer within the start-up timeout. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message) {
      super(message);
    }
  }

  /** Adds this interceptor to an HTTP client builder (the Kubernetes client's). */
  public void addTo(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor(INTERCEPTOR, this);
  }

  public URI url() {
    return url;
  }

  /** The API server itself: does it answer at all. */
  public Reachability reachability() {
    return server;
  }

  /** Whether the informers can list and watch this collection, as far as seen. */
  public Reachability resource(ApiResource resource) {
    return resources.computeIfAbsent(resource, r -> Reachability.ofApi(r.toString(), log));
  }

  /**
   * The type's name ({@code kafkatopics.kafka.strimzi.io/v1}) when the API server answered the
   * last list or watch of it with 404: it does not serve that API (its CRD is not installed).
   */
  public Optional<String> notServed(Class<? extends HasMetadata> type) {
    ApiResource all = ApiResource.of(type, null);
    return resources.entrySet().stream()
        .filter(e -> e.getKey().group().equals(all.group()) && e.getKey().version().equals(all.version())
            && e.getKey().plural().equals(all.plural()))
        .filter(e -> e.getValue().trouble().filter(t -> t.cause().equals("HTTP 404")).isPresent())
        .map(e -> all.toString())
        .findFirst();
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    observe(request, response.code());
  }

  @Override
  public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
    // A watch's failed upgrade comes only here; a plain request's failure was seen by after().
    if (response.request() != null) {
      observe(response.request(), response.code());
    }
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    Failures.Described d = Failures.describe(failure);
    // A cancelled request (an informer stopping) or a closed client says nothing of the server.
    if (d.expected()) {
      server.failed(d.cause(), d.message());
    }
  }

  private void observe(HttpRequest request, int code) {
    server.succeeded();
    if (code == 429) {
      lastThrottledNanos = System.nanoTime();
      throttling.failed("HTTP 429", "HTTP 429 Too Many Requests (the client waits as long as"
          + " Retry-After says)");
    } else if (succeeded(code) && throttling.trouble().isPresent()
        && System.nanoTime() - lastThrottledNanos > THROTTLING_QUIET.toNanos()) {
      throttling.succeeded();
    }
    if (!"GET".equals(request.method())) {
      return;
    }
    Optional<Request> read = ApiResource.parse(request.uri().getPath());
    if (read.isEmpty()) {
      return;
    }
    ApiResource resource = read.get().resource();
    if (succeeded(code)) {
      Reachability seen = resources.get(resource);
      if (seen != null) {
        seen.succeeded();
      }
    } else if (code == 401 || code == 403 || (code == 404 && read.get().collection())) {
      // Only what lasts until someone acts: a 404 for one object just says it does not exist,
      // and 5xx, 409 or 410 (a watch too old) are over at the client's or the informer's retry.
      resource(resource).failed("HTTP " + code, explain(code));
    }
  }

  /** 101: a watch's WebSocket upgrade, which reaches afterFailure() for not being a 2xx. */
  private static boolean succeeded(int code) {
    return code / 100 == 2 || code == 101;
  }

  private static String explain(int code) {
    return switch (code) {
      case 401 -> "HTTP 401 Unauthorized: the API server refuses the operator's credentials";
      case 403 -> "HTTP 403 Forbidden: the operator may not read these (check its ClusterRole and"
          + " Roles; the chart creates them with rbac.create)";
      default -> "HTTP 404 Not Found: the API server does not serve this API (is its"
          + " CustomResourceDefinition installed?)";
    };
  }

  /**
   * Waits until the API server answers {@code GET /version} (any HTTP answer counts: the
   * informers then report what they cannot read). Each probe goes through the client, with its
   * retries; a failed one is followed by another until the timeout.
   *
   * @param stop true once the process is asked to stop: this returns empty at once
   * @return the server's version, e.g. {@code v1.30.2}, or empty when asked to stop
   * @throws Unreachable when the timeout passes without an answer
   */
  public Optional<String> awaitReachable(KubernetesClient client, Duration timeout, BooleanSupplier stop)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = client.getHttpClient();
    HttpRequest version = http.newHttpRequestBuilder().uri(url.resolve("version")).build();
    while (true) {
      CompletableFuture<HttpResponse<String>> probe = http.sendAsync(version, String.class);
      try {
        while (true) {
          if (stop.getAsBoolean()) {
            return Optional.empty();
          }
          if (System.nanoTime() - deadline > 0) {
            throw new Unreachable(server.describe().orElse("API server " + url + " did not answer")
                + " for " + Reachability.brief(timeout) + "; giving up (run's --api-server-timeout"
                + " sets how long to wait)");
          }
          try {
            HttpResponse<String> answer = probe.get(100, TimeUnit.MILLISECONDS);
            return Optional.of(versionOf(client, answer));
          } catch (TimeoutException stillWaiting) {
            // look at the stop request and the deadline again
          } catch (ExecutionException failed) {
            server.failed(failed.getCause());
            break;
          }
        }
      } finally {
        probe.cancel(true);
      }
      long pauseUntil = System.nanoTime() + PROBE_PAUSE.toNanos();
      while (System.nanoTime() - pauseUntil < 0 && !stop.getAsBoolean()) {
        Thread.sleep(50);
      }
    }
  }

  private static String versionOf(KubernetesClient client, HttpResponse<String> answer) {
    if (answer.code() / 100 != 2) {
      return "unknown version (HTTP " + answer.code() + " to GET /version)";
    }
    try {
      VersionInfo info = client.getKubernetesSerialization().unmarshal(answer.body(), VersionInfo.class);
      return info.getGitVersion() != null ? info.getGitVersion() : "unknown version";
    } catch (RuntimeException notVersionInfo) {
      return "unknown version";
    }
  }
}
