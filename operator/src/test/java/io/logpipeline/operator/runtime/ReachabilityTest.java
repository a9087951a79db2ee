package io.logpipeline.operator.runtime;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class ReachabilityTest {

  /** A clock the test moves. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final RecordingLogger log = new RecordingLogger();
  final StepClock clock = new StepClock();
  final Reachability kafka = Reachability.ofServer("Kafka cluster logs", log).withClock(clock);

  @Test
  void aTroubleIsOneLineWhenItStartsAndOneWhenItEndsWhateverTheRetries() {
    kafka.succeeded();
    for (int retry = 0; retry < 50; retry++) {
      kafka.failed("connection refused", "connection refused");
      clock.now = clock.now.plusSeconds(1);
    }
    assertThat(kafka.describe()).hasValue("Kafka cluster logs unreachable: connection refused");
    kafka.succeeded();
    kafka.succeeded();

    assertThat(log.lines).containsExactly(
        "WARN Kafka cluster logs unreachable: connection refused; retrying",
        "WARN Kafka cluster logs reachable again after 50 s");
    assertThat(log.throwables).isEmpty();
    assertThat(kafka.trouble()).isEmpty();
  }

  @Test
  void aNewCauseIsANewLineAndTheOutageKeepsItsStart() {
    kafka.failed("connection refused", "connection refused");
    clock.now = clock.now.plusSeconds(30);
    kafka.failed("timed out", "timed out");
    kafka.failed("timed out", "timed out");
    clock.now = clock.now.plusSeconds(95);
    kafka.succeeded();

    assertThat(log.lines).containsExactly(
        "WARN Kafka cluster logs unreachable: connection refused; retrying",
        "WARN Kafka cluster logs unreachable: timed out; retrying",
        "WARN Kafka cluster logs reachable again after 2 min 5 s");
  }

  @Test
  void anExceptionIsSaidInAFewWords() {
    kafka.failed(new java.net.ConnectException());
    assertThat(kafka.trouble()).hasValueSatisfying(t -> assertThat(t.cause()).isEqualTo("connection refused"));
    assertThat(log.lines).containsExactly("WARN Kafka cluster logs unreachable: connection refused; retrying");
    assertThat(log.throwables).isEmpty();
  }

  @Test
  void apisAreUnavailableRatherThanUnreachable() {
    Reachability topics = Reachability.ofApi("kafkatopics.kafka.strimzi.io/v1", log).withClock(clock);
    topics.failed("HTTP 404", "HTTP 404 Not Found");
    clock.now = clock.now.plusMillis(1500);
    topics.succeeded();
    assertThat(log.lines).containsExactly(
        "WARN kafkatopics.kafka.strimzi.io/v1 unavailable: HTTP 404 Not Found; retrying",
        "WARN kafkatopics.kafka.strimzi.io/v1 available again after 1 s");
  }

  @Test
  void durationsAreBrief() {
    assertThat(Reachability.brief(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Reachability.brief(Duration.ofSeconds(42))).isEqualTo("42 s");
    assertThat(Reachability.brief(Duration.ofMinutes(3))).isEqualTo("3 min");
    assertThat(Reachability.brief(Duration.ofSeconds(3 * 3600 + 7 * 60 + 5))).isEqualTo("3 h 7 min");
  }
}
