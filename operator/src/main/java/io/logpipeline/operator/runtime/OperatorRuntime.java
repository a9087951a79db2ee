package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The operator as a process serves it: the operator itself, {@code /healthz} and {@code /readyz}
 * on the health port, Prometheus {@code /metrics} on the metrics port, and an orderly stop.
 *
 * <p>The endpoints start before the operator, so the probes answer while it waits for the API
 * server and while its informers sync (live, not ready yet). {@link #close()} stops reconciling first (reconciles in flight may
 * finish within the operator's shutdown timeout), then the endpoints; it leaves the Kubernetes
 * client open for its owner to close.
 */
public final class OperatorRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);

  /**
   * Where the endpoints listen. The two ports may be equal: one server then answers all paths.
   *
   * @param bindAddress the address to bind, e.g. {@code 0.0.0.0} in a pod, {@code 127.0.0.1} in tests
   * @param healthPort port of {@code /healthz} and {@code /readyz}; 0 picks a free one
   * @param metricsPort port of {@code /metrics}; 0 picks a free one
   */
  public record Endpoints(String bindAddress, int healthPort, int metricsPort) {
    public static final int DEFAULT_HEALTH_PORT = 8081;
    public static final int DEFAULT_METRICS_PORT = 8080;
  }

  private final Health health;
  private final OperatorMetrics metrics;
  private final HttpEndpoint healthEndpoint;
  private final HttpEndpoint metricsEndpoint;
  private final KubernetesClient client;
  private final SearchClients searchClients;
  private final LogPipelineOperator.Options options;
  private final ApiServer apiServer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile LogPipelineOperator operator;

  private OperatorRuntime(Health health, OperatorMetrics metrics, HttpEndpoint healthEndpoint,
      HttpEndpoint metricsEndpoint, KubernetesClient client, SearchClients searchClients,
      LogPipelineOperator.Options options, ApiServer apiServer) {
    this.health = health;
    this.metrics = metrics;
    this.healthEndpoint = healthEndpoint;
    this.metricsEndpoint = metricsEndpoint;
    this.client = client;
    this.searchClients = searchClients;
    this.options = options;
    this.apiServer = apiServer;
  }

  /**
   * Starts the endpoints, then the operator with JOSDK's metrics going to this runtime's
   * registry; returns once the operator's informers have synced.
   *
   * @throws IOException when a port cannot be bound
   */
  public static OperatorRuntime start(KubernetesClient client, SearchClients searchClients,
      LogPipelineOperator.Options options, Endpoints endpoints) throws IOException {
    OperatorRuntime runtime = open(client, searchClients, options, endpoints, null);
    try {
      runtime.startOperator(Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    return runtime;
  }

  /**
   * Starts the endpoints only: the probes answer (live, not ready) while {@link
   * #startOperator(Duration)} waits for the API server and the informers, and {@link #close()}
   * may be called from another thread meanwhile.
   *
   * @param apiServer what the client's requests tell of the API server (its interceptor); null:
   *     start the operator without waiting for the API server first
   * @throws IOException when a port cannot be bound
   */
  public static OperatorRuntime open(KubernetesClient client, SearchClients searchClients,
      LogPipelineOperator.Options options, Endpoints endpoints, ApiServer apiServer) throws IOException {
    Health health = new Health(apiServer);
    OperatorMetrics metrics = new OperatorMetrics();
    Map<String, Supplier<HttpEndpoint.Response>> probes = new LinkedHashMap<>();
    probes.put("/healthz", () -> answer(health.liveness()));
    probes.put("/readyz", () -> answer(health.readiness()));
    Map<String, Supplier<HttpEndpoint.Response>> scrape = Map.of("/metrics", () -> new HttpEndpoint.Response(
        200, OperatorMetrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    List<HttpEndpoint> started = new ArrayList<>();
    try {
      HttpEndpoint healthEndpoint;
      HttpEndpoint metricsEndpoint;
      if (endpoints.healthPort() == endpoints.metricsPort() && endpoints.healthPort() != 0) {
        Map<String, Supplier<HttpEndpoint.Response>> all = new LinkedHashMap<>(probes);
        all.putAll(scrape);
        healthEndpoint = HttpEndpoint.start(endpoints.bindAddress(), endpoints.healthPort(), all);
        metricsEndpoint = healthEndpoint;
        started.add(healthEndpoint);
      } else {
        healthEndpoint = HttpEndpoint.start(endpoints.bindAddress(), endpoints.healthPort(), probes);
        started.add(healthEndpoint);
        metricsEndpoint = HttpEndpoint.start(endpoints.bindAddress(), endpoints.metricsPort(), scrape);
        started.add(metricsEndpoint);
      }
      log.info("probes on http://{}/healthz and /readyz, metrics on http://{}/metrics",
          healthEndpoint.address(), metricsEndpoint.address());
      return new OperatorRuntime(health, metrics, healthEndpoint, metricsEndpoint, client,
          searchClients, options, apiServer);
    } catch (IOException | RuntimeException e) {
      started.forEach(HttpEndpoint::close);
      metrics.close();
      throw e;
    }
  }

  /**
   * Waits for the API server to answer (with an {@link ApiServer}), then starts the operator and
   * returns once its informers have synced. Returns early, with nothing started, when {@link
   * #close()} is called meanwhile.
   *
   * @param apiServerTimeout how long to wait for the API server's first answer
   * @throws ApiServer.Unreachable when it did not answer in time
   */
  public void startOperator(Duration apiServerTimeout) throws InterruptedException {
    if (apiServer != null) {
      Optional<String> version = apiServer.awaitReachable(client, apiServerTimeout, closed::get);
      if (version.isEmpty()) {
        return;
      }
      log.info("API server {} answers: Kubernetes {}", apiServer.url(), version.get());
    }
    LogPipelineOperator created = LogPipelineOperator.create(client, searchClients,
        options.withMeterRegistry(metrics.registry()));
    synchronized (this) {
      if (closed.get()) {
        created.close();
        return;
      }
      operator = created;
    }
    created.startAndAwaitSync();
    if (closed.get()) {
      return;
    }
    health.started(created);
    metrics.watch(created);
    log.info("started{}", options.leaderElection() == null ? ""
        : "; leader election on Lease " + options.leaderElection().leaseNamespace() + "/"
            + options.leaderElection().leaseName() + " as " + options.leaderElection().identity());
  }

  private static HttpEndpoint.Response answer(Health.Answer answer) {
    return HttpEndpoint.Response.text(answer.status(), answer.body());
  }

  public int healthPort() {
    return healthEndpoint.port();
  }

  public int metricsPort() {
    return metricsEndpoint.port();
  }

  public LogPipelineOperator operator() {
    return operator;
  }

  public Health health() {
    return health;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** Stops reconciling (waiting for reconciles in flight), then the endpoints. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    health.stopping();
    LogPipelineOperator op;
    synchronized (this) {
      op = operator;
    }
    log.info(op == null ? "stopping before the operator started"
        : "stopping: no new reconciles; waiting for those in flight");
    try {
      if (op != null) {
        op.close();
      }
    } finally {
      healthEndpoint.close();
      if (metricsEndpoint != healthEndpoint) {
        metricsEndpoint.close();
      }
      metrics.close();
    }
    log.info("stopped");
  }
}
