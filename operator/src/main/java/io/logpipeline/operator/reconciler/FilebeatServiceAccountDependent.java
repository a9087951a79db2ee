package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ShipperModel;

/** The ServiceAccount Filebeat runs as. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHIPPER))
public class FilebeatServiceAccountDependent extends OwnedDependent<ServiceAccount> {

  public FilebeatServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(LogPipeline primary, Context<LogPipeline> context) {
    return ShipperModel.serviceAccount(PipelineContext.pipeline(context));
  }
}
