package io.logpipeline.operator.runtime;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether something outside the process (the API server, one of its APIs, a Kafka cluster) can
 * be used right now, fed by the outcome of each attempt to use it. It logs each change once, at
 * WARN and without a stack trace: when the trouble starts, when its cause changes, and when it
 * ends; retries in between log nothing.
 *
 * <p>Two troubles are the same when their {@linkplain Trouble#cause() cause} is: a short
 * category such as {@code connection refused} or {@code HTTP 404}, so that a detail that varies
 * from attempt to attempt does not count as a change.
 */
public final class Reachability {

  /**
   * What is wrong since when.
   *
   * @param cause a short category; two attempts with the same cause are the same trouble
   * @param message what the log line and the readiness probe say, e.g. {@code connection refused}
   * @param since when the trouble started (a change of cause keeps the start)
   */
  public record Trouble(String cause, String message, Instant since) {}

  private final String name;
  private final String downWord;
  private final String upWord;
  private final Logger log;
  private final Clock clock;
  private Trouble trouble;

  private Reachability(String name, String downWord, String upWord, Logger log, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.downWord = downWord;
    this.upWord = upWord;
    this.log = Objects.requireNonNull(log, "log");
    this.clock = clock;
  }

  /** A server or cluster: "X unreachable: ...; retrying" and "X reachable again after ...". */
  public static Reachability ofServer(String name, Logger log) {
    return new Reachability(name, "unreachable", "reachable again", log, Clock.systemUTC());
  }

  /** An API or a service of a server: "X unavailable: ...; retrying" and "X available again after ...". */
  public static Reachability ofApi(String name, Logger log) {
    return new Reachability(name, "unavailable", "available again", log, Clock.systemUTC());
  }

  /** Other words for the two states: "X throttles requests: ..." and "X no longer throttles requests after ...". */
  public static Reachability of(String name, String downWord, String upWord, Logger log) {
    return new Reachability(name, downWord, upWord, log, Clock.systemUTC());
  }

  Reachability withClock(Clock clock) {
    return new Reachability(name, downWord, upWord, log, clock);
  }

  public String name() {
    return name;
  }

  /** An attempt succeeded. */
  public void succeeded() {
    Trouble ended;
    synchronized (this) {
      ended = trouble;
      trouble = null;
    }
    if (ended != null) {
      log.warn("{} {} after {}", name, upWord, brief(Duration.between(ended.since(), clock.instant())));
    }
  }

  /** An attempt failed; logged when it is the first failure since the last success, or a new cause. */
  public void failed(String cause, String message) {
    boolean changed;
    synchronized (this) {
      Trouble before = trouble;
      changed = before == null || !before.cause().equals(cause);
      trouble = new Trouble(cause, message, before == null ? clock.instant() : before.since());
    }
    if (changed) {
      log.warn("{} {}: {}; retrying", name, downWord, message);
    }
  }

  /** An attempt failed with this exception; its cause and message as {@link Failures} tells them. */
  public void failed(Throwable failure) {
    Failures.Described d = Failures.describe(failure);
    failed(d.cause(), d.message());
  }

  /** The trouble now, empty when the last attempt succeeded (or none was made yet). */
  public synchronized Optional<Trouble> trouble() {
    return Optional.ofNullable(trouble);
  }

  /** "X unreachable: connection refused", for a probe's answer or an exit message; empty when fine. */
  public Optional<String> describe() {
    return trouble().map(t -> name + " " + downWord + ": " + t.message());
  }

  /** "850 ms", "42 s", "3 min 5 s", "2 h 7 min": the length of an outage, for a log line. */
  static String brief(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + " ms";
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return d.toSeconds() + " s";
    }
    if (d.compareTo(Duration.ofHours(1)) < 0) {
      return d.toMinutes() + " min" + (d.toSecondsPart() == 0 ? "" : " " + d.toSecondsPart() + " s");
    }
    return d.toHours() + " h" + (d.toMinutesPart() == 0 ? "" : " " + d.toMinutesPart() + " min");
  }
}
