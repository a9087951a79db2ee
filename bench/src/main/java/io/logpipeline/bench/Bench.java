package io.logpipeline.bench;

import io.logpipeline.operator.elastic.OpenSearchNode;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark: for each N, the operator and the floor converge N LogPipelines against the
 * fabric8 mock API server and a real in-process OpenSearch node; then create/delete cycles.
 * Prints Markdown tables on stdout.
 *
 * <pre>
 * java -jar bench/target/logpipeline-bench.jar [--n 10,100,1000] [--quiet PT30S] [--child JAR or none]
 *     [--template-recheck PT10M] [--cycles 500,200,200,200,200,200] [--timeout PT10M]
 *     [--shipper-class none or shared] [--floor run or none]
 * </pre>
 *
 * <p>{@code --floor none} leaves out the floor (a hand-written client making the same objects),
 * whose 1000-pipeline run the in-process OpenSearch node cannot keep up with on 2 cores.
 */
public final class Bench {

  public static void main(String[] args) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
    }
    Map<String, String> opts = new LinkedHashMap<>(Map.of(
        "--n", "10,100,1000", "--quiet", "PT30S", "--template-recheck", "PT10M",
        "--cycles", "500,200,200,200,200,200", "--timeout", "PT10M",
        "--child", "operator/target/logpipeline-operator.jar", "--child-jvm", "-XX:+UseG1GC",
        "--child-n", "same as --n", "--shipper-class", "none", "--floor", "run"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!opts.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    int[] ns = ints(opts.get("--n"));
    int[] cycles = ints(opts.get("--cycles"));
    Duration quiet = Duration.parse(opts.get("--quiet"));
    PrintStream out = System.out;
    out.printf("# LogPipeline operator benchmark, %s%n%n", LocalDate.now());
    out.printf("%d cores (availableProcessors), max heap %s, %s %s, options %s%n%n",
        Runtime.getRuntime().availableProcessors(), Memory.mib(Runtime.getRuntime().maxMemory()),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), opts);

    try (OpenSearchNode search = OpenSearchNode.startNew()) {
      Harness h = new Harness(search.httpUri(), Duration.parse(opts.get("--template-recheck")),
          Duration.parse(opts.get("--timeout")), Duration.ofSeconds(10), Duration.ofSeconds(2))
          .withSharedShipper(opts.get("--shipper-class").equals("shared"));
      // Warm-up: JIT and class loading of both paths, not reported.
      boolean floorRuns = !opts.get("--floor").equals("none");
      h.operator(10, Duration.ZERO);
      if (floorRuns) {
        h.floor(10);
      }
      List<Harness.OperatorRun> runs = new ArrayList<>();
      List<Harness.FloorRun> floors = new ArrayList<>();
      for (int n : ns) {
        Harness.OperatorRun run = h.operator(n, quiet);
        Harness.FloorRun floor = floorRuns ? h.floor(n) : null;
        runs.add(run);
        floors.add(floor);
        Report.convergence(out, List.of(run), java.util.Collections.singletonList(floor));
        out.flush();
      }
      if (!runs.isEmpty()) {
        out.println("## Summary\n");
        Report.convergence(out, runs, floors);
      }
      String jar = opts.get("--child");
      if (!jar.equals("none")) {
        List<Harness.ChildRun> children = new ArrayList<>();
        int[] childNs = opts.get("--child-n").equals("same as --n") ? ns : ints(opts.get("--child-n"));
        for (int n : childNs) {
          children.add(h.child(n, java.nio.file.Path.of(jar), List.of(opts.get("--child-jvm").split(" "))));
          Report.children(out, children.subList(children.size() - 1, children.size()));
          out.flush();
        }
        out.println("Operator as a child process, summary:\n");
        Report.children(out, children);
      }
      if (cycles.length > 0) {
        Report.cycles(out, h.cycles(cycles));
      }
    }
    System.exit(0);
  }

  private static int[] ints(String csv) {
    if (csv.isBlank() || csv.equals("none")) {
      return new int[0];
    }
    return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  /** Markdown of the results. */
  public static final class Report {
    private Report() {}

    public static void convergence(PrintStream out, List<Harness.OperatorRun> runs, List<Harness.FloorRun> floors) {
      out.println("| N | time to all Ready: operator | floor | ratio | K8s writes/pipeline: operator | floor"
          + " | template PUTs/pipeline op / floor | quiet writes (reconciles) | touch writes (reconciles)"
          + " | restart writes (reconciles) | operator heap after GC | RSS (whole bench JVM) |");
      out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (int i = 0; i < runs.size(); i++) {
        var r = runs.get(i);
        var f = floors.get(i);
        double op = r.creation().time().toMillis() / 1000.0;
        double fl = f == null ? Double.NaN : f.creation().time().toMillis() / 1000.0;
        out.printf("| %d | %.2f s | %.2f s | %.2f | %.2f | %.2f | %.2f / %.2f | %d (%d) in %ds | %d (%d) | %d (%d) | %s (%.0f KiB/pipeline) | %s |%n",
            r.n(), op, fl, op / fl,
            r.creation().writeCount() / (double) r.n(), f == null ? Double.NaN : f.creation().writeCount() / (double) f.n(),
            r.creation().templatePuts() / (double) r.n(), f == null ? Double.NaN : f.creation().templatePuts() / (double) f.n(),
            r.quiet().writeCount(), r.quiet().templateGets(), r.quietFor().toSeconds(),
            r.touch().writeCount(), r.touch().templateGets(),
            r.restart().writeCount(), r.restart().templateGets(),
            Memory.mib(r.operatorHeap()), r.operatorHeap() / 1024.0 / r.n(), Memory.mib(r.rssRunning()));
      }
      out.println();
      for (int i = 0; i < runs.size(); i++) {
        var r = runs.get(i);
        var f = floors.get(i);
        out.printf("N=%d writes per pipeline at creation, by verb and resource:%n%n", r.n());
        out.println("| verb resource | operator | floor |");
        out.println("| --- | --- | --- |");
        var keys = new java.util.TreeSet<String>();
        keys.addAll(r.creation().writes().keySet());
        Map<String, Long> floorWrites = f == null ? Map.of() : f.creation().writes();
        keys.addAll(floorWrites.keySet());
        for (String k : keys) {
          out.printf("| %s | %.2f | %.2f |%n", k, r.creation().writes().getOrDefault(k, 0L) / (double) r.n(),
              f == null ? Double.NaN : floorWrites.getOrDefault(k, 0L) / (double) f.n());
        }
        out.printf("%nN=%d all operator requests: creation %s%nquiet %s%ntouch %s%nrestart %s%n"
                + "floor requests: %s (failures %d)%nsimulator status writes during creation: %d; "
                + "heap after GC with the operator running %s, after restart %s, operator closed %s%n%n",
            r.n(), r.creation().requests(), r.quiet().requests(), r.touch().requests(), r.restart().requests(),
            f == null ? "not run" : f.creation().requests(), f == null ? 0 : f.failures(), r.simulatorWrites(), Memory.mib(r.heapRunning()),
            Memory.mib(r.heapAfterRestart()), Memory.mib(r.heapClosed()));
        if (!r.writesAfterReady().isEmpty()) {
          out.printf("N=%d: %d operator writes after all Ready (quiet, touch, restart); the first ones:%n%n",
              r.n(), r.writesAfterReady().size());
          r.writesAfterReady().stream().limit(10).forEach(w -> out.println("    " + (w.length() > 1500
              ? w.substring(0, 1500) + "..." : w)));
          out.println();
        }
      }
    }

    public static void children(PrintStream out, List<Harness.ChildRun> runs) {
      out.println("| N | time to all Ready (operator process) | K8s writes/pipeline | heap after GC (jcmd) | RSS |");
      out.println("| --- | --- | --- | --- | --- |");
      for (var r : runs) {
        out.printf("| %d | %.2f s | %.2f | %s | %s |%n", r.n(), r.toReady().toMillis() / 1000.0,
            RequestLog.total(r.writes()) / (double) r.n(), Memory.mib(r.heapAfterGc()), Memory.mib(r.rss()));
      }
      out.println();
    }

    public static void cycles(PrintStream out, List<Harness.Cycle> cycles) {
      out.println("| cycle | N | create to all Ready | delete to all gone | operator writes | template PUT/DELETE"
          + " | leftovers | heap after GC (whole JVM) | RSS |");
      out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (var c : cycles) {
        out.printf("| %d | %d | %.2f s | %.2f s | %s | %d / %d | %d | %s | %s |%n", c.index(), c.n(),
            c.toReady().toMillis() / 1000.0, c.toGone().toMillis() / 1000.0,
            c.phase().writes().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")),
            c.phase().templatePuts(), c.phase().templateDeletes(),
            c.leftovers().values().stream().mapToInt(Integer::intValue).sum(),
            Memory.mib(c.heapAfterGc()), Memory.mib(c.rss()));
      }
      out.println();
    }
  }
}
