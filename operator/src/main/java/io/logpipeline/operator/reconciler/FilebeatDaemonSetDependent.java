package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ShipperModel;

/** The Filebeat DaemonSet: one shipper per node. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHIPPER))
public class FilebeatDaemonSetDependent extends OwnedDependent<DaemonSet> {

  public FilebeatDaemonSetDependent() {
    super(DaemonSet.class);
  }

  @Override
  protected DaemonSet desired(LogPipeline primary, Context<LogPipeline> context) {
    return ShipperModel.daemonSet(PipelineContext.pipeline(context));
  }
}
