package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The operator as a process serves it: the operator itself, {@code /healthz} and {@code /readyz}
 * on the health port, Prometheus {@code /metrics} on the metrics port, and an orderly stop.
 *
 * <p>The endpoints start before the operator, so the probes answer while its informers sync
 * (live, not ready yet). {@link #close()} stops reconciling first (reconciles in flight may
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
  private final LogPipelineOperator operator;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OperatorRuntime(Health health, OperatorMetrics metrics, HttpEndpoint healthEndpoint,
      HttpEndpoint metricsEndpoint, LogPipelineOperator operator) {
    this.health = health;
    this.metrics = metrics;
    this.healthEndpoint = healthEndpoint;
    this.metricsEndpoint = metricsEndpoint;
    this.operator = operator;
  }

  /**
   * Starts the endpoints, then the operator with JOSDK's metrics going to this runtime's
   * registry; returns once the operator's informers have synced.
   *
   * @throws IOException when a port cannot be bound
   */
  public static OperatorRuntime start(KubernetesClient client, SearchClients searchClients,
      LogPipelineOperator.Options options, Endpoints endpoints) throws IOException {
    Health health = new Health();
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
      LogPipelineOperator operator = LogPipelineOperator.start(client, searchClients,
          options.withMeterRegistry(metrics.registry()));
      health.started(operator);
      metrics.watch(operator);
      log.info("started{}", options.leaderElection() == null ? ""
          : "; leader election on Lease " + options.leaderElection().leaseNamespace() + "/"
              + options.leaderElection().leaseName() + " as " + options.leaderElection().identity());
      return new OperatorRuntime(health, metrics, healthEndpoint, metricsEndpoint, operator);
    } catch (IOException | RuntimeException e) {
      started.forEach(HttpEndpoint::close);
      metrics.close();
      throw e;
    }
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
    log.info("stopping: no new reconciles; waiting for those in flight");
    try {
      operator.close();
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
