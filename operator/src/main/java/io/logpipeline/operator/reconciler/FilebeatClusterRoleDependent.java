package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ShipperModel;

/** Cluster-wide read access for add_kubernetes_metadata; cluster-scoped, so owner references cannot reach it and the finalizer removes it. */
@KubernetesDependent(informer = @Informer(namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.SHIPPER))
public class FilebeatClusterRoleDependent extends CRUDNoGCKubernetesDependentResource<ClusterRole, LogPipeline> {

  public FilebeatClusterRoleDependent() {
    super(ClusterRole.class);
  }

  @Override
  protected ClusterRole desired(LogPipeline primary, Context<LogPipeline> context) {
    return ShipperModel.clusterRole(PipelineContext.pipeline(context));
  }
}
