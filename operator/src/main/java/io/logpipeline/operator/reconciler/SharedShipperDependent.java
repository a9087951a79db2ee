package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.api.ShipperClass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kind of object of a ShipperClass's shared shippers, one per running group (a bulk
 * dependent): created, updated and, when its group stops, deleted by the class's reconciler, the
 * one writer of these objects. Owned by the class, so Kubernetes removes them with it.
 */
abstract class SharedShipperDependent<R extends HasMetadata> extends KubernetesDependentResource<R, ShipperClass>
    implements CRUDKubernetesBulkDependentResource<R, ShipperClass>, KubernetesBulkDependentResource<R, ShipperClass>,
    GarbageCollected<ShipperClass> {

  protected SharedShipperDependent(Class<R> type) {
    super(type);
  }

  /** The objects of every running group. */
  protected abstract List<R> desired(ShipperClassContext shared);

  @Override
  public Map<ResourceID, R> desiredResources(ShipperClass primary, Context<ShipperClass> context) {
    Map<ResourceID, R> desired = new LinkedHashMap<>();
    desired(ShipperClassContext.of(context)).forEach(r -> desired.put(ResourceID.fromResource(r), r));
    return desired;
  }
}
