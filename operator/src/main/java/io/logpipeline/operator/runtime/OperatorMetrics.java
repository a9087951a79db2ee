package io.logpipeline.operator.runtime;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * The operator's Prometheus metrics: JOSDK's reconciliation metrics (fed by the operator through
 * {@link #registry()}), the JVM's, and the pipelines by phase.
 *
 * <p>{@code logpipeline_pipelines{phase}} counts the LogPipelines in the operator's informer cache
 * by {@code status.phase} when scraped, without calling the API server; a pipeline without a
 * status yet counts as {@code Pending}. Every replica has the cache, standbys included, so
 * aggregate it across replicas with {@code max}, not {@code sum}.
 * {@code logpipeline_operator_leader} is 1 on the instance that reconciles.
 */
public final class OperatorMetrics implements AutoCloseable {

  /** Prometheus' text exposition format, what {@link PrometheusMeterRegistry#scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile LogPipelineOperator operator;

  public OperatorMetrics() {
    // JOSDK tags reconciliations.started with the retry attempt's number; retries never stop
    // (a search cluster down for a day), so that tag alone would add a time series per attempt.
    registry.config().meterFilter(MeterFilter.ignoreTags("reconciliations.retries.number"));
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    for (Phase phase : Phase.values()) {
      Gauge.builder("logpipeline.pipelines", () -> byPhase().get(phase))
          .description("LogPipelines by status.phase, from the operator's cache")
          .tag("phase", phase.name())
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("logpipeline.operator.leader", () -> {
      LogPipelineOperator op = operator;
      return op != null && op.isLeader() ? 1 : 0;
    }).description("1 when this instance reconciles (holds the leader Lease, or leader election is off)")
        .strongReference(true)
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  void watch(LogPipelineOperator operator) {
    this.operator = operator;
  }

  /** The metrics in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** NaN for every phase until the operator's cache is there: unknown, not zero. */
  private Map<Phase, Double> byPhase() {
    Map<Phase, Double> counts = new EnumMap<>(Phase.class);
    LogPipelineOperator op = operator;
    for (Phase phase : Phase.values()) {
      counts.put(phase, op == null ? Double.NaN : 0.0);
    }
    if (op != null) {
      op.cachedPipelines().forEach(lp -> counts.merge(phaseOf(lp), 1.0, Double::sum));
    }
    return counts;
  }

  private static Phase phaseOf(LogPipeline lp) {
    return lp.getStatus() == null || lp.getStatus().getPhase() == null
        ? Phase.Pending : lp.getStatus().getPhase();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
