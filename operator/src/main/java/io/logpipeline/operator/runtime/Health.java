package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.reconciler.LogPipelineOperator;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The answers to Kubernetes' probes.
 *
 * <p>Liveness ({@code /healthz}): the process is up and the operator has not stopped, including
 * while it starts (its informers can take a while to sync on a large cluster, and a liveness
 * failure would restart it in a loop).
 *
 * <p>Readiness ({@code /readyz}): the operator has started, the API server answers, and every
 * informer has synced and is watching, but for those of an optional API the API server does not
 * serve (Strimzi's, when it is not installed). A standby that does not hold the leader Lease is
 * ready too: it is healthy, its caches are warm, and it takes over when the leader goes;
 * readiness gates no traffic to an operator, but a standby reported unready would block a
 * rolling update (the new pod never becomes ready while the old one leads) and look like a
 * failure on dashboards. Which instance leads is in the {@code logpipeline_operator_leader}
 * metric and the Lease.
 */
public final class Health {

  /** A probe's outcome: 200 with a short body, or 503 saying why. */
  public record Answer(boolean ok, String body) {
    public int status() {
      return ok ? 200 : 503;
    }
  }

  private final ApiServer apiServer;
  private volatile LogPipelineOperator operator;
  private volatile boolean stopping;

  public Health() {
    this(null);
  }

  /** @param apiServer its reachability makes the operator unready; null: not considered */
  public Health(ApiServer apiServer) {
    this.apiServer = apiServer;
  }

  void started(LogPipelineOperator operator) {
    this.operator = operator;
  }

  void stopping() {
    this.stopping = true;
  }

  public Answer liveness() {
    if (stopping) {
      return new Answer(false, "stopping");
    }
    LogPipelineOperator op = operator;
    if (op != null && !op.operator().getRuntimeInfo().isStarted()) {
      return new Answer(false, "operator stopped");
    }
    return new Answer(true, op == null ? "ok (starting)" : "ok");
  }

  public Answer readiness() {
    if (stopping) {
      return new Answer(false, "stopping");
    }
    Optional<String> unreachable = apiServer == null ? Optional.empty() : apiServer.reachability().describe();
    LogPipelineOperator op = operator;
    if (op == null) {
      return new Answer(false, "starting: " + unreachable.orElse("informers not synced yet"));
    }
    if (unreachable.isPresent()) {
      return new Answer(false, unreachable.get());
    }
    var info = op.operator().getRuntimeInfo();
    if (!info.isStarted()) {
      return new Answer(false, "operator stopped");
    }
    Map<String, Object> unhealthy = new TreeMap<>();
    Set<String> notServed = new TreeSet<>();
    info.unhealthyEventSources().forEach((controller, sources) -> sources.forEach((name, indicator) -> {
      Optional<String> optional = notServed(indicator);
      if (optional.isPresent()) {
        notServed.add(optional.get());
      } else {
        unhealthy.put(controller + "/" + name, indicator.getStatus());
      }
    }));
    if (!unhealthy.isEmpty()) {
      return new Answer(false, "unhealthy event sources: " + unhealthy);
    }
    return new Answer(true, (op.isLeader() ? "ok (leader)" : "ok (standby)")
        + (notServed.isEmpty() ? "" : "; not served by the API server: " + String.join(", ", notServed)));
  }

  /**
   * An informer for an API that the API server does not serve (Strimzi not installed) does not
   * make the operator unready: it does all it can, and the pipelines say what is missing. The
   * LogPipeline API itself is not optional.
   */
  private Optional<String> notServed(EventSourceHealthIndicator indicator) {
    if (apiServer == null || !(indicator instanceof EventSource<?, ?> source)
        || !HasMetadata.class.isAssignableFrom(source.resourceType())
        || source.resourceType() == LogPipeline.class) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) source.resourceType();
    return apiServer.notServed(type);
  }
}
