package io.logpipeline.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live flow values as Prometheus gauges, one series per pipeline labelled namespace and name;
 * a value not observed at the last poll is NaN (no sample), and a deleted pipeline's series go.
 */
public final class FlowMetrics {

  public static final String CONSUMER_LAG = "logpipeline_consumer_lag";
  public static final String NEWEST_EVENT_AGE = "logpipeline_newest_event_age_seconds";
  public static final String CANARY_LATENCY = "logpipeline_canary_latency_seconds";
  public static final String DEAD_LETTERS = "logpipeline_dead_letters";
  public static final String EVENTS_AT_RISK = "logpipeline_events_at_risk";
  /** Every metric this class exports, and their labels: what alerts and dashboards may use. */
  public static final List<String> NAMES = List.of(CONSUMER_LAG, NEWEST_EVENT_AGE, CANARY_LATENCY, DEAD_LETTERS,
      EVENTS_AT_RISK);
  public static final List<String> LABELS = List.of("namespace", "name");

  private final MeterRegistry registry;
  private final Map<ResourceID, Series> series = new ConcurrentHashMap<>();

  /** @param registry where the gauges go; null: none */
  public FlowMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Series(AtomicReference<Double> lag, AtomicReference<Double> age,
      AtomicReference<Double> canary, AtomicReference<Double> deadLetters, AtomicReference<Double> atRisk,
      List<Gauge> gauges) {}

  /**
   * Sets the pipeline's values; null for what was not observed.
   *
   * @param canaryLatencySeconds the last canary's latency, or how long the oldest canary not yet
   *     searchable has been on its way when that is longer: a lost canary shows as a growing latency
   */
  public void record(ResourceID id, Long lag, Double newestEventAgeSeconds, Double canaryLatencySeconds,
      Long deadLetters, Long atRisk) {
    if (registry == null) {
      return;
    }
    Series s = series.computeIfAbsent(id, this::register);
    s.lag().set(orNaN(lag));
    s.age().set(newestEventAgeSeconds == null ? Double.NaN : newestEventAgeSeconds);
    s.canary().set(canaryLatencySeconds == null ? Double.NaN : canaryLatencySeconds);
    s.deadLetters().set(orNaN(deadLetters));
    s.atRisk().set(orNaN(atRisk));
  }

  private static double orNaN(Long value) {
    return value == null ? Double.NaN : value.doubleValue();
  }

  /** Removes the pipeline's series. */
  public void remove(ResourceID id) {
    Series s = series.remove(id);
    if (s != null) {
      s.gauges().forEach(registry::remove);
    }
  }

  private Series register(ResourceID id) {
    Tags tags = Tags.of("namespace", id.getNamespace().orElse(""), "name", id.getName());
    var lag = new AtomicReference<>(Double.NaN);
    var age = new AtomicReference<>(Double.NaN);
    var canary = new AtomicReference<>(Double.NaN);
    var dead = new AtomicReference<>(Double.NaN);
    var atRisk = new AtomicReference<>(Double.NaN);
    List<Gauge> gauges = List.of(
        gauge(CONSUMER_LAG, "Events in the topic not yet consumed by the indexer", tags, lag),
        gauge(NEWEST_EVENT_AGE, "Age of the newest event in the pipeline's index", tags, age),
        gauge(CANARY_LATENCY, "Time the last canary took from the topic to the index", tags, canary),
        gauge(DEAD_LETTERS, "Documents in the pipeline's dead-letter index", tags, dead),
        gauge(EVENTS_AT_RISK, "Unconsumed events near the end of the topic's retention, or past it", tags, atRisk));
    return new Series(lag, age, canary, dead, atRisk, gauges);
  }

  private Gauge gauge(String name, String help, Tags tags, AtomicReference<Double> value) {
    return Gauge.builder(name, value, AtomicReference::get).description(help).tags(tags).strongReference(true)
        .register(registry);
  }
}
