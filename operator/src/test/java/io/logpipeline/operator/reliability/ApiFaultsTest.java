package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.SimulatedStatefulSets;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * N pipelines created at once while a share of the operator's requests fail: 500s, 409
 * conflicts, 429s with Retry-After, and timeouts whose write did happen. Every pipeline
 * converges to Ready with exactly one of each child, and the client honours Retry-After.
 *
 * <p>{@code -Dreliability.pipelines=500 -Dreliability.faultRate=0.3} runs it bigger; the figures
 * go to standard output as one line starting with {@code RELIABILITY}.
 */
class ApiFaultsTest {

  static final String OPERATOR = "logpipeline-operator/faulted";
  static final int N = Integer.getInteger("reliability.pipelines", 50);
  static final double RATE = Double.parseDouble(System.getProperty("reliability.faultRate", "0.25"));
  static final int NAMESPACES = 5;

  FaultyApiServer server;
  OpenSearchNode search;
  SimulatedControllers controllers;
  SimulatedStatefulSets statefulSets;
  LogPipelineOperator operator;

  @AfterEach
  void stop() {
    Harness.closeAll(operator, statefulSets, controllers, search, server);
  }

  @Test
  void everyPipelineConvergesWithExactlyOneOfEachChild() throws Exception {
    server = FaultyApiServer.start();
    KubernetesClient client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    statefulSets = SimulatedStatefulSets.start(server.client("controllers", Duration.ofSeconds(10)));
    server.injectFaults(OPERATOR::equals, RATE, List.of(FaultyApiServer.Fault.values()), 42,
        Duration.ofMillis(2500));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // The request timeout must exceed Retry-After (1 s): the client waits for it within the request.
    operator = LogPipelineOperator.start(server.client(OPERATOR, Duration.ofSeconds(2)),
        SearchClients.http(), Harness.fastRetries().withMeterRegistry(meters));

    long started = System.nanoTime();
    List<LogPipeline> created = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      LogPipeline lp = TestLogPipelines.minimal("app-" + i, "team-" + (i % NAMESPACES), search.httpUri().toString());
      lp.getSpec().getKafka().setNamespace("kafka");
      created.add(client.resource(lp).create());
    }
    await().atMost(Duration.ofSeconds(60 + N / 2)).pollInterval(Duration.ofMillis(250)).until(() ->
        created.stream().allMatch(lp -> Harness.ready(Harness.pipeline(client, namespace(lp), name(lp)))));
    double seconds = (System.nanoTime() - started) / 1e9;
    long requests = server.requests(OPERATOR);
    long injected = server.totalInjected();
    var byFault = server.injected();
    server.stopFaults();

    // The faults were what was asked for, and the client waited as each 429 told it to.
    assertThat((double) injected / requests).as("share of the operator's requests that failed")
        .isGreaterThanOrEqualTo(0.2);
    assertThat(byFault).as("every kind of fault was injected").hasSize(FaultyApiServer.Fault.values().length)
        .allSatisfy((fault, n) -> assertThat(n).as(fault.name()).isPositive());
    assertThat(server.retryAfterHonoured()).isPositive();
    assertThat(server.retryAfterViolations()).as("requests repeated before Retry-After").isZero();

    // Every status is right.
    for (LogPipeline lp : created) {
      LogPipeline now = Harness.pipeline(client, namespace(lp), name(lp));
      assertThat(now.getStatus().getConditions()).as(name(lp)).hasSize(6)
          .allSatisfy(c -> assertThat(c.getStatus()).as(name(lp) + " " + c.getType()).isEqualTo("True"));
      assertThat(now.getStatus().getShippers()).isEqualTo("3/3");
      assertThat(now.getStatus().getIndexers()).isEqualTo("2/2");
      assertThat(now.getStatus().getBuffer().topic()).isEqualTo("logs." + namespace(lp) + "." + name(lp));
      assertThat(now.getMetadata().getFinalizers()).hasSize(1);
    }
    // Exactly one of each child: each expected one is there, and there is nothing else.
    for (LogPipeline lp : created) {
      assertThat(TestLogPipelines.children(client, namespace(lp), name(lp), "kafka"))
          .allSatisfy((id, o) -> assertThat(o).as(name(lp) + " " + id).isNotNull());
    }
    Map<String, Integer> counts = Harness.managedObjects(client);
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Harness.childrenOf(N));
    try (var es = new HttpSearchClient(SearchConnection.plain(search.httpUri()))) {
      for (LogPipeline lp : created) {
        assertThat(es.getIndexTemplate("logs-" + namespace(lp) + "." + name(lp))).as(name(lp)).isPresent();
      }
    }

    double reconciles = meters.find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    double failed = meters.find("operator.sdk.reconciliations.failed").counters().stream()
        .mapToDouble(c -> c.count()).sum();
    System.out.printf("RELIABILITY api-faults: pipelines=%d faultRate=%.2f operatorRequests=%d injected=%d (%.1f%%)"
            + " byFault=%s retryAfterHonoured=%d retryAfterViolations=%d convergeSeconds=%.1f reconciles=%.0f"
            + " failedReconciles=%.0f duplicates=0 orphans=0%n",
        N, RATE, requests, injected, 100.0 * injected / requests, byFault, server.retryAfterHonoured(),
        server.retryAfterViolations(), seconds, reconciles, failed);
  }

  static String name(LogPipeline lp) {
    return lp.getMetadata().getName();
  }

  static String namespace(LogPipeline lp) {
    return lp.getMetadata().getNamespace();
  }
}
