package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.logpipeline.operator.runtime.TestPipelines.awaitPhase;
import static io.logpipeline.operator.runtime.TestPipelines.get;
import static io.logpipeline.operator.runtime.TestPipelines.sample;
import static io.logpipeline.operator.runtime.TestPipelines.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The operator with its probes and metrics on 127.0.0.1, against the fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true)
class OperatorRuntimeTest {

  static final String NS = "logging";

  static KubernetesMockServer server;
  static KubernetesClient client;
  static OperatorRuntime runtime;

  @BeforeAll
  static void start() throws Exception {
    ApiSemantics.apply(server, client);
    runtime = OperatorRuntime.start(client, SearchClients.http(), options(),
        new OperatorRuntime.Endpoints("127.0.0.1", 0, 0));
  }

  static LogPipelineOperator.Options options() {
    return LogPipelineOperator.Options.defaults()
        .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
        .withShutdownTimeout(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void probesAnswerOnTheHealthPortOnceStarted() throws Exception {
    HttpResponse<String> live = get(runtime.healthPort(), "/healthz");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("ok\n");
    HttpResponse<String> ready = get(runtime.healthPort(), "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    // Leader election is off: this instance reconciles.
    assertThat(ready.body()).isEqualTo("ok (leader)\n");
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");

    assertThat(get(runtime.healthPort(), "/metrics").statusCode()).as("metrics on their own port").isEqualTo(404);
    assertThat(get(runtime.healthPort(), "/").statusCode()).isEqualTo(404);
    HttpResponse<String> post = TestPipelines.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + runtime.healthPort() + "/readyz")).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = TestPipelines.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + runtime.healthPort() + "/healthz")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
  }

  @Test
  void notReadyUntilTheOperatorHasStartedButAliveMeanwhile() {
    Health health = new Health();
    assertThat(health.liveness().status()).isEqualTo(200);
    assertThat(health.readiness().status()).isEqualTo(503);
    assertThat(health.readiness().body()).startsWith("starting");
    health.stopping();
    assertThat(health.liveness().status()).isEqualTo(503);
    assertThat(health.readiness().status()).isEqualTo(503);
  }

  @Test
  void metricsHaveReconciliationsPipelinesByPhaseAndTheJvm() throws Exception {
    client.resource(TestPipelines.paused(NS, "resting")).create();
    client.resource(TestPipelines.invalid(NS, "broken")).create();
    awaitPhase(client, NS, "resting", Phase.Paused);
    awaitPhase(client, NS, "broken", Phase.Failed);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> response = get(runtime.metricsPort(), "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue(OperatorMetrics.CONTENT_TYPE);
      String metrics = response.body();
      // JOSDK's, through MicrometerMetrics
      assertThat(sum(metrics, "operator_sdk_reconciliations_started_total")).isGreaterThanOrEqualTo(2);
      assertThat(sum(metrics, "operator_sdk_reconciliations_success_total")).isGreaterThanOrEqualTo(2);
      assertThat(metrics).contains("operator_sdk_controllers_execution_reconcile_seconds_count{controller=\"logpipeline\"")
          .doesNotContain("reconciliations_retries_number");
      // ours, from the informer cache
      assertThat(sample(metrics, "logpipeline_pipelines{phase=\"Paused\"}")).isEqualTo(1.0);
      assertThat(sample(metrics, "logpipeline_pipelines{phase=\"Failed\"}")).isEqualTo(1.0);
      assertThat(sample(metrics, "logpipeline_pipelines{phase=\"Ready\"}")).isEqualTo(0.0);
      assertThat(sample(metrics, "logpipeline_operator_leader")).isEqualTo(1.0);
      // the JVM's
      assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "process_cpu_usage", "jvm_threads_live_threads");
    });
    assertThat(get(runtime.metricsPort(), "/healthz").statusCode()).as("probes on their own port").isEqualTo(404);
  }

  @Test
  void oneServerWhenBothPortsAreTheSameAndCloseStopsIt() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    OperatorRuntime second = OperatorRuntime.start(client, SearchClients.http(),
        options().withNamespaces(java.util.Set.of("elsewhere")),
        new OperatorRuntime.Endpoints("127.0.0.1", port, port));
    try {
      assertThat(second.healthPort()).isEqualTo(port).isEqualTo(second.metricsPort());
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(port, "/metrics").body()).contains("logpipeline_pipelines{phase=\"Ready\"} 0");
    } finally {
      second.close();
    }
    assertThat(second.health().liveness().status()).isEqualTo(503);
    assertThat(second.operator().operator().getRuntimeInfo().isStarted()).isFalse();
    assertThatThrownBy(() -> get(port, "/healthz")).isInstanceOf(ConnectException.class);
    second.close(); // idempotent
  }
}
