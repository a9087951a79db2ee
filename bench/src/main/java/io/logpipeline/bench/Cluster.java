package io.logpipeline.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.model.Pipeline;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One mock API server with Strimzi's Kafka installed, the simulated cluster controllers (kubelet,
 * workload controllers, Topic Operator, garbage collector) and a driver client that creates and
 * deletes LogPipelines and watches them become Ready.
 */
public final class Cluster implements AutoCloseable {

  public static final String KAFKA_NS = "kafka";
  /** Where the operator runs, and so the shared Filebeats of ShipperClasses. */
  public static final String OPERATOR_NS = "logpipeline-system";
  public static final int NODES = 3;
  private static final String MANAGED = Pipeline.LABEL_MANAGED_BY + "=" + Pipeline.MANAGED_BY;

  public final MockApi api;
  public final KubernetesClient driver;
  private final SimulatedControllers simulator;
  private final ExecutorService creators = Executors.newFixedThreadPool(8);
  private final List<SharedIndexInformer<?>> watches = new ArrayList<>();

  public Cluster() {
    api = MockApi.start();
    driver = api.client(MockApi.DRIVER);
    TestLogPipelines.installStrimziKafka(driver, KAFKA_NS);
    simulator = SimulatedControllers.start(api.client(MockApi.SIMULATOR), NODES);
  }

  /** Watches the LogPipelines of a namespace: how many are Ready, how many exist. */
  public ReadyWatch watch(String namespace) {
    ReadyWatch w = new ReadyWatch();
    watches.add(driver.resources(LogPipeline.class).inNamespace(namespace).inform(w));
    return w;
  }

  /** The LogPipelines of one run: pipeline-0 ... pipeline-(n-1), searching {@code host}. */
  public static List<LogPipeline> pipelines(String namespace, int n, String host) {
    List<LogPipeline> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LogPipeline lp = TestLogPipelines.minimal("pipeline-" + i, namespace, host);
      lp.getSpec().getKafka().setNamespace(KAFKA_NS);
      lp.getSpec().getElasticsearch().setFlavor(io.logpipeline.operator.api.Flavor.OPENSEARCH);
      list.add(lp);
    }
    return list;
  }

  /** Creates them all at once (8 client threads), returns when every create was answered. */
  public void createAll(List<LogPipeline> pipelines) {
    run(pipelines.stream().map(lp -> (Runnable) () -> driver.resource(lp).create()).toList());
  }

  public void deleteAll(String namespace) {
    List<LogPipeline> all = driver.resources(LogPipeline.class).inNamespace(namespace).list().getItems();
    run(all.stream().map(lp -> (Runnable) () -> driver.resource(lp).delete()).toList());
  }

  /** Adds or changes an annotation on every LogPipeline of the namespace (no spec change). */
  public void touchAll(String namespace, String value) {
    List<LogPipeline> all = driver.resources(LogPipeline.class).inNamespace(namespace).list().getItems();
    run(all.stream().map(lp -> (Runnable) () -> driver.resources(LogPipeline.class).inNamespace(namespace)
        .withName(lp.getMetadata().getName()).edit(x -> {
          if (x.getMetadata().getAnnotations() == null) {
            x.getMetadata().setAnnotations(new java.util.HashMap<>());
          }
          x.getMetadata().getAnnotations().put("bench.logpipeline.io/touched", value);
          return x;
        })).toList());
  }

  /** The objects the operator (or the floor) made for pipelines of {@code namespace} that are still there. */
  public Map<String, Integer> leftovers(String namespace) {
    Map<String, Integer> left = new LinkedHashMap<>();
    left.put("ConfigMap", driver.configMaps().inNamespace(namespace).withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().size());
    left.put("ServiceAccount", driver.serviceAccounts().inNamespace(namespace).withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().size());
    left.put("DaemonSet", driver.apps().daemonSets().inNamespace(namespace).withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().size());
    left.put("StatefulSet", driver.apps().statefulSets().inNamespace(namespace).withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().size());
    left.put("PodDisruptionBudget", driver.policy().v1().podDisruptionBudget().inNamespace(namespace)
        .withLabel(Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY).list().getItems().size());
    left.put("PersistentVolumeClaim", driver.persistentVolumeClaims().inNamespace(namespace)
        .withLabel(Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY).list().getItems().size());
    left.put("Job", driver.batch().v1().jobs().inNamespace(namespace)
        .withLabel(Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY).list().getItems().size());
    left.put("Service", driver.services().inNamespace(namespace).withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().size());
    left.put("ClusterRole", (int) driver.rbac().clusterRoles().withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().stream().filter(o -> ofNamespace(o, namespace)).count());
    left.put("ClusterRoleBinding", (int) driver.rbac().clusterRoleBindings().withLabel(Pipeline.LABEL_MANAGED_BY,
        Pipeline.MANAGED_BY).list().getItems().stream().filter(o -> ofNamespace(o, namespace)).count());
    left.put("KafkaTopic", (int) driver.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withLabel(
        Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY).list().getItems().stream()
        .filter(o -> ofNamespace(o, namespace)).count());
    left.put("LogPipeline", driver.resources(LogPipeline.class).inNamespace(namespace).list().getItems().size());
    return left;
  }

  private static boolean ofNamespace(HasMetadata o, String namespace) {
    var a = o.getMetadata().getAnnotations();
    var l = o.getMetadata().getLabels();
    return (a != null && namespace.equals(a.get("io.javaoperatorsdk/primary-namespace")))
        || (l != null && namespace.equals(l.get(Pipeline.LABEL_OWNER_NAMESPACE)));
  }

  public long simulatorStatusWrites() {
    return simulator.statusWrites();
  }

  public long collected() {
    return simulator.collected();
  }

  private void run(List<Runnable> tasks) {
    List<Future<?>> futures = new ArrayList<>();
    tasks.forEach(t -> futures.add(creators.submit(t)));
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Waits up to {@code timeout} for {@code condition}, polling every 20 ms. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void close() {
    creators.shutdownNow();
    watches.forEach(SharedIndexInformer::close);
    simulator.close();
    api.close();
  }

  /** The driver's view of the LogPipelines of one namespace. */
  public static final class ReadyWatch implements ResourceEventHandler<LogPipeline> {
    private final Map<String, Boolean> ready = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean isReady(LogPipeline lp) {
      return lp.getStatus() != null && lp.getStatus().getPhase() == Phase.Ready
          && Objects.equals(lp.getStatus().getObservedGeneration(), lp.getMetadata().getGeneration());
    }

    public long ready() {
      return ready.values().stream().filter(b -> b).count();
    }

    public int existing() {
      return ready.size();
    }

    @Override
    public void onAdd(LogPipeline lp) {
      ready.put(lp.getMetadata().getName(), isReady(lp));
    }

    @Override
    public void onUpdate(LogPipeline old, LogPipeline lp) {
      ready.put(lp.getMetadata().getName(), isReady(lp));
    }

    @Override
    public void onDelete(LogPipeline lp, boolean unknownFinalState) {
      ready.remove(lp.getMetadata().getName());
    }
  }
}
