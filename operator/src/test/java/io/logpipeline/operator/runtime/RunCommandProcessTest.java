package io.logpipeline.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.logpipeline.operator.runtime.TestPipelines.awaitPhase;
import static io.logpipeline.operator.runtime.TestPipelines.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code logpipeline-operator run} as Kubernetes runs it: its own JVM, JSON logs on stderr,
 * leader election, probes; then SIGTERM, and it must stop gracefully, hand the Lease over and
 * exit 0.
 */
@EnableKubernetesMockClient(crud = true)
class RunCommandProcessTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern PROBES = Pattern.compile("probes on http://127\\.0\\.0\\.1:(\\d+)/healthz");

  static KubernetesMockServer server;
  static KubernetesClient client;

  Process process;
  Thread reader;
  final List<String> stderr = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void installCrd() {
    ApiSemantics.apply(server, client);
  }

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  /** The operator's main class in a new JVM, on this test's class path, against the mock server. */
  void run(String... args) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-Dkubernetes.master=" + client.getMasterUrl(),
        "-Dkubernetes.trust.certificates=true",
        "-Dkubernetes.auth.tryKubeConfig=false",
        "-Dkubernetes.auth.tryServiceAccount=false",
        "-Dkubernetes.namespace=default",
        "-cp", classPath,
        "io.logpipeline.operator.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("POD_NAMESPACE");
    process = builder.start();
    reader = new Thread(() -> {
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

  /** Waits for the process to exit and for its last lines to be read. */
  int exitStatus() throws InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited; stderr: %s", stderr).isTrue();
    reader.join(5_000);
    return process.exitValue();
  }

  int healthPort() {
    await().atMost(Duration.ofSeconds(60)).until(() ->
        stderr.stream().anyMatch(l -> PROBES.matcher(l).find()) || !process.isAlive());
    assertThat(process.isAlive()).as("operator running; stderr: %s", stderr).isTrue();
    for (String line : stderr) {
      Matcher m = PROBES.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("no probes line in " + stderr);
  }

  @Test
  void jsonLogsNameTheReconciledPipelineAndSigtermExitsZeroAndHandsTheLeaseOver() throws Exception {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("*").endResourceRule().endStatus().build())
        .always();
    run("run", "--log-format", "json", "--bind-address", "127.0.0.1", "--health-port", "0",
        "--metrics-port", "0", "--leader-election", "--leader-election-namespace", "operators",
        "--shutdown-timeout", "PT5S", "--namespace", "logging");
    int health = healthPort();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(health, "/readyz").statusCode() == 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> get(health, "/readyz").body().equals("ok (leader)\n"));

    client.resource(TestPipelines.invalid("logging", "broken")).create();
    awaitPhase(client, "logging", "broken", Phase.Failed);
    await().atMost(Duration.ofSeconds(30)).until(() -> stderr.stream().anyMatch(l -> l.contains("invalid spec")));

    // SIGTERM, as the kubelet sends it. Not process.destroy(): that also closes our end of the
    // child's stderr, and its last lines would be lost.
    process.toHandle().destroy();
    assertThat(exitStatus()).as("exit status; stderr: %s", stderr).isZero();

    // Every line is one JSON object: nothing else (log4j status lines, stack traces) on stderr.
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stderr) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.path("@timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(node.path("level").asText()).as(line).isNotEmpty();
      assertThat(node.path("logger").asText()).as(line).isNotEmpty();
      assertThat(node.path("thread").asText()).as(line).isNotEmpty();
      lines.add(node);
    }
    JsonNode reconcile = lines.stream()
        .filter(n -> n.path("message").asText().contains("invalid spec")).findFirst().orElseThrow();
    assertThat(reconcile.path("logger").asText()).isEqualTo("io.logpipeline.operator.reconciler.LogPipelineReconciler");
    assertThat(reconcile.path("mdc").path("resource.namespace").asText()).isEqualTo("logging");
    assertThat(reconcile.path("mdc").path("resource.name").asText()).isEqualTo("broken");
    assertThat(reconcile.path("mdc").path("resource.kind").asText()).isEqualTo("LogPipeline");
    assertThat(lines).anySatisfy(n -> assertThat(n.path("message").asText()).isEqualTo("stopped"));
    assertThat(lines).noneSatisfy(n -> assertThat(n.path("level").asText()).isEqualTo("ERROR"));

    Lease lease = client.leases().inNamespace("operators")
        .withName(LogPipelineOperator.LeaderElection.DEFAULT_LEASE_NAME).get();
    assertThat(lease.getSpec().getHolderIdentity()).as("released").isNull();
  }

  @Test
  void aBadLogFormatIsAUsageError() throws Exception {
    run("run", "--log-format", "xml");
    assertThat(exitStatus()).isEqualTo(2);
    assertThat(String.join("\n", stderr)).contains("--log-format", "unknown log format 'xml': use plain or json");
  }
}
