package io.logpipeline.operator.cli;

import io.logpipeline.operator.api.LogPipeline;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * In-process throughput of render, without JVM start-up: reads FILE and renders it to nowhere
 * ROUNDS times in one JVM, printing each round's wall time, the main thread's CPU time (less
 * disturbed than wall time when other processes share the machine) and its allocation. The first rounds include class
 * loading and JIT warm-up; the last ones are the warm figure of docs/benchmarks.md. A main, not
 * a test (surefire does not run it):
 *
 * <pre>java -cp operator/target/logpipeline-operator.jar:operator/target/test-classes \
 *     io.logpipeline.operator.cli.RenderThroughput /tmp/lp1000.yaml 20</pre>
 */
public final class RenderThroughput {

  private RenderThroughput() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    var thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      long cpuStart = thread.getThreadCpuTime(id);
      long allocatedStart = thread.getThreadAllocatedBytes(id);
      List<LogPipeline> pipelines;
      try (InputStream in = Files.newInputStream(file)) {
        pipelines = RenderCommand.read(in);
      }
      int exit = RenderCommand.render(pipelines, "default", nowhere, System.err);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (thread.getThreadCpuTime(id) - cpuStart) / 1e9;
      long allocated = thread.getThreadAllocatedBytes(id) - allocatedStart;
      System.out.printf("round %2d: %d pipelines in %.3f s (%.0f/s), thread CPU %.3f s (%.0f/s),"
              + " %d MB allocated (exit %d)%n", round, pipelines.size(), seconds,
          pipelines.size() / seconds, cpu, pipelines.size() / cpu, allocated >> 20, exit);
    }
  }
}
