package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ShipperModel;

/** The filebeat.yml ConfigMap. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHIPPER))
public class FilebeatConfigMapDependent extends OwnedDependent<ConfigMap> {

  public FilebeatConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(LogPipeline primary, Context<LogPipeline> context) {
    return ShipperModel.configMap(PipelineContext.pipeline(context), ShipperPlacement.of(context).paths());
  }
}
