package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The copy of one client's Kafka credentials (and the CA) in the pipeline's namespace, which its
 * pods mount. The sources are read by name at every reconcile and the copy written only when it
 * differs, so a password or CA that Strimzi rotates reaches the copy, and through its new
 * resourceVersion on the pod template, the pods.
 *
 * <p>Not a JOSDK Kubernetes dependent: that would keep every copy, secrets included, in an
 * informer cache, and a missing source would have to delete the copy (a reconcile precondition
 * also deletes everything that depends on it, the workloads among them). Here a missing source
 * keeps the copy as it is and the pipeline says what it waits for.
 */
public abstract class KafkaCredentialsDependent implements DependentResource<Secret, LogPipeline>, NameSetter {

  private final Role role;
  /**
   * Pipelines (by uid) seen without the need of a copy and without one: not read again until
   * they need it, so the many pipelines without it cost no request.
   */
  private final Set<String> withoutCopy = ConcurrentHashMap.newKeySet();
  /** The workflow's name for it: the workloads name it in dependsOn. */
  private String name = DependentResource.defaultNameFor(getClass());

  KafkaCredentialsDependent(Role role) {
    this.role = role;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public Class<Secret> resourceType() {
    return Secret.class;
  }

  /** Whether the pipeline's pods need this copy. */
  protected boolean needed(Pipeline p, Context<LogPipeline> context) {
    return KafkaSecurity.needsSecret(p);
  }

  @Override
  public ReconcileResult<Secret> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    String uid = primary.getMetadata().getUid();
    boolean needed = needed(p, context);
    if (!needed && withoutCopy.contains(uid)) {
      return ReconcileResult.noOperation(null);
    }
    KafkaObservations observed = PipelineContext.kafka(context);
    KubernetesClient client = context.getClient();
    var secrets = client.secrets().inNamespace(p.namespace());
    String secretName = KafkaSecurity.secretName(p, role);
    Secret existing = secrets.withName(secretName).get();
    boolean ours = existing != null && existing.getMetadata().getOwnerReferences() != null
        && existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(ref -> Objects.equals(ref.getUid(), primary.getMetadata().getUid()));
    if (!needed) {
      if (ours) {
        secrets.resource(existing).delete();
      }
      withoutCopy.add(uid);
      return ReconcileResult.noOperation(null);
    }
    withoutCopy.remove(uid);
    if (existing != null && !ours) {
      throw new StageException("Conflict", "Secret " + p.namespace() + "/" + secretName + " exists and"
          + " was not made by this LogPipeline; delete or rename it");
    }
    KafkaCredentialSources.Read read = KafkaCredentialSources.read(client, p, role);
    if (read.credentials() == null) {
      observed.waiting(role, read.missing());
      if (existing != null) {
        observed.secretVersion(role, existing.getMetadata().getResourceVersion());
      }
      return ReconcileResult.noOperation(existing);
    }
    Secret desired = KafkaSecurity.secret(p, role, read.credentials());
    desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion(primary.getApiVersion()).withKind(primary.getKind())
        .withName(primary.getMetadata().getName()).withUid(primary.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(false).build()));
    if (existing == null) {
      Secret created = secrets.resource(desired).create();
      observed.secretVersion(role, created.getMetadata().getResourceVersion());
      return ReconcileResult.resourceCreated(created);
    }
    boolean same = Objects.equals(existing.getData(), desired.getData())
        && Objects.equals(existing.getType(), desired.getType())
        && existing.getMetadata().getLabels() != null
        && existing.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    if (same) {
      observed.secretVersion(role, existing.getMetadata().getResourceVersion());
      return ReconcileResult.noOperation(existing);
    }
    // Optimistic locking on the version read: a concurrent change makes this a conflict, retried.
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    Secret updated = secrets.resource(desired).update();
    observed.secretVersion(role, updated.getMetadata().getResourceVersion());
    return ReconcileResult.resourceUpdated(updated);
  }
}
