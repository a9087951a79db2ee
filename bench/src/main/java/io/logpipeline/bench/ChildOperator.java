package io.logpipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as its own process, as it runs in a pod: {@code java -jar logpipeline-operator.jar
 * run} against the mock API server through a kubeconfig. Its heap and RSS are its own, not mixed
 * with the mock server's store and the OpenSearch node.
 */
public final class ChildOperator implements AutoCloseable {

  private final Process process;
  private final Path dir;

  private ChildOperator(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /** Starts {@code jar run} against {@code apiUrl}; health and metrics on free ports of 127.0.0.1. */
  public static ChildOperator start(Path jar, String apiUrl, Duration templateRecheck, List<String> jvmOptions)
      throws IOException {
    Path dir = Files.createTempDirectory("bench-operator");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: {server: "%s"}
        users:
        - name: bench
          user: {token: secret}
        contexts:
        - name: mock
          context: {cluster: mock, user: bench, namespace: default}
        current-context: mock
        """.formatted(apiUrl));
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "run", "--health-port", "0", "--metrics-port", "0",
        "--bind-address", "127.0.0.1", "--template-recheck", templateRecheck.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("operator.log").toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    return new ChildOperator(pb.start(), dir);
  }

  public long pid() {
    return process.pid();
  }

  /** Used heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes. */
  public long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(500);
    String info = jcmd("GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap in: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** VmRSS of the process, in bytes. */
  public long rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  public String log() throws IOException {
    return Files.readString(dir.resolve("operator.log"));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
