package io.logpipeline.operator.health;

/**
 * What one poll read of a pipeline's topic and consumer group.
 *
 * @param lag events in the topic the indexer's group has not consumed (a partition without a
 *     committed offset counts from its oldest event, where Logstash starts)
 * @param atRisk unconsumed events close to the end of the topic's retention (or already past
 *     it): Kafka deletes them before the indexer reads them
 * @param problem why the cluster could not be asked, or null when it answered
 */
public record KafkaReading(long lag, long atRisk, String problem) {

  public static KafkaReading of(long lag, long atRisk) {
    return new KafkaReading(lag, atRisk, null);
  }

  public static KafkaReading unreachable(String problem) {
    return new KafkaReading(0, 0, problem);
  }

  public boolean answered() {
    return problem == null;
  }
}
