package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.KafkaUserModel;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * A Strimzi KafkaUser of the pipeline, in the Kafka namespace: like the KafkaTopic it carries no
 * owner reference, and the finalizer deletes it, under either deletion policy: a user grants
 * access and holds no data.
 */
public abstract class KafkaUserDependent extends CRUDNoGCKubernetesDependentResource<KafkaUser, LogPipeline> {

  private final Role role;

  KafkaUserDependent(Role role) {
    super(KafkaUser.class);
    this.role = role;
  }

  @Override
  protected KafkaUser desired(LogPipeline primary, Context<LogPipeline> context) {
    return KafkaUserModel.kafkaUser(PipelineContext.pipeline(context), role);
  }

  /** Users exist only for a Strimzi cluster with authentication; otherwise they are deleted. */
  public static final class Enabled implements Condition<KafkaUser, LogPipeline> {
    @Override
    public boolean isMet(DependentResource<KafkaUser, LogPipeline> dependentResource,
        LogPipeline primary, Context<LogPipeline> context) {
      return KafkaUserModel.enabled(PipelineContext.pipeline(context));
    }
  }
}
