package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logpipeline.operator.api.LogPipeline;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The controllers a real cluster runs and the mock API server lacks, driven by watches like the
 * real ones: kubelet and the DaemonSet controller (every Filebeat pod ready on {@code nodes}
 * nodes), the Deployment controller (every Logstash replica ready), Strimzi's Topic Operator
 * (every KafkaTopic Ready), its User Operator ({@link SimulatedUserOperator}) and the garbage collector (objects owned by a deleted LogPipeline go).
 *
 * <p>Each reacts only to objects whose status is not yet what it would report, so it writes once
 * per change of the operator's, as the real controllers do. Its writes go through its own client,
 * so a test can tell them from the operator's.
 */
public final class SimulatedControllers implements AutoCloseable {

  private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  private static final String OPERATOR = "logpipeline-operator";

  private final KubernetesClient client;
  private final int nodes;
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private final AtomicLong statusWrites = new AtomicLong();
  private final AtomicLong collected = new AtomicLong();

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

  /** As {@link #start(KubernetesClient, int)}, waiting at most {@code syncTimeout} for the watches. */
  public static SimulatedControllers start(KubernetesClient client, int nodes, Duration syncTimeout) {
    SimulatedControllers c = new SimulatedControllers(client, nodes);
    c.watch(client.apps().daemonSets().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR),
        onChange(c::daemonSetReady));
    c.watch(client.apps().deployments().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR),
        onChange(c::deploymentReady));
    c.watch(client.resources(KafkaTopic.class).inAnyNamespace().withLabel(MANAGED_BY, OPERATOR),
        onChange(c::topicReady));
    c.watch(client.resources(KafkaUser.class).inAnyNamespace().withLabel(MANAGED_BY, OPERATOR),
        onChange(user -> SimulatedUserOperator.userReady(client, user)));
    c.watch(client.resources(LogPipeline.class).inAnyNamespace(), new ResourceEventHandler<>() {
      @Override
      public void onAdd(LogPipeline lp) {}

      @Override
      public void onUpdate(LogPipeline old, LogPipeline lp) {}

      @Override
      public void onDelete(LogPipeline lp, boolean unknownFinalState) {
        c.collectGarbage(lp);
      }
    });
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    for (SharedIndexInformer<?> informer : c.informers) {
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

  private <T extends HasMetadata> void watch(Informable<T> what, ResourceEventHandler<T> handler) {
    SharedIndexInformer<T> informer = what.runnableInformer(0);
    informer.addEventHandler(handler);
    informer.exceptionHandler((retrying, error) -> true);
    informers.add(informer);
  }

  /** Status writes made so far (DaemonSets, Deployments, KafkaTopics). */
  public long statusWrites() {
    return statusWrites.get();
  }

  /** Objects deleted so far because their owning LogPipeline was gone. */
  public long collected() {
    return collected.get();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private void daemonSetReady(DaemonSet ds) {
    var s = ds.getStatus();
    Long generation = ds.getMetadata().getGeneration();
    if (s != null && Objects.equals(s.getObservedGeneration(), generation)
        && Objects.equals(s.getNumberReady(), nodes) && Objects.equals(s.getUpdatedNumberScheduled(), nodes)) {
      return;
    }
    ds.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(nodes).withNumberReady(nodes)
        .withCurrentNumberScheduled(nodes).withUpdatedNumberScheduled(nodes).withNumberAvailable(nodes)
        .withObservedGeneration(generation).build());
    writeStatus(ds);
  }

  private void deploymentReady(Deployment d) {
    int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    Long generation = d.getMetadata().getGeneration();
    if (s != null && Objects.equals(s.getObservedGeneration(), generation)
        && Objects.equals(s.getReadyReplicas(), replicas) && Objects.equals(s.getUpdatedReplicas(), replicas)) {
      return;
    }
    d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
        .withObservedGeneration(generation).build());
    writeStatus(d);
  }

  private void topicReady(KafkaTopic topic) {
    boolean ready = topic.getStatus() != null && topic.getStatus().getConditions() != null
        && topic.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (ready) {
      return;
    }
    topic.setStatus(new KafkaTopicStatusBuilder().withTopicName(topic.getMetadata().getName())
        .withConditions(new ConditionBuilder().withType("Ready").withStatus("True").build()).build());
    writeStatus(topic);
  }

  private void writeStatus(HasMetadata o) {
    try {
      client.resource(o).updateStatus();
      statusWrites.incrementAndGet();
    } catch (KubernetesClientException e) {
      // A conflict or a deleted object: the watch brings the newer version, and this runs again.
    }
  }

  private void collectGarbage(LogPipeline owner) {
    collected.addAndGet(collectGarbage(client, owner.getMetadata().getNamespace(), owner.getMetadata().getUid()));
  }

  /**
   * What Kubernetes' garbage collector does for objects whose owner is gone: deletes the
   * namespaced children that name {@code ownerUid} in an owner reference; returns how many.
   */
  public static int collectGarbage(KubernetesClient client, String namespace, String ownerUid) {
    int deleted = 0;
    List<HasMetadata> owned = Stream.of(
            client.configMaps().inNamespace(namespace).list().getItems(),
            client.serviceAccounts().inNamespace(namespace).list().getItems(),
            client.apps().daemonSets().inNamespace(namespace).list().getItems(),
            client.apps().deployments().inNamespace(namespace).list().getItems(),
            client.services().inNamespace(namespace).list().getItems(),
            client.secrets().inNamespace(namespace).list().getItems())
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
