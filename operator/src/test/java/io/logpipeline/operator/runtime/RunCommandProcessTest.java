package io.logpipeline.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

  static KubernetesMockServer server;
  static KubernetesClient client;

  OperatorProcess process;
  List<String> stderr;

  @AfterEach
  void kill() {
    if (process != null) {
      process.close();
    }
  }

  /** The operator's main class in a new JVM, on this test's class path, against the mock server. */
  void run(String... args) throws IOException {
    process = OperatorProcess.start(OperatorProcess.against(client.getMasterUrl().toString()), env -> { }, args);
    stderr = process.stderr;
  }

  int exitStatus() throws InterruptedException {
    return process.exitStatus(Duration.ofSeconds(20));
  }

  int healthPort() {
    int port = process.healthPort();
    assertThat(process.isAlive()).as("operator running; stderr: %s", stderr).isTrue();
    return port;
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
    await().atMost(Duration.ofSeconds(20)).until(() -> get(health, "/readyz").statusCode() == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(health, "/readyz").body().equals("ok (leader)\n"));

    client.resource(TestPipelines.invalid("logging", "broken")).create();
    awaitPhase(client, "logging", "broken", Phase.Failed);
    await().atMost(Duration.ofSeconds(10)).until(() -> stderr.stream().anyMatch(l -> l.contains("invalid spec")));

    process.terminate();
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
