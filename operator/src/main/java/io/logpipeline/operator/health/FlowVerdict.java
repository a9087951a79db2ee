package io.logpipeline.operator.health;

import io.logpipeline.operator.api.LogPipelineStatus.FlowStatus;

/**
 * The Flowing condition of one pipeline and the values it rests on, as the status shows them.
 *
 * @param status True, False or Unknown
 */
public record FlowVerdict(String status, String reason, String message, FlowStatus flow) {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** Reason of a True Flowing condition. */
  public static final String FLOWING = "Flowing";
  /** The newest indexed event is older than health.maxEventAge, or there is none. */
  public static final String NO_EVENTS_INDEXED = "NoEventsIndexed";
  /** The consumer lag grew at consecutive polls: the indexer falls behind. */
  public static final String LAG_GROWING = "LagGrowing";
  /** A canary was not searchable within health.canary.interval. */
  public static final String CANARY_LATE = "CanaryLate";
  /** The dead-letter index grew within health.maxEventAge. */
  public static final String DEAD_LETTERS = "DeadLetters";
  /** Unconsumed events are close to the end of the topic's retention, or past it. */
  public static final String DATA_AT_RISK = "DataAtRisk";
  public static final String KAFKA_UNREACHABLE = "KafkaUnreachable";
  public static final String SEARCH_UNREACHABLE = "SearchUnreachable";
  /** No poll has observed the pipeline yet. */
  public static final String NOT_OBSERVED = "NotObservedYet";

  public static FlowVerdict notObserved() {
    return new FlowVerdict(UNKNOWN, NOT_OBSERVED, "the data path has not been observed yet", null);
  }

  /**
   * The verdict a status shows, or null when it has no Flowing condition: what a new operator
   * (a restart, a new leader) shows until its own first poll, instead of forgetting it.
   */
  public static FlowVerdict of(io.logpipeline.operator.api.LogPipelineStatus status, String conditionType) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> conditionType.equals(c.getType())).findFirst()
        .map(c -> new FlowVerdict(c.getStatus(), c.getReason(), c.getMessage(), status.getFlow()))
        .orElse(null);
  }

  /** Whether the condition differs from {@code other}'s (status or reason): a flip worth a write. */
  public boolean flipsFrom(FlowVerdict other) {
    return other == null || !status.equals(other.status) || !reason.equals(other.reason);
  }
}
