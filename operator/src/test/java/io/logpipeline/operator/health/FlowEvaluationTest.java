package io.logpipeline.operator.health;

import io.logpipeline.operator.model.HealthSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FlowEvaluationTest {

  static final HealthSettings SETTINGS = new HealthSettings(Duration.ofMinutes(10), true, Duration.ofMinutes(5));
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  static SearchReading search(Instant newest, Long deadLetters) {
    return new SearchReading(newest, deadLetters, null, null, null);
  }

  /** Runs polls one minute apart, each with its lag, events indexed a second before each poll. */
  static FlowEvaluation.Result polls(long... lags) {
    FlowMemory memory = FlowMemory.empty();
    FlowEvaluation.Result result = null;
    for (int i = 0; i < lags.length; i++) {
      Instant now = T0.plus(Duration.ofMinutes(i));
      result = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(lags[i], 0),
          search(now.minusSeconds(1), 0L), memory, now);
      memory = result.memory();
    }
    return result;
  }

  @Test
  void flowingWhenEventsAreFreshAndLagSteady() {
    FlowVerdict v = polls(5, 7, 3).verdict();
    assertThat(v.status()).isEqualTo(FlowVerdict.TRUE);
    assertThat(v.reason()).isEqualTo(FlowVerdict.FLOWING);
    assertThat(v.message()).isEqualTo("lag 3, newest event 1.0s old");
    assertThat(v.flow().lag()).isEqualTo(3L);
    assertThat(v.flow().newestEventAge()).isEqualTo("1.0s");
    assertThat(v.flow().deadLetters()).isZero();
  }

  @Test
  void lagGrowingAtThreePollsInARow() {
    assertThat(polls(5, 10).verdict().status()).as("two polls are not yet a trend").isEqualTo(FlowVerdict.TRUE);
    FlowVerdict v = polls(5, 10, 20).verdict();
    assertThat(v.status()).isEqualTo(FlowVerdict.FALSE);
    assertThat(v.reason()).isEqualTo(FlowVerdict.LAG_GROWING);
    assertThat(v.message()).contains("5, 10, 20");
    assertThat(polls(5, 10, 20, 4).verdict().status()).as("caught up").isEqualTo(FlowVerdict.TRUE);
    assertThat(polls(5, 10, 10).verdict().status()).isEqualTo(FlowVerdict.TRUE);
  }

  @Test
  void noEventsIndexedWhenTheNewestIsTooOldOrMissing() {
    var old = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0),
        search(T0.minus(Duration.ofMinutes(11)), null), FlowMemory.empty(), T0).verdict();
    assertThat(old.reason()).isEqualTo(FlowVerdict.NO_EVENTS_INDEXED);
    assertThat(old.message()).contains("newest event 11m old").contains("spec.health.maxEventAge (10m)");
    var none = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(null, null),
        FlowMemory.empty(), T0).verdict();
    assertThat(none.reason()).isEqualTo(FlowVerdict.NO_EVENTS_INDEXED);
    assertThat(none.flow().newestEventAge()).isNull();
  }

  @Test
  void deadLettersWhenTheIndexGrowsNotWhenItIsMerelyThere() {
    var first = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(T0, 4L), FlowMemory.empty(), T0);
    assertThat(first.verdict().status()).as("old dead letters seen at start are no alarm").isEqualTo(FlowVerdict.TRUE);
    assertThat(first.verdict().message()).contains("4 dead letters");
    Instant t1 = T0.plusSeconds(60);
    var grown = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(t1, 6L), first.memory(), t1);
    assertThat(grown.verdict().reason()).isEqualTo(FlowVerdict.DEAD_LETTERS);
    assertThat(grown.verdict().flow().deadLetters()).isEqualTo(6L);
    Instant later = t1.plus(Duration.ofMinutes(11));
    var quiet = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(later, 6L), grown.memory(), later);
    assertThat(quiet.verdict().status()).as("not grown for maxEventAge").isEqualTo(FlowVerdict.TRUE);
  }

  @Test
  void canaryLateWhenNotSearchableWithinTheInterval() {
    FlowMemory sent = FlowMemory.empty().canarySent(T0);
    Instant inTime = T0.plus(Duration.ofMinutes(4));
    var waiting = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(inTime, null), sent, inTime);
    assertThat(waiting.verdict().status()).isEqualTo(FlowVerdict.TRUE);
    Instant late = T0.plus(Duration.ofMinutes(6));
    var v = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0), search(late, null),
        waiting.memory().canarySent(T0.plus(Duration.ofMinutes(5))), late);
    assertThat(v.verdict().reason()).isEqualTo(FlowVerdict.CANARY_LATE);
    assertThat(v.verdict().message()).contains("sent 6m ago");
    // The first canary arrives (not the second): the second is younger than the interval.
    var arrived = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(0, 0),
        new SearchReading(late, null, T0, T0.plusMillis(2100), null), v.memory(), late);
    assertThat(arrived.verdict().status()).isEqualTo(FlowVerdict.TRUE);
    assertThat(arrived.verdict().flow().canaryLatency()).isEqualTo("2.1s");
    assertThat(arrived.memory().pendingCanaries()).hasSize(1);
  }

  @Test
  void dataAtRiskComesFirst() {
    var v = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(1000, 40), search(null, null),
        FlowMemory.empty(), T0).verdict();
    assertThat(v.reason()).isEqualTo(FlowVerdict.DATA_AT_RISK);
    assertThat(v.message()).contains("40 unconsumed events").contains("no event in the index yet");
  }

  @Test
  void unknownWhenAStageCannotBeAskedNeverAFalseAlarm() {
    var kafkaDown = FlowEvaluation.evaluate(SETTINGS, KafkaReading.unreachable("timeout"),
        search(T0, 0L), FlowMemory.empty(), T0).verdict();
    assertThat(kafkaDown.status()).isEqualTo(FlowVerdict.UNKNOWN);
    assertThat(kafkaDown.reason()).isEqualTo(FlowVerdict.KAFKA_UNREACHABLE);
    assertThat(kafkaDown.message()).contains("timeout");
    assertThat(kafkaDown.flow().lag()).isNull();
    var searchDown = FlowEvaluation.evaluate(SETTINGS, KafkaReading.of(1, 0),
        SearchReading.unreachable("connection refused"), FlowMemory.empty().canarySent(T0.minus(Duration.ofHours(1))), T0).verdict();
    assertThat(searchDown.status()).as("a canary cannot be late when the index cannot be read")
        .isEqualTo(FlowVerdict.UNKNOWN);
    assertThat(searchDown.reason()).isEqualTo(FlowVerdict.SEARCH_UNREACHABLE);
  }

  @Test
  void aLagHistoryIsNotBrokenByAnUnreachablePoll() {
    FlowMemory m = polls(1, 2).memory();
    var down = FlowEvaluation.evaluate(SETTINGS, KafkaReading.unreachable("x"), search(T0, 0L), m, T0);
    assertThat(down.memory().lags()).containsExactly(1L, 2L);
  }

  @Test
  void durationsAreShort() {
    assertThat(FlowEvaluation.format(Duration.ofMillis(2149))).isEqualTo("2.1s");
    assertThat(FlowEvaluation.format(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(FlowEvaluation.format(Duration.ofSeconds(192))).isEqualTo("3m12s");
    assertThat(FlowEvaluation.format(Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(FlowEvaluation.format(Duration.ofHours(76))).isEqualTo("3d4h");
  }
}
