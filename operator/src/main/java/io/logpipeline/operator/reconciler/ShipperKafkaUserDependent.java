package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.KafkaUserModel;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * The shipper's KafkaUser: Write and Describe on the topic. Only for a Filebeat of the
 * pipeline's own: a shared Filebeat writes as its group's KafkaUser
 * ({@link SharedShipperKafkaUserDependent}).
 */
@KubernetesDependent(informer = @Informer(
    namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.SHIPPER_KAFKA_USER))
public class ShipperKafkaUserDependent extends KafkaUserDependent {

  public ShipperKafkaUserDependent() {
    super(Role.SHIPPER);
  }

  /** A Strimzi cluster with authentication, and the pipeline's own Filebeat; else it is deleted. */
  public static final class Wanted implements Condition<KafkaUser, LogPipeline> {
    @Override
    public boolean isMet(DependentResource<KafkaUser, LogPipeline> dependentResource,
        LogPipeline primary, Context<LogPipeline> context) {
      return KafkaUserModel.enabled(PipelineContext.pipeline(context)) && ShipperPlacement.of(context).ownDaemonSet();
    }
  }
}
