package io.logpipeline.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.model.HealthSettings;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

/**
 * What the flow observer needs of one pipeline, handed over by its reconcile: where to look and
 * with which credentials (read from the Secrets at reconcile time, so a poll makes no Kubernetes
 * call and a rotated password arrives with the next reconcile).
 *
 * @param id the LogPipeline
 * @param uid its metadata.uid: the canary's document id
 * @param kafka how to read the consumer lag, or null when the operator has no access (then
 *     {@code kafkaProblem} says why)
 * @param canaryKafka how to produce the canary (the same cluster, perhaps other credentials), or null
 * @param indices the index patterns of the pipeline's events, comma-separated
 * @param deadLetterIndices the dead-letter index's patterns, or null when dead letters are off
 * @param retentionMs the topic's retention.ms: unconsumed events near its end are at risk
 */
public record FlowTarget(ResourceID id, String uid, HealthSettings settings, KafkaConnection kafka,
    KafkaConnection canaryKafka, String kafkaProblem, String topic, String group, long retentionMs, SearchConnection search,
    String indices, String deadLetterIndices) {

  /** The share of the retention after which an unconsumed event counts as at risk. */
  static final double AT_RISK_SHARE = 0.8;

  public static FlowTarget of(Pipeline p, KafkaConnection kafka, String kafkaProblem, SearchConnection search) {
    return of(p, kafka, kafka, kafkaProblem, search);
  }

  public static FlowTarget of(Pipeline p, KafkaConnection kafka, KafkaConnection canaryKafka,
      String kafkaProblem, SearchConnection search) {
    var lp = p.resource();
    return new FlowTarget(ResourceID.fromResource(lp), lp.getMetadata().getUid(), HealthSettings.of(p),
        kafka, canaryKafka, kafkaProblem, p.topicName(), p.consumerGroup(), p.retentionMs(), search,
        String.join(",", p.indexNames().patterns()),
        IndexerModel.indexesDeadLetters(p) ? String.join(",", p.deadLetterIndexNames().patterns()) : null);
  }

  /** Events written before this time (epoch ms) are at risk while unconsumed. */
  long atRiskBefore(long nowMs) {
    return nowMs - (long) (retentionMs * AT_RISK_SHARE);
  }
}
