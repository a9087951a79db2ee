package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.List;

/** Binds each group's ServiceAccount to its ClusterRole. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperClusterRoleBindingDependent extends SharedShipperDependent<ClusterRoleBinding> {

  public SharedShipperClusterRoleBindingDependent() {
    super(ClusterRoleBinding.class);
  }

  @Override
  protected List<ClusterRoleBinding> desired(ShipperClassContext shared) {
    return shared.groups().stream().map(SharedShipperModel::clusterRoleBinding).toList();
  }
}
