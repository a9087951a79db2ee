package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.ArrayList;
import java.util.List;

/** Each group's Filebeat DaemonSet: one pod per node for all the group's pipelines. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperDaemonSetDependent extends SharedShipperDependent<DaemonSet> {

  public SharedShipperDaemonSetDependent() {
    super(DaemonSet.class);
  }

  @Override
  protected List<DaemonSet> desired(ShipperClassContext shared) {
    List<DaemonSet> desired = new ArrayList<>();
    for (SharedShipperModel.Group g : shared.groups()) {
      DaemonSet ds = shared.daemonSet(g);
      if (ds != null) {
        desired.add(ds);
      }
    }
    return desired;
  }
}
