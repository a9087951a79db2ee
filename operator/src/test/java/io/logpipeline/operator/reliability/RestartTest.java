package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.SimulatedStatefulSets;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator dies between two writes of a reconcile, at every point of it in turn, and a new
 * operator process takes over: each pipeline converges, with one of each child, the right
 * status and its finalizer, and is still deleted cleanly.
 */
class RestartTest {

  static final String NS = "logging";

  FaultyApiServer server;
  OpenSearchNode search;
  SimulatedControllers controllers;
  SimulatedStatefulSets statefulSets;
  LogPipelineOperator operator;
  KubernetesClient client;

  @AfterEach
  void stop() {
    Harness.closeAll(operator, statefulSets, controllers, search, server);
  }

  @Test
  void aStopBetweenAnyTwoWritesIsPickedUpByTheNextOperator() throws Exception {
    server = FaultyApiServer.start();
    client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    statefulSets = SimulatedStatefulSets.start(server.client("controllers", Duration.ofSeconds(10)));

    // How many writes an uninterrupted operator makes to take a new pipeline to Ready.
    operator = start("operator-first");
    create("baseline");
    awaitReady("baseline");
    int writes = (int) server.writes("operator-first");
    operator.close();
    assertThat(writes).as("finalizer, nine children, status").isGreaterThanOrEqualTo(11);

    List<String> names = new ArrayList<>(List.of("baseline"));
    int crashes = 0;
    for (int k = 0; k < writes; k++) {
      String name = "crash-after-" + k;
      String agent = "operator-" + name;
      server.crashAfterWrites(agent, k);
      // Killed, not stopped: no grace period for the reconcile in flight.
      operator = LogPipelineOperator.start(server.client(agent, Duration.ofSeconds(5)), SearchClients.http(),
          Harness.fastRetries().withShutdownTimeout(Duration.ZERO));
      create(name);
      // How many status writes a run makes depends on how fast the children turn ready: the
      // last crash points may not be reached (the pipeline is Ready with fewer writes).
      await().atMost(Duration.ofSeconds(30)).until(() -> server.crashed()
          || Harness.ready(Harness.pipeline(client, NS, name)));
      if (server.crashed()) {
        crashes++;
      }
      // The process is gone: nothing it does from here reaches the server.
      operator.close();

      operator = start("operator-after-" + k);
      awaitReady(name);
      names.add(name);
      for (String n : names) {
        LogPipeline lp = Harness.pipeline(client, NS, n);
        assertThat(lp.getMetadata().getFinalizers()).as(n + " finalizers").hasSize(1);
        assertThat(lp.getStatus().getConditions()).as(n + " conditions").hasSize(6)
            .allSatisfy(c -> assertThat(c.getStatus()).as(n + " " + c.getType()).isEqualTo("True"));
        assertThat(TestLogPipelines.children(client, NS, n, "kafka"))
            .allSatisfy((id, o) -> assertThat(o).as(n + " " + id).isNotNull());
      }
      assertThat(Harness.managedObjects(client)).as("after a crash after write " + k)
          .containsExactlyInAnyOrderEntriesOf(Harness.childrenOf(names.size()));
      operator.close();
    }

    // Every finalizer still works: all of them are deleted, and nothing is left behind.
    operator = start("operator-last");
    client.resources(LogPipeline.class).inNamespace(NS).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client.resources(LogPipeline.class).inNamespace(NS).list().getItems()).isEmpty();
      assertThat(Harness.managedObjects(client)).isEqualTo(Map.of());
    });
    // Every run makes at least 11 writes (finalizer, nine children, one status): each of the
    // first 11 crash points is always reached.
    assertThat(crashes).as("crash points reached").isGreaterThanOrEqualTo(11);
    System.out.printf("RELIABILITY restart: writes per new pipeline=%d, crash points reached=%d,"
        + " pipelines converged=%d, duplicates=0, orphans=0%n", writes, crashes, names.size());
  }

  LogPipelineOperator start(String agent) {
    return LogPipelineOperator.start(server.client(agent, Duration.ofSeconds(5)), SearchClients.http(),
        Harness.fastRetries());
  }

  void create(String name) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace("kafka");
    lp.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    client.resource(lp).create();
  }

  void awaitReady(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> Harness.ready(Harness.pipeline(client, NS, name)));
  }
}
