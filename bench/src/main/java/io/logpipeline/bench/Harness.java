package io.logpipeline.bench;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.reconciler.LogPipelineOperator;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The scenarios of the benchmark, each in a fresh mock API server: the operator converging N
 * pipelines (then a quiet period, a resync by annotation, a resync by restart, and its heap),
 * the floor converging the same N, and create/delete cycles.
 */
public final class Harness {

  /** JOSDK's default, which the operator keeps: the floor gets as many threads. */
  public static final int RECONCILE_THREADS = 50;

  private final URI searchUri;
  private final Duration templateRecheck;
  private final Duration timeout;
  private final Duration touchWait;
  /** After the last pipeline is Ready, how long writes must have stopped before counting them. */
  private final Duration settle;

  /**
   * @param templateRecheck the operator's {@code --template-recheck}: a Ready pipeline is
   *     reconciled again this often, so a quiet period of twice as long sees two no-op reconciles
   *     of each pipeline
   * @param timeout how long any wait (all Ready, all gone) may take before the run fails
   * @param touchWait how long to wait for the reconciles an annotation change may trigger
   * @param settle how long the operator must have written nothing before its writes are counted
   */
  public Harness(URI searchUri, Duration templateRecheck, Duration timeout, Duration touchWait,
      Duration settle) {
    this.settle = settle;
    this.searchUri = searchUri;
    this.templateRecheck = templateRecheck;
    this.timeout = timeout;
    this.touchWait = touchWait;
  }

  /** What one phase cost: time, the operator's (or floor's) writes and reads, template requests. */
  public record Phase(Duration time, Map<String, Long> writes, Map<String, Long> requests,
      long templateGets, long templatePuts, long templateDeletes) {
    public long writeCount() {
      return RequestLog.total(writes);
    }
  }

  public record OperatorRun(int n, Phase creation, Phase quiet, Duration quietFor, Phase touch,
      Phase restart, long heapRunning, long heapAfterRestart, long heapClosed, long rssRunning,
      long simulatorWrites, List<String> writesAfterReady) {
    public long operatorHeap() {
      return heapRunning - heapClosed;
    }
  }

  public record FloorRun(int n, Phase creation, long failures) {}

  /** The operator as a process of its own: time to all Ready, its writes, its heap after GC and RSS. */
  public record ChildRun(int n, Duration toReady, Map<String, Long> writes, long heapAfterGc, long rss) {}

  public record Cycle(int index, int n, Duration toReady, Duration toGone, Phase phase,
      Map<String, Integer> leftovers, long heapAfterGc, long rss) {}

  /** With a default ShipperClass in Shared mode (issue 16): one Filebeat per node for all. */
  private boolean sharedShipper;

  public Harness withSharedShipper(boolean shared) {
    this.sharedShipper = shared;
    return this;
  }

  private LogPipelineOperator.Options options() {
    return LogPipelineOperator.Options.defaults().withTemplateRecheck(templateRecheck)
        .withOperatorNamespace(Cluster.OPERATOR_NS);
  }

  /**
   * Pipelines one shared class carries in the bench: one group's inputs must fit one ConfigMap
   * (at most 900 KiB, about 1 KiB per input), so larger runs take several classes.
   */
  static final int PIPELINES_PER_CLASS = 500;

  /**
   * When the run shares Filebeat, its ShipperClasses: the default one ("bench") and as many more
   * ("bench-1", ...) as {@link #PIPELINES_PER_CLASS} asks for; the pipelines are dealt to them in
   * turn ({@link #assignClasses}). None when the run does not share.
   */
  private List<String> shipperClasses(Cluster c, int n) {
    if (!sharedShipper) {
      return List.of();
    }
    int classes = Math.max(1, (n + PIPELINES_PER_CLASS - 1) / PIPELINES_PER_CLASS);
    List<String> names = new java.util.ArrayList<>();
    for (int k = 0; k < classes; k++) {
      String name = k == 0 ? "bench" : "bench-" + k;
      var cls = new io.logpipeline.operator.api.ShipperClass();
      var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name);
      if (k == 0) {
        meta.addToAnnotations(io.logpipeline.operator.api.ShipperClass.DEFAULT_CLASS_ANNOTATION, "true");
      }
      cls.setMetadata(meta.build());
      cls.getSpec().setMaxPipelines(Math.max((n + classes - 1) / classes, 1));
      cls.getSpec().setMaxConfigBytes(io.logpipeline.operator.api.ShipperClassSpec.MAX_CONFIG_BYTES);
      c.driver.resource(cls).create();
      names.add(name);
    }
    return names;
  }

  /** Deals the pipelines to the classes in turn; those of the default class name none. */
  private static List<LogPipeline> assignClasses(List<LogPipeline> pipelines, List<String> classes) {
    for (int i = 0; i < pipelines.size() && classes.size() > 1; i++) {
      int k = i % classes.size();
      if (k > 0) {
        var shipper = new io.logpipeline.operator.api.ShipperSpec();
        shipper.setClassName(classes.get(k));
        pipelines.get(i).getSpec().setShipper(shipper);
      }
    }
    return pipelines;
  }

  /** Filebeat DaemonSets in the cluster: each runs one pod on every node. */
  private static int filebeatDaemonSets(Cluster c) {
    return c.driver.apps().daemonSets().inAnyNamespace()
        .withLabel(io.logpipeline.operator.model.Pipeline.LABEL_NAME, "filebeat").list().getItems().size();
  }

  public OperatorRun operator(int n, Duration quietFor) throws Exception {
    String ns = "op-" + n;
    try (Cluster c = new Cluster()) {
      CountingSearch search = new CountingSearch();
      List<String> classes = shipperClasses(c, n);
      LogPipelineOperator op = LogPipelineOperator.start(c.api.client(MockApi.OPERATOR), search.clients(), options());
      try {
        var watch = c.watch(ns);
        List<LogPipeline> pipelines = assignClasses(Cluster.pipelines(ns, n, searchUri.toString()), classes);
        long simBefore = c.simulatorStatusWrites();

        var before = c.api.requests().snapshot();
        long[] s0 = templates(search);
        long t0 = System.nanoTime();
        c.createAll(pipelines);
        Cluster.await(timeout, n + " pipelines Ready", () -> watch.ready() == n);
        Duration toReady = Duration.ofNanos(System.nanoTime() - t0);
        settle(c, MockApi.OPERATOR);
        Phase creation = phase(toReady, before, c, MockApi.OPERATOR, s0, search);
        long simWrites = c.simulatorStatusWrites() - simBefore;
        System.out.printf("SHIPPERS n=%d shared=%s classes=%d filebeat-daemonsets=%d (Filebeat pods per node)%n",
            n, sharedShipper, classes.size(), filebeatDaemonSets(c));
        // From here on the operator should write nothing: keep the bodies of what it does write.
        c.api.requests().captureWrites(MockApi.OPERATOR);

        // Quiet: nothing changes; the template recheck timer reconciles every pipeline.
        before = c.api.requests().snapshot();
        s0 = templates(search);
        Thread.sleep(quietFor.toMillis());
        Phase quiet = phase(quietFor, before, c, MockApi.OPERATOR, s0, search);

        // Resync by annotation: a metadata-only change of every LogPipeline.
        before = c.api.requests().snapshot();
        s0 = templates(search);
        long gets0 = search.gets.get();
        t0 = System.nanoTime();
        c.touchAll(ns, "1");
        try {
          Cluster.await(touchWait, "reconciles after touch", () -> search.gets.get() - gets0 >= n);
        } catch (TimeoutException e) {
          // Reported: the number of reconciles (template GETs) it did trigger.
        }
        settle(c, MockApi.OPERATOR);
        Phase touch = phase(Duration.ofNanos(System.nanoTime() - t0), before, c, MockApi.OPERATOR, s0, search);
        long heapRunning = Memory.heapAfterGc();
        long rss = Memory.rss();
        op.close();

        // Resync by restart: a new operator process reconciles every pipeline it finds.
        CountingSearch search2 = new CountingSearch();
        before = c.api.requests().snapshot();
        t0 = System.nanoTime();
        op = LogPipelineOperator.start(c.api.client(MockApi.OPERATOR), search2.clients(), options());
        Cluster.await(timeout, "reconciles after restart", () -> search2.gets.get() >= n);
        settle(c, MockApi.OPERATOR);
        Phase restart = phase(Duration.ofNanos(System.nanoTime() - t0), before, c, MockApi.OPERATOR,
            new long[3], search2);
        long heapAfterRestart = Memory.heapAfterGc();
        op.close();
        long heapClosed = Memory.heapAfterGc();
        deleteTemplates(pipelines);
        return new OperatorRun(n, creation, quiet, quietFor, touch, restart, heapRunning, heapAfterRestart,
            heapClosed, rss, simWrites, c.api.requests().drainCaptured());
      } finally {
        op.close();
      }
    }
  }

  public FloorRun floor(int n) throws Exception {
    String ns = "floor-" + n;
    try (Cluster c = new Cluster()) {
      CountingSearch search = new CountingSearch();
      try (Floor floor = Floor.start(c.api.client(MockApi.FLOOR), search.clients(), ns, Cluster.KAFKA_NS,
          RECONCILE_THREADS)) {
        var watch = c.watch(ns);
        List<LogPipeline> pipelines = Cluster.pipelines(ns, n, searchUri.toString());
        var before = c.api.requests().snapshot();
        long t0 = System.nanoTime();
        c.createAll(pipelines);
        Cluster.await(timeout, n + " pipelines Ready (floor)", () -> watch.ready() == n);
        Duration toReady = Duration.ofNanos(System.nanoTime() - t0);
        settle(c, MockApi.FLOOR);
        Phase creation = phase(toReady, before, c, MockApi.FLOOR, new long[3], search);
        deleteTemplates(pipelines);
        return new FloorRun(n, creation, floor.failures());
      }
    }
  }

  /**
   * The operator jar run as a child process (see {@link ChildOperator}) converging {@code n}
   * pipelines; its requests are the ones of no agent of the benchmark.
   */
  public ChildRun child(int n, java.nio.file.Path jar, List<String> jvmOptions) throws Exception {
    String ns = "child-" + n;
    try (Cluster c = new Cluster()) {
      var watch = c.watch(ns);
      try (ChildOperator op = ChildOperator.start(jar, c.api.url(), templateRecheck, jvmOptions)) {
        // Started once it watches LogPipelines.
        Cluster.await(Duration.ofSeconds(60), "child operator watching", () -> c.api.requests().snapshot().keySet()
            .stream().anyMatch(k -> isChild(k.agent()) && k.verb().equals("watch") && k.resource().equals("logpipelines")));
        List<LogPipeline> pipelines = Cluster.pipelines(ns, n, searchUri.toString());
        var before = c.api.requests().snapshot();
        long t0 = System.nanoTime();
        c.createAll(pipelines);
        Cluster.await(timeout, n + " pipelines Ready (child operator)", () -> watch.ready() == n);
        Duration toReady = Duration.ofNanos(System.nanoTime() - t0);
        Thread.sleep(settle.toMillis());
        var diff = RequestLog.since(before, c.api.requests().snapshot());
        Map<String, Long> writes = new java.util.TreeMap<>();
        diff.forEach((k, v) -> {
          if (isChild(k.agent()) && k.isWrite()) {
            writes.merge(k.verb() + " " + k.resource(), v, Long::sum);
          }
        });
        long heap = op.heapAfterGc();
        long rss = op.rss();
        deleteTemplates(pipelines);
        return new ChildRun(n, toReady, writes, heap, rss);
      }
    }
  }

  private static boolean isChild(String agent) {
    return !agent.startsWith("bench-");
  }

  /** {@code sizes.length} cycles: create sizes[i] pipelines at once, all Ready, delete all, all gone. */
  public List<Cycle> cycles(int... sizes) throws Exception {
    String ns = "cycle";
    List<Cycle> cycles = new ArrayList<>();
    try (Cluster c = new Cluster()) {
      CountingSearch search = new CountingSearch();
      try (LogPipelineOperator op = LogPipelineOperator.start(c.api.client(MockApi.OPERATOR), search.clients(),
          options())) {
        var watch = c.watch(ns);
        for (int i = 0; i < sizes.length; i++) {
          int n = sizes[i];
          var before = c.api.requests().snapshot();
          long[] s0 = templates(search);
          long t0 = System.nanoTime();
          c.createAll(Cluster.pipelines(ns, n, searchUri.toString()));
          Cluster.await(timeout, "cycle " + i + ": " + n + " Ready", () -> watch.ready() == n);
          Duration toReady = Duration.ofNanos(System.nanoTime() - t0);
          long t1 = System.nanoTime();
          c.deleteAll(ns);
          Cluster.await(timeout, "cycle " + i + ": all gone", () -> watch.existing() == 0);
          Cluster.await(Duration.ofSeconds(60), "cycle " + i + ": children collected",
              () -> c.leftovers(ns).values().stream().mapToInt(Integer::intValue).sum() == 0);
          Duration toGone = Duration.ofNanos(System.nanoTime() - t1);
          settle(c, MockApi.OPERATOR);
          Phase phase = phase(toReady, before, c, MockApi.OPERATOR, s0, search);
          cycles.add(new Cycle(i + 1, n, toReady, toGone, phase, c.leftovers(ns), Memory.heapAfterGc(),
              Memory.rss()));
        }
      }
    }
    return cycles;
  }

  private static long[] templates(CountingSearch s) {
    return new long[] {s.gets.get(), s.puts.get(), s.deletes.get()};
  }

  private static Phase phase(Duration time, Map<RequestLog.Key, Long> before, Cluster c, String agent,
      long[] s0, CountingSearch search) {
    var diff = RequestLog.since(before, c.api.requests().snapshot());
    return new Phase(time, RequestLog.writes(diff, agent), RequestLog.requests(diff, agent),
        search.gets.get() - s0[0], search.puts.get() - s0[1], search.deletes.get() - s0[2]);
  }

  /**
   * Waits until {@code agent} has sent no write for {@code settle} (reads go on: every reconcile
   * reads the Kafka cluster and the index template); fails when its writes have not stopped
   * within {@code timeout}: a write loop ends the run instead of hanging it.
   */
  private void settle(Cluster c, String agent) throws InterruptedException, TimeoutException {
    LongSupplier count = () -> RequestLog.total(RequestLog.writes(c.api.requests().snapshot(), agent));
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = count.getAsLong();
    while (true) {
      Thread.sleep(settle.toMillis());
      long now = count.getAsLong();
      if (now == last) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the writes of " + agent + " did not stop within " + timeout + " (" + now
            + " so far): a write loop?");
      }
      last = now;
    }
  }

  /** Leaves the search node as it was, so every run PUTs into the same number of templates. */
  private void deleteTemplates(List<LogPipeline> pipelines) throws InterruptedException {
    HttpSearchClient client = new HttpSearchClient(SearchConnection.plain(searchUri));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (LogPipeline lp : pipelines) {
      pool.submit(() -> {
        try {
          Pipeline p = Pipeline.resolve(lp);
          client.deleteIndexTemplate(p.templateName());
          client.deleteIndexTemplate(p.deadLetterTemplateName());
        } catch (Exception e) {
          // A template the run did not make.
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
    client.close();
  }
}
