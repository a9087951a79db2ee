package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.logpipeline.operator.model.BufferModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * The Strimzi KafkaTopic. It lives where the Topic Operator watches, often another namespace, and
 * under {@code deletionPolicy: Retain} it must outlive the LogPipeline; so it never carries an
 * owner reference and the finalizer decides its fate.
 */
@KubernetesDependent(informer = @Informer(
    namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.BUFFER))
public class KafkaTopicDependent extends CRUDNoGCKubernetesDependentResource<KafkaTopic, LogPipeline> {

  public KafkaTopicDependent() {
    super(KafkaTopic.class);
  }

  @Override
  protected KafkaTopic desired(LogPipeline primary, Context<LogPipeline> context) {
    return BufferModel.kafkaTopic(PipelineContext.pipeline(context));
  }

  /** Strimzi's KafkaTopic exists only with a Strimzi cluster; an external topic is another dependent's. */
  public static final class StrimziCluster implements Condition<KafkaTopic, LogPipeline> {
    @Override
    public boolean isMet(DependentResource<KafkaTopic, LogPipeline> dependentResource,
        LogPipeline primary, Context<LogPipeline> context) {
      return KafkaSecurity.strimzi(PipelineContext.pipeline(context));
    }
  }

  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    // Only an explicit Delete: a policy that could not be read (another operator version's
    // value) keeps the topic and its events.
    if (primary.getSpec().getDeletionPolicy() == DeletionPolicy.Delete && PipelineContext.topicOwned(context)) {
      // Deleting the KafkaTopic makes the Topic Operator delete the topic and its events.
      super.delete(primary, context);
    }
  }
}
