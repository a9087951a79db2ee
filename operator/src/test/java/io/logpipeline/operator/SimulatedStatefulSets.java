package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logpipeline.operator.api.LogPipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The StatefulSet and Job controllers for the indexer, which the mock API server lacks (kept
 * apart from {@link SimulatedControllers} while that one is reworked): a StatefulSet's replicas
 * all become ready, and it creates a claim from its claim templates for every ordinal below its
 * replicas, as the real controller does (and never deletes one); a drain Job ends as
 * {@link #jobOutcome} decides; the garbage collector removes what a deleted LogPipeline owned of
 * these kinds. Writes go through the given client, as a controller's would.
 */
public final class SimulatedStatefulSets implements AutoCloseable {

  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String OPERATOR = "logpipeline-operator";

  private final KubernetesClient client;
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private volatile boolean ready = true;
  private volatile Function<Job, Optional<Boolean>> jobOutcome = job -> Optional.of(true);

  private SimulatedStatefulSets(KubernetesClient client) {
    this.client = client;
  }

  public static SimulatedStatefulSets start(KubernetesClient client) {
    SimulatedStatefulSets c = new SimulatedStatefulSets(client);
    var sts = client.apps().statefulSets().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).runnableInformer(0);
    sts.addEventHandler(SimulatedControllers.onChange(c::statefulSet));
    var jobs = client.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).runnableInformer(0);
    jobs.addEventHandler(SimulatedControllers.onChange(c::job));
    var pipelines = client.resources(LogPipeline.class).inAnyNamespace().runnableInformer(0);
    pipelines.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(LogPipeline lp) {}

      @Override
      public void onUpdate(LogPipeline old, LogPipeline lp) {}

      @Override
      public void onDelete(LogPipeline lp, boolean unknownFinalState) {
        collectOwned(client, lp.getMetadata().getNamespace(), lp.getMetadata().getUid());
      }
    });
    for (SharedIndexInformer<?> informer : List.of(sts, jobs, pipelines)) {
      c.informers.add(informer);
      try {
        informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return c;
  }

  /** Whether replicas become ready (false: pods that never pass their readiness probe). */
  public void ready(boolean ready) {
    this.ready = ready;
    client.apps().statefulSets().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).list().getItems()
        .forEach(this::statefulSet);
  }

  /** How a drain Job ends: true succeeded, false failed, empty still running. */
  public void jobOutcome(Function<Job, Optional<Boolean>> outcome) {
    this.jobOutcome = outcome;
    client.batch().v1().jobs().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).list().getItems()
        .forEach(this::job);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private void statefulSet(StatefulSet s) {
    int replicas = Objects.requireNonNullElse(s.getSpec().getReplicas(), 1);
    for (int i = 0; i < replicas; i++) {
      for (PersistentVolumeClaim template : Objects.requireNonNullElse(s.getSpec().getVolumeClaimTemplates(),
          List.<PersistentVolumeClaim>of())) {
        createClaim(s, template, i);
      }
    }
    int readyReplicas = ready ? replicas : 0;
    var status = s.getStatus();
    Long generation = s.getMetadata().getGeneration();
    if (status != null && Objects.equals(status.getObservedGeneration(), generation)
        && Objects.equals(status.getReplicas(), replicas) && Objects.equals(status.getReadyReplicas(), readyReplicas)) {
      return;
    }
    s.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(readyReplicas)
        .withCurrentReplicas(replicas).withUpdatedReplicas(replicas).withAvailableReplicas(readyReplicas)
        .withObservedGeneration(generation).build());
    try {
      client.resource(s).updateStatus();
    } catch (KubernetesClientException e) {
      // A conflict or a deleted object: the watch brings the newer version.
    }
  }

  /** As the StatefulSet controller: the template's metadata, the selector's labels, <template>-<set>-<ordinal>. */
  private void createClaim(StatefulSet s, PersistentVolumeClaim template, int ordinal) {
    String name = template.getMetadata().getName() + "-" + s.getMetadata().getName() + "-" + ordinal;
    String namespace = s.getMetadata().getNamespace();
    if (client.persistentVolumeClaims().inNamespace(namespace).withName(name).get() != null) {
      return;
    }
    Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of()));
    labels.putAll(s.getSpec().getSelector().getMatchLabels());
    try {
      client.resource(new PersistentVolumeClaimBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
              .withAnnotations(template.getMetadata().getAnnotations()).endMetadata()
          .withSpec(template.getSpec())
          .build()).create();
    } catch (KubernetesClientException e) {
      // Created meanwhile.
    }
  }

  private void job(Job job) {
    if (job.getStatus() != null && job.getStatus().getConditions() != null && !job.getStatus().getConditions().isEmpty()) {
      return;
    }
    Optional<Boolean> outcome = jobOutcome.apply(job);
    if (outcome.isEmpty()) {
      return;
    }
    boolean succeeded = outcome.get();
    job.setStatus(new JobStatusBuilder()
        .withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 4)
        .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed")
            .withStatus("True").build())
        .build());
    try {
      client.resource(job).updateStatus();
    } catch (KubernetesClientException e) {
      // As above.
    }
  }

  /**
   * The garbage collector for every owned kind: what the indexer owns (StatefulSets,
   * PodDisruptionBudgets, Jobs) and what {@link SimulatedControllers#collectGarbage} collects.
   */
  public static int collectGarbage(KubernetesClient client, String namespace, String ownerUid) {
    return collectOwned(client, namespace, ownerUid) + SimulatedControllers.collectGarbage(client, namespace, ownerUid);
  }

  private static int collectOwned(KubernetesClient client, String namespace, String ownerUid) {
    int deleted = 0;
    List<HasMetadata> owned = Stream.of(
            client.apps().statefulSets().inNamespace(namespace).list().getItems(),
            client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems(),
            client.batch().v1().jobs().inNamespace(namespace).list().getItems())
        .flatMap(List::stream)
        .<HasMetadata>map(o -> o)
        .filter(o -> o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences()
            .stream().anyMatch(ref -> ownerUid.equals(ref.getUid())))
        .toList();
    for (HasMetadata o : owned) {
      try {
        client.resource(o).delete();
        deleted++;
      } catch (KubernetesClientException e) {
        // Already gone.
      }
    }
    return deleted;
  }
}
