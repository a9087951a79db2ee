package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.List;

/** Each group's read access for add_kubernetes_metadata; owned by the (cluster-scoped) class. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperClusterRoleDependent extends SharedShipperDependent<ClusterRole> {

  public SharedShipperClusterRoleDependent() {
    super(ClusterRole.class);
  }

  @Override
  protected List<ClusterRole> desired(ShipperClassContext shared) {
    return shared.groups().stream().map(SharedShipperModel::clusterRole).toList();
  }
}
