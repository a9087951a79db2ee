package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.List;

/** Each group's ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperServiceAccountDependent extends SharedShipperDependent<ServiceAccount> {

  public SharedShipperServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected List<ServiceAccount> desired(ShipperClassContext shared) {
    return shared.groups().stream().map(SharedShipperModel::serviceAccount).toList();
  }
}
