package io.logpipeline.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the evaluation of a pipeline remembers from one poll to the next: recent lags (to tell a
 * growing lag), the dead-letter count and when it last grew, the canaries sent and not yet seen
 * in the index, the last canary's latency. Kept in memory only: after a restart the first polls
 * rebuild it, and until then nothing that needs history is reported (no false alarm).
 *
 * @param lags the lag at the last polls that reached Kafka, oldest first
 * @param pendingCanaries when each canary not yet seen in the index was sent, oldest first
 */
public record FlowMemory(List<Long> lags, Long deadLetters, Instant deadLettersGrewAt,
    List<Instant> pendingCanaries, Duration canaryLatency) {

  /** How many lags are kept: a lag higher at each of the last {@value} polls is growing. */
  static final int LAGS = 3;
  /** Canaries kept while none arrives: enough to tell the oldest. */
  static final int PENDING_CANARIES = 16;

  public FlowMemory {
    lags = List.copyOf(lags);
    pendingCanaries = List.copyOf(pendingCanaries);
  }

  public static FlowMemory empty() {
    return new FlowMemory(List.of(), null, null, List.of(), null);
  }

  /** A canary was produced to the topic at {@code sent}. */
  public FlowMemory canarySent(Instant sent) {
    List<Instant> pending = new ArrayList<>(pendingCanaries);
    pending.add(sent);
    while (pending.size() > PENDING_CANARIES) {
      // The oldest stays: it is what makes the canary late.
      pending.remove(1);
    }
    return new FlowMemory(lags, deadLetters, deadLettersGrewAt, pending, canaryLatency);
  }

  /** When the last canary was sent, or null. */
  public Instant lastCanarySent() {
    return pendingCanaries.isEmpty() ? null : pendingCanaries.get(pendingCanaries.size() - 1);
  }
}
