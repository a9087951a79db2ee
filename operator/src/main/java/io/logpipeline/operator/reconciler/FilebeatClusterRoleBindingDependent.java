package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ShipperModel;

/** Binds the ClusterRole to Filebeat's ServiceAccount; removed by the finalizer. */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.SHIPPER))
public class FilebeatClusterRoleBindingDependent extends CRUDNoGCKubernetesDependentResource<ClusterRoleBinding, LogPipeline> {

  public FilebeatClusterRoleBindingDependent() {
    super(ClusterRoleBinding.class);
  }

  @Override
  protected ClusterRoleBinding desired(LogPipeline primary, Context<LogPipeline> context) {
    return ShipperModel.clusterRoleBinding(PipelineContext.pipeline(context));
  }
}
