package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.logpipeline.operator.api.LogPipeline;

/**
 * A child in the LogPipeline's namespace that Kubernetes' garbage collector removes with it. Its
 * owner reference is a controller reference, as the built-in controllers write theirs: {@code
 * controller: true} names the LogPipeline as the one object that manages it, and {@code
 * blockOwnerDeletion: true} makes a foreground deletion of the LogPipeline wait for it. (JOSDK's
 * own reference has neither.)
 */
public abstract class OwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, LogPipeline> {

  protected OwnedDependent(Class<R> resourceType) {
    super(resourceType);
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, LogPipeline primary) {
    desired.addOwnerReference(new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion())
        .withKind(primary.getKind())
        .withName(primary.getMetadata().getName())
        .withUid(primary.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build());
    super.addReferenceHandlingMetadata(desired, primary);
  }
}
