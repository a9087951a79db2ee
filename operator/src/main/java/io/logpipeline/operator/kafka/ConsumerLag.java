package io.logpipeline.operator.kafka;

/**
 * A consumer group's position on a topic, summed over the partitions.
 *
 * @param lag events in the topic the group has not consumed; a partition without a committed
 *     offset counts from its oldest event (where a new group with auto_offset_reset earliest starts)
 * @param atRisk unconsumed events older than the query's threshold, plus those Kafka already
 *     deleted before the group read them
 * @param missing why the topic could not be read (it does not exist yet), or null
 */
public record ConsumerLag(long lag, long atRisk, String missing) {

  /**
   * Which group on which topic; events written before {@code atRiskBeforeMs} (epoch ms) are at
   * risk when still unconsumed.
   */
  public record Query(String topic, String group, long atRiskBeforeMs) {}
}
