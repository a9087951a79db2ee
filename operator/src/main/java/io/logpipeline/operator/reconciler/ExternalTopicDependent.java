package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.KafkaAdminException;
import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.BufferModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.Pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The topic of a Kafka that Strimzi does not run (Amazon MSK, Redpanda, a plain Kafka), managed
 * through Kafka's admin API: created with its partitions, replicas and configs; the configs the
 * operator sets converged incrementally (others are left alone); partitions grown. What Kafka
 * cannot change in place (fewer partitions, another replication factor) is reported on
 * BufferReady, not fought. Deleted under {@code deletionPolicy: Delete}.
 */
public class ExternalTopicDependent implements DependentResource<TopicDescription, LogPipeline>,
    Deleter<LogPipeline> {

  private static final Logger log = LoggerFactory.getLogger(ExternalTopicDependent.class);

  @Override
  public Class<TopicDescription> resourceType() {
    return TopicDescription.class;
  }

  @Override
  public ReconcileResult<TopicDescription> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    if (KafkaSecurity.strimzi(p)) {
      return ReconcileResult.noOperation(null);
    }
    TopicSpec spec = Objects.requireNonNullElseGet(p.spec().getKafka().getTopic(), TopicSpec::new);
    Map<String, String> configs = new LinkedHashMap<>();
    BufferModel.topicConfig(p).forEach((k, v) -> configs.put(k, String.valueOf(v)));
    KafkaAdmin admin = admin(p, primary, context);
    try {
      Optional<TopicDescription> existing = admin.describeTopic(p.topicName());
      if (existing.isEmpty()) {
        admin.createTopic(p.topicName(), spec.getPartitions(), spec.getReplicas(), configs);
        TopicDescription created = new TopicDescription(p.topicName(), spec.getPartitions(),
            spec.getReplicas(), configs);
        PipelineContext.kafka(context).externalTopic(created);
        return ReconcileResult.resourceCreated(created);
      }
      TopicDescription topic = existing.get();
      Map<String, String> changed = new LinkedHashMap<>();
      configs.forEach((k, v) -> {
        if (!v.equals(topic.configs().get(k))) {
          changed.put(k, v);
        }
      });
      boolean grow = topic.partitions() < spec.getPartitions();
      if (!changed.isEmpty()) {
        admin.setTopicConfigs(p.topicName(), changed);
      }
      if (grow) {
        admin.createPartitions(p.topicName(), spec.getPartitions());
      }
      Map<String, String> now = new LinkedHashMap<>(topic.configs());
      now.putAll(changed);
      TopicDescription current = new TopicDescription(topic.name(),
          Math.max(topic.partitions(), spec.getPartitions()), topic.replicationFactor(), now);
      PipelineContext.kafka(context).externalTopic(current);
      if (topic.partitions() > spec.getPartitions()) {
        throw new StageException("PartitionsCannotShrink", "topic " + p.topicName() + " has "
            + topic.partitions() + " partitions and spec.kafka.topic.partitions asks for "
            + spec.getPartitions() + ": Kafka cannot remove partitions; set it to "
            + topic.partitions() + " or more");
      }
      if (topic.replicationFactor() != spec.getReplicas()) {
        throw new StageException("ReplicationFactorDiffers", "topic " + p.topicName()
            + " has replication factor " + topic.replicationFactor() + " and spec.kafka.topic.replicas"
            + " asks for " + spec.getReplicas() + ": the operator does not move replicas; set it to "
            + topic.replicationFactor() + ", or reassign the partitions with kafka-reassign-partitions");
      }
      return changed.isEmpty() && !grow
          ? ReconcileResult.noOperation(current) : ReconcileResult.resourceUpdated(current);
    } catch (KafkaAdminException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  /**
   * Deletes the topic, and its events, under {@code deletionPolicy: Delete}, unless the
   * skip-external-cleanup annotation says the cluster is gone for good; then lets go of the
   * admin client.
   */
  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    String user = primary.getMetadata().getUid();
    try {
      if (KafkaSecurity.strimzi(p) || p.bootstrapServers().isBlank()
          // Only an explicit Delete: a policy that could not be read (another operator
          // version's value) keeps the topic and its events, as for a Strimzi KafkaTopic.
          || p.spec().getDeletionPolicy() != DeletionPolicy.Delete || !PipelineContext.topicOwned(context)
          || IndexTemplateDependent.skipsExternalCleanup(primary)) {
        return;
      }
      KafkaAdmin admin;
      try {
        admin = admin(p, primary, context);
      } catch (StageException e) {
        // Without its credentials the operator cannot have made the topic either, unless they
        // were deleted since: waiting for Secrets that may never come back would block deletion.
        log.warn("topic {} is left in Kafka: {}", p.topicName(), e.getMessage());
        return;
      }
      admin.deleteTopic(p.topicName());
    } catch (KafkaAdminException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    } finally {
      PipelineContext.kafkaClients(context).release(user);
    }
  }

  private static KafkaAdmin admin(Pipeline p, LogPipeline primary, Context<LogPipeline> context) {
    return PipelineContext.kafkaClients(context).admin(primary.getMetadata().getUid(),
        KafkaCredentialSources.adminConnection(context.getClient(), p));
  }
}
