package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.ShipperModel;

/** The Filebeat DaemonSet: one shipper per node. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHIPPER))
public class FilebeatDaemonSetDependent extends OwnedDependent<DaemonSet> {

  public FilebeatDaemonSetDependent() {
    super(DaemonSet.class);
  }

  @Override
  protected DaemonSet desired(LogPipeline primary, Context<LogPipeline> context) {
    var pipeline = PipelineContext.pipeline(context);
    DaemonSet desired = ShipperModel.daemonSet(pipeline,
        ShipperModel.configMap(pipeline, ShipperPlacement.of(context).paths()));
    // After the credentials dependent (dependsOn): the version of the copy it just wrote.
    KafkaSecurity.secretVersion(desired.getSpec().getTemplate(),
        PipelineContext.kafka(context).secretVersion(Role.SHIPPER));
    return desired;
  }
}
