package io.logpipeline.operator.runtime;

import io.logpipeline.operator.reconciler.LogPipelineOperator;

import java.util.Map;
import java.util.TreeMap;

/**
 * The answers to Kubernetes' probes.
 *
 * <p>Liveness ({@code /healthz}): the process is up and the operator has not stopped, including
 * while it starts (its informers can take a while to sync on a large cluster, and a liveness
 * failure would restart it in a loop).
 *
 * <p>Readiness ({@code /readyz}): the operator has started and every informer has synced and is
 * watching. A standby that does not hold the leader Lease is ready too: it is healthy, its caches
 * are warm, and it takes over when the leader goes; readiness gates no traffic to an operator,
 * but a standby reported unready would block a rolling update (the new pod never becomes ready
 * while the old one leads) and look like a failure on dashboards. Which instance leads is in the
 * {@code logpipeline_operator_leader} metric and the Lease.
 */
public final class Health {

  /** A probe's outcome: 200 with a short body, or 503 saying why. */
  public record Answer(boolean ok, String body) {
    public int status() {
      return ok ? 200 : 503;
    }
  }

  private volatile LogPipelineOperator operator;
  private volatile boolean stopping;

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
    LogPipelineOperator op = operator;
    if (op == null) {
      return new Answer(false, "starting: informers not synced yet");
    }
    var info = op.operator().getRuntimeInfo();
    if (!info.isStarted()) {
      return new Answer(false, "operator stopped");
    }
    if (!info.allEventSourcesAreHealthy()) {
      Map<String, Object> unhealthy = new TreeMap<>();
      info.unhealthyEventSources().forEach((controller, sources) -> sources.forEach(
          (name, indicator) -> unhealthy.put(controller + "/" + name, indicator.getStatus())));
      return new Answer(false, "unhealthy event sources: " + unhealthy);
    }
    return new Answer(true, op.isLeader() ? "ok (leader)" : "ok (standby)");
  }
}
