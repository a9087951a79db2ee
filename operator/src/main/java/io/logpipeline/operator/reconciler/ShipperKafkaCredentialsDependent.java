package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

/**
 * The shipper's (Filebeat's) Kafka credentials, copied into the pipeline's namespace for a
 * Filebeat of its own; a shared Filebeat mounts its group's copy in the operator's namespace.
 */
public class ShipperKafkaCredentialsDependent extends KafkaCredentialsDependent {

  public ShipperKafkaCredentialsDependent() {
    super(Role.SHIPPER);
  }

  @Override
  protected boolean needed(Pipeline p, Context<LogPipeline> context) {
    return KafkaSecurity.needsSecret(p) && ShipperPlacement.of(context).ownDaemonSet();
  }
}
