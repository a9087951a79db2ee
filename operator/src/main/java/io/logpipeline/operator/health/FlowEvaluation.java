package io.logpipeline.operator.health;

import io.logpipeline.operator.api.LogPipelineStatus.FlowStatus;
import io.logpipeline.operator.model.HealthSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one poll's readings of a pipeline, and what earlier polls left in {@link FlowMemory},
 * into the Flowing condition. Pure: the observer feeds it, tests call it directly.
 *
 * <p>A finding needs evidence: what could not be read (Kafka or the search cluster down) makes
 * the condition Unknown, never False, and a finding that needs history (a growing lag, a growing
 * dead-letter index) waits until the history is there.
 */
public final class FlowEvaluation {

  /** A verdict and the memory for the next poll. */
  public record Result(FlowVerdict verdict, FlowMemory memory) {}

  private FlowEvaluation() {}

  public static Result evaluate(HealthSettings settings, KafkaReading kafka, SearchReading search,
      FlowMemory before, Instant now) {
    List<Long> lags = new ArrayList<>(before.lags());
    Long lag = null;
    if (kafka.answered()) {
      lag = kafka.lag();
      lags.add(lag);
      while (lags.size() > FlowMemory.LAGS) {
        lags.remove(0);
      }
    }
    Duration newestAge = null;
    Long deadLetters = before.deadLetters();
    Instant grewAt = before.deadLettersGrewAt();
    List<Instant> pending = new ArrayList<>(before.pendingCanaries());
    Duration canaryLatency = before.canaryLatency();
    if (search.answered()) {
      if (search.newestEvent() != null) {
        newestAge = nonNegative(Duration.between(search.newestEvent(), now));
      }
      if (search.deadLetters() != null) {
        if (deadLetters != null && search.deadLetters() > deadLetters) {
          grewAt = now;
        }
        deadLetters = search.deadLetters();
      } else {
        deadLetters = null;
        grewAt = null;
      }
      if (search.canarySent() != null) {
        pending.removeIf(sent -> !sent.isAfter(search.canarySent()));
        if (search.canaryIndexed() != null) {
          canaryLatency = nonNegative(Duration.between(search.canarySent(), search.canaryIndexed()));
        }
      }
    }
    if (!settings.canaryEnabled()) {
      pending.clear();
      canaryLatency = null;
    }
    FlowMemory after = new FlowMemory(lags, deadLetters, grewAt, pending, canaryLatency);

    List<String[]> findings = new ArrayList<>();
    if (kafka.answered() && kafka.atRisk() > 0) {
      findings.add(new String[] {FlowVerdict.DATA_AT_RISK, kafka.atRisk()
          + " unconsumed events are close to the end of the topic's retention: Kafka deletes them"
          + " before the indexer reads them (add indexer replicas, or raise spec.kafka.topic.retention)"});
    }
    if (kafka.answered() && growing(lags)) {
      findings.add(new String[] {FlowVerdict.LAG_GROWING, "lag grew at each of the last "
          + lags.size() + " polls (" + lags.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
          + "): the indexer falls behind or has stopped"});
    }
    if (search.answered() && (newestAge == null || newestAge.compareTo(settings.maxEventAge()) > 0)) {
      findings.add(new String[] {FlowVerdict.NO_EVENTS_INDEXED, newestAge == null
          ? "no event in the index yet"
          : "newest event " + format(newestAge) + " old, more than spec.health.maxEventAge ("
              + format(settings.maxEventAge()) + ")"});
    }
    if (search.answered() && grewAt != null
        && Duration.between(grewAt, now).compareTo(settings.maxEventAge()) < 0) {
      findings.add(new String[] {FlowVerdict.DEAD_LETTERS, "the dead-letter index grew to "
          + deadLetters + " documents: the search cluster rejected events (see their error.message)"});
    }
    if (search.answered() && settings.canaryEnabled() && !pending.isEmpty()
        && Duration.between(pending.get(0), now).compareTo(settings.canaryInterval()) > 0) {
      findings.add(new String[] {FlowVerdict.CANARY_LATE, "the canary sent "
          + format(Duration.between(pending.get(0), now)) + " ago is not searchable yet (allowed: "
          + format(settings.canaryInterval()) + ", spec.health.canary.interval)"});
    }

    FlowStatus flow = new FlowStatus(lag, newestAge == null ? null : format(newestAge),
        canaryLatency == null ? null : format(canaryLatency), search.answered() ? deadLetters : null,
        now.truncatedTo(ChronoUnit.SECONDS).toString());
    String values = values(flow);
    FlowVerdict verdict;
    if (!findings.isEmpty()) {
      verdict = new FlowVerdict(FlowVerdict.FALSE, findings.get(0)[0], String.join("; ",
          findings.stream().map(f -> f[1]).toList()) + (values.isEmpty() ? "" : " (" + values + ")"), flow);
    } else if (!kafka.answered()) {
      verdict = new FlowVerdict(FlowVerdict.UNKNOWN, FlowVerdict.KAFKA_UNREACHABLE,
          "cannot read the consumer lag: " + kafka.problem(), flow);
    } else if (!search.answered()) {
      verdict = new FlowVerdict(FlowVerdict.UNKNOWN, FlowVerdict.SEARCH_UNREACHABLE,
          "cannot read the index: " + search.problem(), flow);
    } else {
      verdict = new FlowVerdict(FlowVerdict.TRUE, FlowVerdict.FLOWING, values, flow);
    }
    return new Result(verdict, after);
  }

  /** Higher at each poll kept, and a full history of them. */
  static boolean growing(List<Long> lags) {
    if (lags.size() < FlowMemory.LAGS) {
      return false;
    }
    for (int i = 1; i < lags.size(); i++) {
      if (lags.get(i) <= lags.get(i - 1)) {
        return false;
      }
    }
    return true;
  }

  /** "lag 120, newest event 4s old, canary 2.1s", leaving out what was not observed. */
  static String values(FlowStatus flow) {
    List<String> parts = new ArrayList<>();
    if (flow.lag() != null) {
      parts.add("lag " + flow.lag());
    }
    if (flow.newestEventAge() != null) {
      parts.add("newest event " + flow.newestEventAge() + " old");
    }
    if (flow.canaryLatency() != null) {
      parts.add("canary " + flow.canaryLatency());
    }
    if (flow.deadLetters() != null && flow.deadLetters() > 0) {
      parts.add(flow.deadLetters() + " dead letters");
    }
    return String.join(", ", parts);
  }

  /** 2.1s, 42s, 3m12s, 2h5m, 3d4h: short, as kubectl shows ages. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 10_000) {
      return (ms / 100) / 10 + "." + (ms / 100) % 10 + "s";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    }
    if (s < 86_400) {
      return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    }
    return s / 86_400 + "d" + (s % 86_400 / 3600 == 0 ? "" : s % 86_400 / 3600 + "h");
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
