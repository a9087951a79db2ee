package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logpipeline.operator.api.LogPipeline;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatus;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The controllers a real cluster runs and the mock API server lacks, driven by watches like the
 * real ones, each writing only what it would report and only when that differs from what is
 * stored (so once per change, as the real ones do), through its own client:
 *
 * <ul>
 *   <li>kubelet with the DaemonSet, Deployment, StatefulSet and Job controllers: a DaemonSet runs
 *       a pod on each of {@code nodes} nodes, a Deployment or StatefulSet its replicas, a Job
 *       completes. By default every pod is ready and runs the current template; a test can make
 *       a workload partly ready ({@link #readyPods}), hold a rollout ({@link #rollingOut}), keep
 *       its controller from observing it at all ({@link #hold}), or let a Job fail or run on
 *       ({@link #jobOutcome}). The StatefulSet controller also creates the PersistentVolumeClaims
 *       of its volumeClaimTemplates, owned by it when its retention policy says Delete, and a
 *       provisioner binds every claim;</li>
 *   <li>Strimzi's Topic Operator: every KafkaTopic Ready, unless {@link #topicNotReady}; and its
 *       User Operator ({@link SimulatedUserOperator}): a Secret for every KafkaUser, then Ready;</li>
 *   <li>the garbage collector: when any object is deleted, the objects whose owner references
 *       name it are deleted too (cascading), unless another owner still exists; an object whose
 *       owners are all gone when it appears is deleted as well. It watches every kind in {@link
 *       #COLLECTED_KINDS} (plus what a test adds), as owner and as dependent.</li>
 * </ul>
 */
public final class SimulatedControllers implements AutoCloseable {

  /** The namespaced and cluster-scoped kinds the garbage collector follows, besides LogPipeline. */
  public static final List<Class<? extends HasMetadata>> COLLECTED_KINDS = List.of(
      ConfigMap.class, Secret.class, ServiceAccount.class, Service.class, PersistentVolumeClaim.class,
      DaemonSet.class, Deployment.class, StatefulSet.class, Job.class, PodDisruptionBudget.class,
      Role.class, RoleBinding.class, ClusterRole.class, ClusterRoleBinding.class,
      KafkaTopic.class, KafkaUser.class);

  /** What a Job does, as {@link #jobOutcome} sets it. */
  public enum JobOutcome { SUCCEEDED, FAILED, RUNNING }

  private static final String OWNERS = "owners";
  private static final String UID = "uid";

  private final KubernetesClient client;
  private volatile int nodes;
  /** Informers by kind, LogPipeline included. */
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();
  private final Map<String, Class<? extends HasMetadata>> types = new ConcurrentHashMap<>();
  private final Map<String, Integer> readyLimit = new ConcurrentHashMap<>();
  private final Map<String, Integer> updatedLimit = new ConcurrentHashMap<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Map<String, JobOutcome> jobOutcomes = new ConcurrentHashMap<>();
  private volatile JobOutcome defaultJobOutcome = JobOutcome.SUCCEEDED;
  private final Map<String, Condition> topicConditions = new ConcurrentHashMap<>();
  private final AtomicLong statusWrites = new AtomicLong();
  private final AtomicLong collected = new AtomicLong();
  private final List<String> collectedLog = new CopyOnWriteArrayList<>();

  private SimulatedControllers(KubernetesClient client, int nodes) {
    this.client = client;
    this.nodes = nodes;
  }

  /**
   * Starts watching; returns once the watches have listed what exists, or after 10 s for an API
   * the server does not serve (Strimzi not installed): that watch keeps retrying, and starts
   * working once the API is there.
   */
  public static SimulatedControllers start(KubernetesClient client, int nodes) {
    return start(client, nodes, Duration.ofSeconds(10));
  }

  /**
   * As {@link #start(KubernetesClient, int)}, waiting at most {@code syncTimeout} for the watches;
   * the garbage collector also follows {@code moreKinds} (kinds that issues add).
   */
  @SafeVarargs
  public static SimulatedControllers start(KubernetesClient client, int nodes, Duration syncTimeout,
      Class<? extends HasMetadata>... moreKinds) {
    SimulatedControllers c = new SimulatedControllers(client, nodes);
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>();
    kinds.add(LogPipeline.class);
    kinds.addAll(COLLECTED_KINDS);
    kinds.addAll(List.of(moreKinds));
    for (Class<? extends HasMetadata> kind : kinds) {
      c.watch(kind);
    }
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    for (SharedIndexInformer<?> informer : c.informers.values()) {
      try {
        informer.start().toCompletableFuture()
            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Not served (yet): the informer retries on its own.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return c;
  }

  private <T extends HasMetadata> void watch(Class<T> kind) {
    SharedIndexInformer<T> informer = client.resources(kind).inAnyNamespace().runnableInformer(0);
    informer.addIndexers(Map.of(
        OWNERS, o -> o.getMetadata().getOwnerReferences() == null ? List.of()
            : o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList(),
        UID, o -> List.of(o.getMetadata().getUid())));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        changed(o);
      }

      @Override
      public void onUpdate(T old, T o) {
        changed(o);
      }

      @Override
      public void onDelete(T o, boolean unknownFinalState) {
        collectDependentsOf(o);
      }
    });
    informer.exceptionHandler((retrying, error) -> true);
    String k = HasMetadata.getKind(kind);
    informers.put(k, informer);
    types.put(k, kind);
  }

  /** Status writes made so far (workloads, claims, KafkaTopics). */
  public long statusWrites() {
    return statusWrites.get();
  }

  /** Objects the garbage collector deleted so far. */
  public long collected() {
    return collected.get();
  }

  /** "Kind namespace/name" of each object the garbage collector deleted, in order. */
  public List<String> collectedObjects() {
    return List.copyOf(collectedLog);
  }

  // ---- what a test can make the cluster do ------------------------------------------------------

  /** The number of nodes DaemonSets run on from now on (every DaemonSet is counted again). */
  public void nodes(int count) {
    nodes = count;
    informer(DaemonSet.class).getStore().list().forEach(this::changed);
  }

  /** At most {@code ready} pods of the workload(s) named so are ready (crash loops, lost nodes). */
  public void readyPods(String namespace, String name, int ready) {
    readyLimit.put(key(namespace, name), ready);
    again(namespace, name);
  }

  /**
   * Only {@code updated} pods of the workload(s) named so run the current template; the others
   * keep running the previous one (and stay ready): a rollout in progress.
   */
  public void rollingOut(String namespace, String name, int updated) {
    updatedLimit.put(key(namespace, name), updated);
    again(namespace, name);
  }

  /** The controllers leave the objects named so alone (not observed yet) until {@link #healthy}. */
  public void hold(String namespace, String name) {
    held.add(key(namespace, name));
  }

  /** Strimzi reports the KafkaTopic not ready, with this reason and message. */
  public void topicNotReady(String namespace, String name, String reason, String message) {
    topicConditions.put(key(namespace, name), new ConditionBuilder().withType("Ready").withStatus("False")
        .withReason(reason).withMessage(message).build());
    again(namespace, name);
  }

  /** What the Job named so does (default: it succeeds). */
  public void jobOutcome(String namespace, String name, JobOutcome outcome) {
    jobOutcomes.put(key(namespace, name), outcome);
    again(namespace, name);
  }

  /** What every Job not named by {@link #jobOutcome(String, String, JobOutcome)} does from now on. */
  public void jobOutcome(JobOutcome outcome) {
    defaultJobOutcome = outcome;
    informer(Job.class).getStore().list().forEach(this::changed);
  }

  /** Back to the default for the objects named so: observed, every pod ready and updated, topic Ready. */
  public void healthy(String namespace, String name) {
    String key = key(namespace, name);
    readyLimit.remove(key);
    updatedLimit.remove(key);
    held.remove(key);
    topicConditions.remove(key);
    jobOutcomes.remove(key);
    again(namespace, name);
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }

  // ---- the controllers ----------------------------------------------------------------------

  private void again(String namespace, String name) {
    informers.values().forEach(i -> i.getStore().list().stream()
        .filter(o -> name.equals(o.getMetadata().getName()) && Objects.equals(namespace, o.getMetadata().getNamespace()))
        .forEach(this::changed));
  }

  private void changed(HasMetadata o) {
    if (o.getMetadata().getDeletionTimestamp() == null && ownersGone(o)) {
      delete(o, "its owners are gone");
      return;
    }
    if (held.contains(key(o))) {
      return;
    }
    if (o instanceof DaemonSet ds) {
      report(ds, daemonSetStatus(ds), DaemonSet::getStatus, DaemonSet::setStatus);
    } else if (o instanceof Deployment d) {
      report(d, deploymentStatus(d), Deployment::getStatus, Deployment::setStatus);
    } else if (o instanceof StatefulSet sts) {
      createClaims(sts);
      report(sts, statefulSetStatus(sts), StatefulSet::getStatus, StatefulSet::setStatus);
    } else if (o instanceof Job job) {
      report(job, jobStatus(job), Job::getStatus, Job::setStatus);
    } else if (o instanceof PersistentVolumeClaim pvc) {
      report(pvc, new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
          .withCapacity(pvc.getSpec() == null || pvc.getSpec().getResources() == null ? null
              : pvc.getSpec().getResources().getRequests())
          .build(), PersistentVolumeClaim::getStatus, PersistentVolumeClaim::setStatus);
    } else if (o instanceof KafkaTopic topic) {
      report(topic, topicStatus(topic), KafkaTopic::getStatus, KafkaTopic::setStatus);
    } else if (o instanceof KafkaUser user && o.getMetadata().getDeletionTimestamp() == null) {
      SimulatedUserOperator.userReady(client, user);
    }
  }

  private int ready(HasMetadata o, int desired) {
    return Math.min(desired, readyLimit.getOrDefault(key(o), desired));
  }

  private int updated(HasMetadata o, int desired) {
    return Math.min(desired, updatedLimit.getOrDefault(key(o), desired));
  }

  private DaemonSetStatus daemonSetStatus(DaemonSet ds) {
    int n = nodes;
    int ready = ready(ds, n);
    return new DaemonSetStatusBuilder().withDesiredNumberScheduled(n).withCurrentNumberScheduled(n)
        .withUpdatedNumberScheduled(omitZero(updated(ds, n))).withNumberReady(ready)
        .withNumberAvailable(omitZero(ready)).withNumberUnavailable(omitZero(n - ready))
        .withNumberMisscheduled(0).withObservedGeneration(ds.getMetadata().getGeneration()).build();
  }

  private DeploymentStatus deploymentStatus(Deployment d) {
    int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int ready = ready(d, replicas);
    return new DeploymentStatusBuilder().withReplicas(omitZero(replicas))
        .withUpdatedReplicas(omitZero(updated(d, replicas))).withReadyReplicas(omitZero(ready))
        .withAvailableReplicas(omitZero(ready)).withUnavailableReplicas(omitZero(replicas - ready))
        .withObservedGeneration(d.getMetadata().getGeneration()).build();
  }

  private StatefulSetStatus statefulSetStatus(StatefulSet sts) {
    int replicas = sts.getSpec() == null || sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    int ready = ready(sts, replicas);
    int updated = updated(sts, replicas);
    String updateRevision = sts.getMetadata().getName() + "-" + sts.getMetadata().getGeneration();
    String currentRevision = updated == replicas || sts.getStatus() == null || sts.getStatus().getCurrentRevision() == null
        ? updateRevision : sts.getStatus().getCurrentRevision();
    // Pods at currentRevision: all of them once the rollout is done, else those not updated yet.
    int current = updated == replicas ? replicas : replicas - updated;
    return new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(omitZero(ready))
        .withAvailableReplicas(omitZero(ready)).withCurrentReplicas(omitZero(current))
        .withUpdatedReplicas(omitZero(updated)).withCurrentRevision(currentRevision)
        .withUpdateRevision(updateRevision).withCollisionCount(0)
        .withObservedGeneration(sts.getMetadata().getGeneration()).build();
  }

  /**
   * The claims of the volumeClaimTemplates, {@code <template>-<statefulset>-<ordinal>}, as the
   * StatefulSet controller creates them: never deleted on a scale-down, owned by the StatefulSet
   * (so collected with it) only when {@code persistentVolumeClaimRetentionPolicy.whenDeleted} is
   * Delete.
   */
  private void createClaims(StatefulSet sts) {
    if (sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null) {
      return;
    }
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    var policy = sts.getSpec().getPersistentVolumeClaimRetentionPolicy();
    boolean owned = policy != null && "Delete".equals(policy.getWhenDeleted());
    String ns = sts.getMetadata().getNamespace();
    for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
      for (int i = 0; i < replicas; i++) {
        String name = template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + i;
        if (informer(PersistentVolumeClaim.class).getStore().getByKey(ns + "/" + name) != null) {
          continue;
        }
        // The template's labels and annotations, then the selector's labels, as the controller does.
        Map<String, String> labels = new LinkedHashMap<>(
            Objects.requireNonNullElse(template.getMetadata().getLabels(), Map.of()));
        if (sts.getSpec().getSelector() != null && sts.getSpec().getSelector().getMatchLabels() != null) {
          labels.putAll(sts.getSpec().getSelector().getMatchLabels());
        }
        PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder()
            .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                .withAnnotations(template.getMetadata().getAnnotations())
            .endMetadata()
            .withSpec(template.getSpec());
        if (owned) {
          claim.editMetadata().addNewOwnerReference().withApiVersion(sts.getApiVersion()).withKind(sts.getKind())
              .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid())
              .withController(true).withBlockOwnerDeletion(true).endOwnerReference().endMetadata();
        }
        try {
          client.resource(claim.build()).create();
        } catch (KubernetesClientException e) {
          // Created meanwhile (409): the watch brings it.
        }
      }
    }
  }

  private JobStatus jobStatus(Job job) {
    if (job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
        .stream().anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
            && "True".equals(c.getStatus()))) {
      // A Job that ended stays as it ended.
      return job.getStatus();
    }
    JobOutcome outcome = jobOutcomes.getOrDefault(key(job), defaultJobOutcome);
    Integer backoffLimit = job.getSpec() == null ? null : job.getSpec().getBackoffLimit();
    return switch (outcome) {
      case RUNNING -> new JobStatusBuilder().withActive(1).build();
      case SUCCEEDED -> new JobStatusBuilder().withSucceeded(1).withConditions(new JobConditionBuilder()
          .withType("Complete").withStatus("True").build()).build();
      case FAILED -> new JobStatusBuilder().withFailed((backoffLimit == null ? 6 : backoffLimit) + 1)
          .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
              .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit").build())
          .build();
    };
  }

  private KafkaTopicStatus topicStatus(KafkaTopic topic) {
    Condition ready = topicConditions.getOrDefault(key(topic),
        new ConditionBuilder().withType("Ready").withStatus("True").build());
    String name = topic.getSpec() != null && topic.getSpec().getTopicName() != null
        ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
    return new KafkaTopicStatusBuilder().withTopicName(name).withConditions(ready)
        .withObservedGeneration(topic.getMetadata().getGeneration()).build();
  }

  /** Writes {@code status} through the status subresource when the stored one differs. */
  private <T extends HasMetadata, S> void report(T o, S status, Function<T, S> current,
      BiConsumer<T, S> set) {
    if (Objects.equals(current.apply(o), status)) {
      return;
    }
    // Informer caches are shared: write a copy.
    T copy = client.getKubernetesSerialization().clone(o);
    set.accept(copy, status);
    try {
      client.resource(copy).updateStatus();
      statusWrites.incrementAndGet();
    } catch (KubernetesClientException e) {
      // A conflict or a deleted object: the watch brings the newer version, and this runs again.
    }
  }

  // ---- the garbage collector ------------------------------------------------------------------

  private void collectDependentsOf(HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers.values()) {
      for (HasMetadata dependent : informer.getIndexer().byIndex(OWNERS, uid)) {
        boolean anotherOwner = dependent.getMetadata().getOwnerReferences().stream()
            .filter(ref -> !uid.equals(ref.getUid()))
            .anyMatch(ref -> exists(ref, dependent.getMetadata().getNamespace()));
        if (!anotherOwner) {
          delete(dependent, "owner " + owner.getKind() + " " + owner.getMetadata().getName() + " deleted");
        }
      }
    }
  }

  /** True when the object names owners and none of them exists. */
  private boolean ownersGone(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs != null && !refs.isEmpty()
        && refs.stream().noneMatch(ref -> exists(ref, o.getMetadata().getNamespace()));
  }

  /**
   * Whether the owner named by {@code ref} exists: in the watch's cache, or else read from the
   * server (the cache may not have it yet), as the real collector verifies before deleting. An
   * owner of a kind that is not followed is assumed to exist.
   */
  private boolean exists(OwnerReference ref, String namespace) {
    var informer = informers.get(ref.getKind());
    Class<? extends HasMetadata> type = types.get(ref.getKind());
    if (informer == null || type == null) {
      return true;
    }
    if (!informer.getIndexer().byIndex(UID, ref.getUid()).isEmpty()) {
      return true;
    }
    try {
      var op = client.resources(type);
      HasMetadata found = Namespaced.class.isAssignableFrom(type) && namespace != null
          ? op.inNamespace(namespace).withName(ref.getName()).get()
          : op.withName(ref.getName()).get();
      return found != null && ref.getUid().equals(found.getMetadata().getUid());
    } catch (KubernetesClientException e) {
      return true;
    }
  }

  private void delete(HasMetadata o, String why) {
    try {
      client.resource(o).delete();
      collected.incrementAndGet();
      collectedLog.add(o.getKind() + " " + key(o) + " (" + why + ")");
    } catch (KubernetesClientException e) {
      // Already gone.
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> SharedIndexInformer<T> informer(Class<T> kind) {
    return (SharedIndexInformer<T>) informers.get(HasMetadata.getKind(kind));
  }

  private static String key(HasMetadata o) {
    return key(o.getMetadata().getNamespace(), o.getMetadata().getName());
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  /** Kubernetes leaves zero counts out of workload status (omitempty). */
  private static Integer omitZero(int n) {
    return n == 0 ? null : n;
  }

  /** A handler that runs {@code action} on every add and update, and ignores deletes. */
  public static <T extends HasMetadata> ResourceEventHandler<T> onChange(Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        action.accept(o);
      }

      @Override
      public void onUpdate(T old, T o) {
        action.accept(o);
      }

      @Override
      public void onDelete(T o, boolean unknownFinalState) {}
    };
  }
}
