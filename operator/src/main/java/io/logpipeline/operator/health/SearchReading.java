package io.logpipeline.operator.health;

import java.time.Instant;

/**
 * What one poll read of a pipeline in the search cluster.
 *
 * @param newestEvent the largest @timestamp in the pipeline's index, or null when it has none
 * @param deadLetters documents in the dead-letter index, or null when dead letters are off
 * @param canarySent when the canary in the canary index was sent, or null when there is none
 * @param canaryIndexed when Logstash processed that canary (its @timestamp), or null
 * @param problem why the cluster could not be asked, or null when it answered
 */
public record SearchReading(Instant newestEvent, Long deadLetters, Instant canarySent,
    Instant canaryIndexed, String problem) {

  public static SearchReading unreachable(String problem) {
    return new SearchReading(null, null, null, null, problem);
  }

  public boolean answered() {
    return problem == null;
  }
}
