package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.ShipperAdmission;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the ShipperClass reconciler hands its dependents: the admission plan of this reconcile
 * and where the shared shippers run. Each dependent renders its objects for every running group
 * from it, through {@link SharedShipperModel}.
 */
record ShipperClassContext(ShipperClass shipperClass, String namespace, ShipperAdmission.Plan plan,
    Map<String, ConfigMap> actualConfigs) {

  static void put(Context<ShipperClass> context, ShipperClassContext value) {
    context.managedWorkflowAndDependentResourceContext().put(ShipperClassContext.class, value);
  }

  static ShipperClassContext of(Context<ShipperClass> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(ShipperClassContext.class, ShipperClassContext.class);
  }

  /** The groups that run, each with the pipelines its filebeat.yml is built from. */
  List<SharedShipperModel.Group> groups() {
    List<SharedShipperModel.Group> groups = new ArrayList<>();
    plan.inputs().keySet().forEach(name -> groups.add(new SharedShipperModel.Group(shipperClass, namespace,
        name, plan.pipelines().getOrDefault(name, List.of()))));
    return groups;
  }

  /**
   * The group's filebeat.yml: rendered from its pipelines, or, while none of them is valid, the
   * one that runs (an invalid pipeline changes nothing that runs).
   */
  ConfigMap config(SharedShipperModel.Group g) {
    if (g.pipelines().isEmpty() && actualConfigs.containsKey(g.name())) {
      ConfigMap actual = actualConfigs.get(g.name());
      return SharedShipperModel.configMapWithData(g, actual.getData());
    }
    return g.pipelines().isEmpty() ? null : SharedShipperModel.configMap(g);
  }
}
