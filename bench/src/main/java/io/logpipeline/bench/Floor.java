package io.logpipeline.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.Render;
import io.logpipeline.operator.reconciler.PipelineHealth;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor: what any controller of LogPipelines must at least do, with a plain fabric8 client
 * and no framework. For each new LogPipeline, on a pool as large as the operator's reconcile
 * pool: add the finalizer (JSON patch), create the 10 objects {@code Render.of(Pipeline.resolve(lp))}
 * gives (with the owner reference, or outside the namespace JOSDK's primary annotations, as the
 * operator writes them), PUT the index template and the dead-letter template, write the status
 * (Progressing); then, once the simulated controllers report the DaemonSet, the StatefulSet and
 * the KafkaTopic ready (seen through watches), write the status once more (Ready). 13 Kubernetes
 * writes and two template PUTs per pipeline; no reads but the watches.
 */
public final class Floor implements AutoCloseable {

  public static final String FINALIZER = "logpipelines.logpipeline.io/finalizer";
  /** Kubernetes writes per pipeline: finalizer, 10 creates, status Progressing, status Ready. */
  public static final int WRITES_PER_PIPELINE = 13;
  /** Template PUTs per pipeline: the index template and the dead-letter template. */
  public static final int TEMPLATES_PER_PIPELINE = 2;

  private final KubernetesClient client;
  private final SearchClients search;
  private final ExecutorService pool;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, String> childToPipeline = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private SharedIndexInformer<LogPipeline> pipelines;
  private SharedIndexInformer<DaemonSet> daemonSets;
  private SharedIndexInformer<StatefulSet> statefulSets;
  private SharedIndexInformer<KafkaTopic> topics;

  private record Pending(String key, Pipeline pipeline, String daemonSet, String statefulSet, String topic,
      AtomicBoolean readyWritten) {}

  private Floor(KubernetesClient client, SearchClients search, int threads) {
    this.client = client;
    this.search = search;
    this.pool = Executors.newFixedThreadPool(threads);
  }

  public static Floor start(KubernetesClient client, SearchClients search, String namespace,
      String kafkaNamespace, int threads) {
    Floor f = new Floor(client, search, threads);
    String managed = Pipeline.LABEL_MANAGED_BY;
    f.daemonSets = client.apps().daemonSets().inNamespace(namespace).withLabel(managed, Pipeline.MANAGED_BY)
        .inform(f.onChild());
    f.statefulSets = client.apps().statefulSets().inNamespace(namespace).withLabel(managed, Pipeline.MANAGED_BY)
        .inform(f.onChild());
    f.topics = client.resources(KafkaTopic.class).inNamespace(kafkaNamespace)
        .withLabel(managed, Pipeline.MANAGED_BY).inform(f.onChild());
    f.pipelines = client.resources(LogPipeline.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(LogPipeline lp) {
        boolean seen = lp.getMetadata().getFinalizers() != null && lp.getMetadata().getFinalizers().contains(FINALIZER);
        if (lp.getMetadata().getDeletionTimestamp() == null && !seen) {
          f.pool.submit(() -> f.provision(lp));
        }
      }

      @Override
      public void onUpdate(LogPipeline old, LogPipeline lp) {}

      @Override
      public void onDelete(LogPipeline lp, boolean unknownFinalState) {}
    });
    f.informers.addAll(List.of(f.daemonSets, f.statefulSets, f.topics, f.pipelines));
    return f;
  }

  /** Requests that failed (there should be none). */
  public long failures() {
    return failures.get();
  }

  private void provision(LogPipeline lp) {
    try {
      Pipeline p = Pipeline.resolve(lp);
      Render r = Render.of(p);
      String ns = lp.getMetadata().getNamespace();
      LogPipeline withFinalizer = client.resource(lp).edit(x -> {
        x.getMetadata().setFinalizers(new ArrayList<>(List.of(FINALIZER)));
        return x;
      });
      String ds = null;
      String statefulSet = null;
      String topic = null;
      for (HasMetadata o : r.objects()) {
        if (ns.equals(o.getMetadata().getNamespace())) {
          o.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
              .withApiVersion(lp.getApiVersion()).withKind(lp.getKind()).withName(lp.getMetadata().getName())
              .withUid(lp.getMetadata().getUid()).build()));
        } else {
          Map<String, String> a = o.getMetadata().getAnnotations() == null
              ? new HashMap<>() : new HashMap<>(o.getMetadata().getAnnotations());
          a.put("io.javaoperatorsdk/primary-name", lp.getMetadata().getName());
          a.put("io.javaoperatorsdk/primary-namespace", ns);
          o.getMetadata().setAnnotations(a);
        }
        client.resource(o).create();
        String key = Cache.metaNamespaceKeyFunc(o);
        if (o instanceof DaemonSet) {
          ds = key;
        } else if (o instanceof StatefulSet) {
          statefulSet = key;
        } else if (o instanceof KafkaTopic) {
          topic = key;
        }
      }
      var searchClient = search.client(SearchConnection.plain(URI.create(p.spec().getElasticsearch().getHosts().get(0))));
      searchClient.putIndexTemplate(p.templateName(), r.indexTemplate());
      searchClient.putIndexTemplate(p.deadLetterTemplateName(), r.deadLetterTemplate());
      LogPipelineStatus progressing = PipelineHealth.provisioned(withFinalizer, p,
          new PipelineHealth.Observed(null, null, null, null, null), new PipelineHealth.StageErrors(Map.of()),
          Instant.now());
      writeStatus(withFinalizer, progressing);
      String key = Cache.metaNamespaceKeyFunc(lp);
      Pending state = new Pending(key, p, ds, statefulSet, topic, new AtomicBoolean());
      pending.put(key, state);
      childToPipeline.put(ds, key);
      childToPipeline.put(statefulSet, key);
      childToPipeline.put(topic, key);
      check(key);
    } catch (Exception | LinkageError e) {
      failures.incrementAndGet();
      System.err.println("floor: " + e);
      e.printStackTrace();
    }
  }

  /** Writes the Ready status once, when the three workloads report ready. */
  private void check(String key) {
    Pending state = pending.get(key);
    if (state == null || state.readyWritten().get()) {
      return;
    }
    LogPipeline lp = pipelines.getStore().getByKey(key);
    if (lp == null) {
      return;
    }
    var observed = new PipelineHealth.Observed(daemonSets.getStore().getByKey(state.daemonSet()),
        topics.getStore().getByKey(state.topic()), statefulSets.getStore().getByKey(state.statefulSet()), null,
        null);
    LogPipelineStatus status = PipelineHealth.provisioned(lp, state.pipeline(), observed,
        new PipelineHealth.StageErrors(Map.of()), Instant.now());
    if (status.getPhase() == Phase.Ready && state.readyWritten().compareAndSet(false, true)) {
      pool.submit(() -> {
        try {
          writeStatus(lp, status);
        } catch (Exception e) {
          failures.incrementAndGet();
          System.err.println("floor: " + e);
        }
      });
    }
  }

  private void writeStatus(LogPipeline seen, LogPipelineStatus status) {
    // The whole status through the status subresource, without resourceVersion (one write, no
    // conflict to retry). Not a JSON patch from the typed object: its empty status would make
    // it "add /status/phase" to a LogPipeline the API server stored without any status.
    LogPipeline base = client.getKubernetesSerialization().clone(seen);
    base.getMetadata().setResourceVersion(null);
    base.setStatus(status);
    client.resource(base).updateStatus();
  }

  private <T extends HasMetadata> ResourceEventHandler<T> onChild() {
    return SimulatedControllers.onChange(o -> {
      String key = childToPipeline.get(Cache.metaNamespaceKeyFunc(o));
      if (key != null) {
        check(key);
      }
    });
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    pool.shutdownNow();
  }
}
