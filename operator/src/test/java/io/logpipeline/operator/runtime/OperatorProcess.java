package io.logpipeline.operator.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code logpipeline-operator} in a JVM of its own, on this test's class path, as Kubernetes runs
 * it: its stderr read line by line, SIGTERM to stop it.
 */
final class OperatorProcess implements AutoCloseable {

  static final Pattern PROBES = Pattern.compile("probes on http://127\\.0\\.0\\.1:(\\d+)/healthz");

  final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Process process;
  private final Thread reader;

  private OperatorProcess(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          stderr.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "operator-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the operator's main class.
   *
   * @param jvmOptions system properties and the like, before the main class
   * @param environment changes the child's environment (which starts as this JVM's)
   * @param args the command line
   */
  static OperatorProcess start(List<String> jvmOptions, Consumer<Map<String, String>> environment,
      String... args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath, "io.logpipeline.operator.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("POD_NAMESPACE");
    environment.accept(builder.environment());
    return new OperatorProcess(builder.start());
  }

  /** The system properties that point the operator at {@code masterUrl} and nothing else. */
  static List<String> against(String masterUrl) {
    return List.of(
        "-Dkubernetes.master=" + masterUrl,
        "-Dkubernetes.trust.certificates=true",
        "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false",
        "-Dkubernetes.namespace=default");
  }

  /**
   * The product's plain log configuration: on this class path log4j2-test.xml would win over
   * the jar's log4j2.xml.
   */
  static final String PRODUCT_LOGGING = "-Dlog4j2.configurationFile=log4j2.xml";

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as the kubelet sends it. */
  void terminate() {
    // Not process.destroy(): that also closes our end of the child's stderr, and its last lines
    // would be lost.
    process.toHandle().destroy();
  }

  /** Waits (up to {@code atMost}, a hang guard) for the process to exit and its last lines to be read. */
  int exitStatus(Duration atMost) throws InterruptedException {
    assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)).as("exited; stderr: %s", stderr).isTrue();
    reader.join(5_000);
    return process.exitValue();
  }

  /** Waits for a line that contains {@code text}. */
  String awaitLine(String text, Duration atMost) {
    await().atMost(atMost).until(() -> stderr.stream().anyMatch(l -> l.contains(text)) || !process.isAlive());
    return stderr.stream().filter(l -> l.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("no line with '" + text + "' in " + stderr));
  }

  int healthPort() {
    await().atMost(Duration.ofSeconds(30)).until(() ->
        stderr.stream().anyMatch(l -> PROBES.matcher(l).find()) || !process.isAlive());
    for (String line : stderr) {
      Matcher m = PROBES.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("no probes line in " + stderr);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
