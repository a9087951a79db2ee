package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each group's copy of its Kafka credentials (those Strimzi's User Operator writes for the
 * group's KafkaUser, and the cluster CA) in the operator's namespace, which its Filebeats mount;
 * owned by the class. As for a pipeline's copies ({@link KafkaCredentialsDependent}), the sources
 * are read by name at each reconcile, never watched, the copy written only when it differs, and
 * a missing source keeps the copy as it is. A copy whose group stopped is deleted (and, should
 * the operator stop between the two, goes with the class: it is owned by it, and its KafkaUser
 * is gone).
 */
public class SharedShipperCredentialsDependent implements DependentResource<Secret, ShipperClass>, NameSetter {

  private static final Logger log = LoggerFactory.getLogger(SharedShipperCredentialsDependent.class);

  /**
   * Per class, the copies this process has kept: with the copies the DaemonSets of stopped
   * groups mount, the ones to delete when their group stops. Deleted by name: Secrets are never
   * listed (a list would read every Secret of the namespace).
   */
  private final Map<String, Set<String>> kept = new ConcurrentHashMap<>();
  private String name = DependentResource.defaultNameFor(getClass());

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

  @Override
  public ReconcileResult<Secret> reconcile(ShipperClass primary, Context<ShipperClass> context) {
    ShipperClassContext shared = ShipperClassContext.of(context);
    KubernetesClient client = context.getClient();
    var secrets = client.secrets().inNamespace(shared.namespace());
    Set<String> keep = new HashSet<>();
    ReconcileResult<Secret> result = ReconcileResult.noOperation(null);
    for (SharedShipperModel.Group g : shared.groups()) {
      String secretName = SharedShipperModel.credentialsSecretName(g);
      if (g.pipelines().isEmpty()) {
        // None of its pipelines is valid: what runs keeps running, its copy included.
        keep.add(secretName);
        continue;
      }
      Pipeline any = g.pipelines().get(0);
      if (!KafkaSecurity.needsSecret(any)) {
        continue;
      }
      keep.add(secretName);
      Secret existing = secrets.withName(secretName).get();
      KafkaCredentialSources.Read read = KafkaCredentialSources.readShared(client, any, g.name());
      if (read.credentials() == null) {
        // The group's inputs wait for its KafkaUser; the pods wait for the copy.
        log.info("the credentials of shared Filebeat {} wait for {}", g.name(), read.missing());
        if (existing != null) {
          shared.secretVersions().put(g.name(), existing.getMetadata().getResourceVersion());
        }
        continue;
      }
      Secret desired = SharedShipperModel.credentialsSecret(g, read.credentials());
      desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
          .withApiVersion(primary.getApiVersion()).withKind(primary.getKind())
          .withName(primary.getMetadata().getName()).withUid(primary.getMetadata().getUid())
          .withController(true).withBlockOwnerDeletion(false).build()));
      Secret written;
      if (existing == null) {
        written = secrets.resource(desired).create();
        result = ReconcileResult.resourceCreated(written);
      } else if (Objects.equals(existing.getData(), desired.getData())
          && Objects.equals(existing.getType(), desired.getType())
          && existing.getMetadata().getLabels() != null
          && existing.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
        written = existing;
      } else {
        // Optimistic locking on the version read: a concurrent change makes this a conflict, retried.
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        written = secrets.resource(desired).update();
        result = ReconcileResult.resourceUpdated(written);
      }
      shared.secretVersions().put(g.name(), written.getMetadata().getResourceVersion());
    }
    String cls = primary.getMetadata().getName();
    Set<String> stale = new HashSet<>(kept.getOrDefault(cls, Set.of()));
    stale.addAll(shared.mountedSecrets());
    stale.removeAll(keep);
    for (String name : stale) {
      secrets.withName(name).delete();
    }
    kept.put(cls, keep);
    return result;
  }
}
