package io.logpipeline.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.logpipeline.operator.runtime.RetryAfter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The fabric8 mock API server in CRUD mode, with faults injected into the requests of chosen
 * clients (told apart by their User-Agent): 500s, 409 conflicts and 429s with Retry-After on
 * writes, and
 * timeouts whose write did happen (the response is held back past the client's timeout, as when
 * a reply is lost), at a given rate; refusals of everything from a "crashed" client; and API
 * groups that are not installed (404, as the API server answers for a CRD that does not exist).
 *
 * <p>Watches behave as a real API server's do where the mock's would lose events: the mock keeps
 * no history and cannot replay, so a watch from a resourceVersion older than the last change of
 * its kind is answered 410 Gone (as a real one answers once that version is compacted), and the
 * client lists again. A test can also drop the open watches of a client mid-stream, and refuse
 * its new ones for a while.
 *
 * <p>It counts what it did, and checks that a client honours Retry-After: a request repeated
 * sooner than the 429 told is counted as a violation.
 */
public final class FaultyApiServer implements AutoCloseable {

  /** The faults injected at random. */
  public enum Fault { SERVER_ERROR, CONFLICT, TOO_MANY_REQUESTS, TIMEOUT }

  /** Retry-After sent with a 429, in seconds. */
  public static final int RETRY_AFTER_SECONDS = 1;
  /** The header the tests' clients stamp each request with: when it left the client (nanoTime). */
  static final String SENT_AT = "X-Test-Sent-At";

  /** The mock server logs every request at INFO through java.util.logging: thousands of lines. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final Dispatcher dispatcher;

  private FaultyApiServer(KubernetesMockServer server, Dispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
  }

  /**
   * Starts on 127.0.0.1, on a free port, with no faults, the status subresource of the kinds
   * that have one, and the LogPipeline CRD installed ({@link ApiSemantics}).
   */
  public static FaultyApiServer start() {
    Dispatcher dispatcher = new Dispatcher();
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    FaultyApiServer api = new FaultyApiServer(server, dispatcher);
    try (KubernetesClient setup = api.client("setup", Duration.ofSeconds(10))) {
      ApiSemantics.apply(dispatcher, setup);
    }
    return api;
  }

  /**
   * A client of its own, told apart from others by {@code userAgent}, configured as the
   * operator's {@code run} command configures its client.
   */
  public KubernetesClient client(String userAgent, Duration requestTimeout) {
    dispatcher.requestTimeouts.put(userAgent, requestTimeout.toNanos());
    return server.createClient(b -> b.editOrNewConfig()
        .withUserAgent(userAgent)
        .withRequestTimeout((int) requestTimeout.toMillis())
        .endConfig()
        .withHttpClientBuilderConsumer(http -> {
          RetryAfter.addTo(http);
          // When the request left the client (same JVM, same clock): see TOO_MANY_REQUESTS.
          http.addOrReplaceInterceptor("test-sent-at", new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
              builder.setHeader(SENT_AT, Long.toString(System.nanoTime()));
            }
          });
        }));
  }

  /** A client that faults never touch (the test's own, and the simulated controllers'). */
  public KubernetesClient client() {
    return client("test", Duration.ofSeconds(10));
  }

  /**
   * From now on, a share {@code rate} of the requests of clients whose User-Agent {@code
   * affected} accepts fail with one of {@code faults}, chosen at random from {@code seed}.
   * A timeout holds the response back for {@code timeout}, which should exceed the client's.
   */
  public void injectFaults(Predicate<String> affected, double rate, List<Fault> faults, long seed,
      Duration timeout) {
    dispatcher.faults = new Faults(affected, rate, List.copyOf(faults), new Random(seed), timeout);
  }

  public void stopFaults() {
    dispatcher.faults = null;
  }

  /**
   * Every request from {@code userAgent} is refused with 403 (which clients do not retry) from
   * the moment that client has made {@code writes} more writes: the process is as good as dead
   * after that write, and what it does next never reaches the server.
   */
  public void crashAfterWrites(String userAgent, int writes) {
    dispatcher.crash = new Crash(userAgent, new AtomicLong(writes));
  }

  public boolean crashed() {
    Crash crash = dispatcher.crash;
    return crash != null && crash.remaining.get() < 0;
  }

  public void recover() {
    dispatcher.crash = null;
  }

  /** Paths of this API group answer 404, as when its CRDs are not installed. */
  public void uninstallApiGroup(String group) {
    dispatcher.uninstalled.add("/apis/" + group + "/");
  }

  public void installApiGroup(String group) {
    dispatcher.uninstalled.remove("/apis/" + group + "/");
  }

  /** Paths that start with this answer 403, as when RBAC does not grant them. */
  public void forbid(String pathPrefix) {
    dispatcher.forbidden.add(pathPrefix);
  }

  /** Requests answered 404 so far because their API group is not installed. */
  public long notInstalledAnswers() {
    return dispatcher.notInstalled.get();
  }

  /**
   * Closes every open watch of {@code userAgent}, as a load balancer or an API server restart
   * does; returns how many. The client watches again from the last version it saw.
   */
  public int dropWatches(String userAgent) {
    int dropped = 0;
    for (var w : dispatcher.openWatches) {
      if (w.agent().equals(userAgent) && w.socket().close(1001, "dropped (test)")) {
        dropped++;
      }
    }
    dispatcher.openWatches.removeIf(w -> w.agent().equals(userAgent));
    dispatcher.dropped.addAndGet(dropped);
    return dropped;
  }

  /** While true, new watches of {@code userAgent} are refused (503), so changes pile up unseen. */
  public void refuseWatches(String userAgent, boolean refuse) {
    if (refuse) {
      dispatcher.watchesRefused.add(userAgent);
    } else {
      dispatcher.watchesRefused.remove(userAgent);
    }
  }

  /** Watches answered 410 Gone because their resourceVersion was older than a change since. */
  public long watchesGone() {
    return dispatcher.gone.get();
  }

  /** Open watches of {@code userAgent}. */
  public long openWatches(String userAgent) {
    return dispatcher.openWatches.stream().filter(w -> w.agent().equals(userAgent)).count();
  }

  /** "METHOD path" of every write of {@code userAgent} so far, in order. */
  public List<String> writeLog(String userAgent) {
    return List.copyOf(dispatcher.writeLog.getOrDefault(userAgent, List.of()));
  }

  /** Requests of {@code userAgent} seen so far, faulted or not. */
  public long requests(String userAgent) {
    return dispatcher.requests.getOrDefault(userAgent, new AtomicLong()).get();
  }

  /** Writes (POST, PUT, PATCH, DELETE) of {@code userAgent} seen so far, faulted or not. */
  public long writes(String userAgent) {
    return dispatcher.writes.getOrDefault(userAgent, new AtomicLong()).get();
  }

  public Map<Fault, Long> injected() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    dispatcher.injected.forEach((f, n) -> counts.put(f, n.get()));
    return counts;
  }

  public long totalInjected() {
    return dispatcher.injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Requests repeated sooner than the Retry-After of the 429 they got. */
  public long retryAfterViolations() {
    return dispatcher.retryAfterViolations.get();
  }

  /** Requests that came back after a 429, at or after the time Retry-After told. */
  public long retryAfterHonoured() {
    return dispatcher.retryAfterHonoured.get();
  }

  @Override
  public void close() {
    server.destroy();
  }

  private record Faults(Predicate<String> affected, double rate, List<Fault> kinds, Random random,
      Duration timeout) {
    synchronized Fault next() {
      return random.nextDouble() < rate ? kinds.get(random.nextInt(kinds.size())) : null;
    }
  }

  private record Crash(String userAgent, AtomicLong remaining) {}

  private record OpenWatch(String agent, io.fabric8.mockwebserver.http.WebSocket socket) {}

  private static final class Dispatcher extends KubernetesCrudDispatcher {
    volatile Faults faults;
    volatile Crash crash;
    final List<String> uninstalled = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> forbidden = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
    /** A request that got a 429 (client, method, path, id) -> earliest time (nanos) it may come back. */
    final Map<String, Long> throttled = new ConcurrentHashMap<>();
    /** Each client's request timeout, by user agent. */
    final Map<String, Long> requestTimeouts = new ConcurrentHashMap<>();
    final AtomicLong retryAfterViolations = new AtomicLong();
    final AtomicLong retryAfterHonoured = new AtomicLong();
    final AtomicLong notInstalled = new AtomicLong();
    /** The resourceVersion of the last change of each kind ("group/plural"). */
    final Map<String, Long> lastChange = new ConcurrentHashMap<>();
    final List<OpenWatch> openWatches = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<String> watchesRefused = ConcurrentHashMap.newKeySet();
    final Map<String, List<String>> writeLog = new ConcurrentHashMap<>();
    final AtomicLong gone = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String agent = String.valueOf(request.getHeader("User-Agent"));
      String method = request.getMethod();
      boolean write = !"GET".equals(method);
      requests.computeIfAbsent(agent, a -> new AtomicLong()).incrementAndGet();
      if (write) {
        writes.computeIfAbsent(agent, a -> new AtomicLong()).incrementAndGet();
        writeLog.computeIfAbsent(agent, a -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(method + " " + request.getPath());
      }
      Crash c = crash;
      if (c != null && c.userAgent.equals(agent)) {
        // The write that reaches zero still happens; everything after it is refused.
        long left = write ? c.remaining.decrementAndGet() : c.remaining.get();
        if (left < 0) {
          return status(403, "Forbidden", "the client crashed (test)");
        }
      }
      String path = request.getPath();
      if (forbidden.stream().anyMatch(path::startsWith)) {
        return status(403, "Forbidden", "forbidden (test)");
      }
      if (uninstalled.stream().anyMatch(path::startsWith)) {
        notInstalled.incrementAndGet();
        return status(404, "NotFound", "the server could not find the requested resource");
      }
      boolean watch = !write && path.contains("watch=true");
      if (watch && watchesRefused.contains(agent)) {
        return status(503, "ServiceUnavailable", "watch refused (test)");
      }
      if (watch) {
        String version = queryParameter(path, "resourceVersion");
        long last = lastChange.getOrDefault(kind(path), 0L);
        if (version != null && !version.isEmpty() && !"0".equals(version) && Long.parseLong(version) < last) {
          gone.incrementAndGet();
          return expired("too old resource version: " + version + " (" + last + ")");
        }
      }
      // A retry repeats client, method, path and body. (Reads are not throttled: different
      // reconciles read the same Kafka, and their reads cannot be told from retries.)
      String key = agent + " " + method + " " + path + " "
          + (request.getBody() == null ? 0 : java.util.Arrays.hashCode(request.getBody().getBytes()));
      Long notBefore = throttled.remove(key);
      if (notBefore != null) {
        if (System.nanoTime() < notBefore) {
          retryAfterViolations.incrementAndGet();
          System.err.printf("Retry-After not honoured: %s came back %d ms early%n", key,
              TimeUnit.NANOSECONDS.toMillis(notBefore - System.nanoTime()));
        } else {
          retryAfterHonoured.incrementAndGet();
        }
      }
      Faults f = faults;
      Fault fault = f != null && f.affected.test(agent) ? f.next() : null;
      if (fault == null) {
        return applied(request, agent, write, watch);
      }
      if (watch && fault != Fault.SERVER_ERROR) {
        // A watch is a long-lived stream: it either opens or fails to.
        fault = Fault.SERVER_ERROR;
      }
      if ((fault == Fault.CONFLICT || fault == Fault.TOO_MANY_REQUESTS) && !write) {
        fault = Fault.SERVER_ERROR;
      }
      injected.computeIfAbsent(fault, k -> new AtomicLong()).incrementAndGet();
      return switch (fault) {
        case SERVER_ERROR -> status(500, "InternalError", "injected fault");
        case CONFLICT -> status(409, "Conflict",
            "Operation cannot be fulfilled: the object has been modified (injected fault)");
        case TOO_MANY_REQUESTS -> {
          // On a loaded machine a request can wait long in the server before it is answered; a
          // client that gave up on it (its request timeout) never sees this 429, and what it
          // sends next is a new attempt, not a retry. Only a reply well within the timeout is
          // held against the client.
          String sentAt = request.getHeader(SENT_AT);
          Long timeout = requestTimeouts.get(agent);
          if (sentAt == null || timeout == null || 2 * (System.nanoTime() - Long.parseLong(sentAt)) < timeout) {
            throttled.put(key, System.nanoTime() + TimeUnit.SECONDS.toNanos(RETRY_AFTER_SECONDS));
          }
          yield status(429, "TooManyRequests", "injected fault")
              .setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        // Applied, and the reply arrives after the client gave up: it cannot know what happened.
        // (The mock server delays only a response that has a body.)
        case TIMEOUT -> {
          MockResponse applied = applied(request, agent, write, watch);
          if (applied.getBody() == null || applied.getBody().size() == 0) {
            applied.setBody("{}");
          }
          yield applied.setBodyDelay(f.timeout);
        }
      };
    }

    /**
     * What the mock server does with the request, plus the bookkeeping for watches: a change
     * moves its kind's last version on, and an opened watch is kept so a test can drop it.
     */
    private MockResponse applied(RecordedRequest request, String agent, boolean write, boolean watch) {
      MockResponse response = super.dispatch(request);
      if (write && response.code() < 300) {
        // A version past the change's own: a list made after it starts a watch no change precedes.
        lastChange.merge(kind(request.getPath()), requestResourceVersion(), Math::max);
      }
      if (watch && response.getWebSocketListener() != null) {
        response.withWebSocketUpgrade(new Tracked(response.getWebSocketListener(), agent));
      }
      return response;
    }

    /** A watch's socket listener that records the socket while it is open. */
    private final class Tracked extends io.fabric8.mockwebserver.http.WebSocketListener {
      private final io.fabric8.mockwebserver.http.WebSocketListener delegate;
      private final String agent;
      private volatile OpenWatch open;

      Tracked(io.fabric8.mockwebserver.http.WebSocketListener delegate, String agent) {
        this.delegate = delegate;
        this.agent = agent;
      }

      @Override
      public void onBeforeAccept(io.fabric8.mockwebserver.http.WebSocket ws, io.fabric8.mockwebserver.http.Response r) {
        delegate.onBeforeAccept(ws, r);
      }

      @Override
      public void onOpen(io.fabric8.mockwebserver.http.WebSocket ws, io.fabric8.mockwebserver.http.Response r) {
        open = new OpenWatch(agent, ws);
        openWatches.add(open);
        delegate.onOpen(ws, r);
      }

      @Override
      public void onMessage(io.fabric8.mockwebserver.http.WebSocket ws, String text) {
        delegate.onMessage(ws, text);
      }

      @Override
      public void onMessage(io.fabric8.mockwebserver.http.WebSocket ws, io.fabric8.mockwebserver.http.ByteString bytes) {
        delegate.onMessage(ws, bytes);
      }

      @Override
      public void onClosing(io.fabric8.mockwebserver.http.WebSocket ws, int code, String reason) {
        openWatches.remove(open);
        delegate.onClosing(ws, code, reason);
      }

      @Override
      public void onClosed(io.fabric8.mockwebserver.http.WebSocket ws, int code, String reason) {
        openWatches.remove(open);
        delegate.onClosed(ws, code, reason);
      }

      @Override
      public void onFailure(io.fabric8.mockwebserver.http.WebSocket ws, Throwable t, io.fabric8.mockwebserver.http.Response r) {
        openWatches.remove(open);
        delegate.onFailure(ws, t, r);
      }
    }

    /** "group/plural" of a request path ("/api/v1/namespaces/ns/configmaps/x" -> "/configmaps"). */
    static String kind(String path) {
      String[] parts = path.split("\\?", 2)[0].replaceFirst("^/", "").split("/");
      int prefix = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
      String group = prefix == 2 || parts.length < 2 ? "" : parts[1];
      if (parts.length <= prefix) {
        return group + "/";
      }
      boolean namespaced = parts[prefix].equals("namespaces") && parts.length > prefix + 2;
      return group + "/" + parts[namespaced ? prefix + 2 : prefix];
    }

    static String queryParameter(String path, String name) {
      int q = path.indexOf('?');
      if (q < 0) {
        return null;
      }
      for (String pair : path.substring(q + 1).split("&")) {
        if (pair.startsWith(name + "=")) {
          return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    /**
     * What the API server answers to a watch from a compacted version: the watch opens, and its
     * one event is an ERROR carrying a 410 Status, after which the server closes it. (An HTTP 410
     * on the request itself is not what clients expect: fabric8 would retry the same version.)
     */
    private static MockResponse expired(String message) {
      String event = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message + "\","
          + "\"reason\":\"Expired\",\"code\":410}}";
      return new MockResponse().withWebSocketUpgrade(new io.fabric8.mockwebserver.http.WebSocketListener() {
        @Override
        public void onOpen(io.fabric8.mockwebserver.http.WebSocket ws, io.fabric8.mockwebserver.http.Response r) {
          ws.send(event);
          ws.close(1000, "expired");
        }
      });
    }

    private static MockResponse status(int code, String reason, String message) {
      return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
          .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"message\":\"" + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }
  }
}
