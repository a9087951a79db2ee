package io.logpipeline.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.ApiSemantics;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fabric8 mock API server in CRUD mode, as {@code @EnableKubernetesMockClient(crud = true)}
 * builds it, on 127.0.0.1, with the status subresource as a real API server has it, and every
 * request counted in a {@link RequestLog} by the client's User-Agent.
 */
public final class MockApi implements AutoCloseable {

  public static final String OPERATOR = "bench-operator";
  public static final String FLOOR = "bench-floor";
  public static final String SIMULATOR = "bench-simulator";
  public static final String DRIVER = "bench-driver";

  /** The mock server logs every request at INFO through java.util.logging; kept, or the level is lost. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final RequestLog log = new RequestLog();
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

  private MockApi() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
    ApiSemantics.statusSubresources(crud);
    Dispatcher counting = new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        log.record(agent == null ? "?" : agent, request.getMethod(), request.getPath(), () -> request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8));
        return crud.dispatch(request);
      }

      @Override
      public void shutdown() {
        crud.shutdown();
      }
    };
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, counting, false);
  }

  /** Starts with the status subresource of the kinds that have one and the LogPipeline CRD ({@link ApiSemantics}). */
  public static MockApi start() {
    MockApi api = new MockApi();
    api.server.init(InetAddress.getLoopbackAddress(), 0);
    ApiSemantics.installLogPipelineCrd(api.client(DRIVER));
    return api;
  }

  public RequestLog requests() {
    return log;
  }

  /** A client of its own, whose requests the log counts under {@code agent}. */
  public KubernetesClient client(String agent) {
    KubernetesClient c = server.createClient(b -> b.editOrNewConfig().withUserAgent(agent).endConfig());
    clients.add(c);
    return c;
  }

  /** The API server's base URL. */
  public String url() {
    return server.url("/");
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    server.destroy();
  }
}
