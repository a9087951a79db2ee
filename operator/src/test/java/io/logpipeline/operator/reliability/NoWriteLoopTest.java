package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast guard against write loops: once pipelines are Ready, reconciles with nothing to change
 * (the template recheck timer, a metadata-only change of every LogPipeline, a restart of the
 * operator) write nothing to Kubernetes and PUT no template, request by request. A status or a
 * template written on every reconcile fails this in seconds.
 */
class NoWriteLoopTest {

  static final String NS = "quiet";
  static final int N = 3;

  FaultyApiServer server;
  OpenSearchNode search;
  SimulatedControllers controllers;
  LogPipelineOperator operator;

  @AfterEach
  void stop() {
    Harness.closeAll(operator, controllers, search, server);
  }

  int writesAtReady;

  /** The first operator's writes since it was Ready. */
  List<String> writesSince(int from) {
    List<String> log = server.writeLog("operator-first");
    return log.subList(from, log.size());
  }

  LogPipelineOperator start(String agent, CountingSearch counting) {
    // The template recheck every second: each pipeline has several timer-driven no-op reconciles.
    // The flow observer polls every second too: values that change at each poll must not be
    // written at each poll (the Kafka here cannot be reached: Flowing stays the same).
    return LogPipelineOperator.start(server.client(agent, Duration.ofSeconds(5)), counting.clients(),
        Harness.fastRetries().withTemplateRecheck(Duration.ofSeconds(1))
            .withFlow(new LogPipelineOperator.Flow(Duration.ofSeconds(1), Duration.ofMinutes(5), true)));
  }

  @Test
  void readyPipelinesCostNoWritesOnResyncsAndRestarts() throws Exception {
    server = FaultyApiServer.start();
    KubernetesClient client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    CountingSearch first = new CountingSearch();
    operator = start("operator-first", first);

    List<String> names = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      LogPipeline lp = TestLogPipelines.minimal("quiet-" + i, NS, search.httpUri().toString());
      lp.getSpec().getKafka().setNamespace("kafka");
      client.resource(lp).create();
      names.add(lp.getMetadata().getName());
    }
    await().atMost(Duration.ofSeconds(60)).until(() ->
        names.stream().allMatch(n -> Harness.ready(Harness.pipeline(client, NS, n))));
    await().atMost(Duration.ofSeconds(60)).until(() -> names.stream().allMatch(n ->
        Harness.pipeline(client, NS, n).getStatus().getFlow() != null));
    Harness.awaitNoWrites(server, "operator-first", Duration.ofSeconds(1), Duration.ofSeconds(30));
    writesAtReady = server.writeLog("operator-first").size();
    long putsAtReady = first.puts.get();

    // The timer: two more no-op reconciles of every pipeline. Each phase is checked as soon as
    // it is over, so a loop fails the test at the first.
    long gets = first.gets.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> first.gets.get() >= gets + 2L * N);
    assertThat(writesSince(writesAtReady)).as("Kubernetes writes on timer resyncs").isEmpty();
    assertThat(first.puts.get() - putsAtReady).as("template PUTs on timer resyncs").isZero();

    // A metadata-only change of every LogPipeline.
    for (String n : names) {
      client.resources(LogPipeline.class).inNamespace(NS).withName(n).edit(lp -> {
        if (lp.getMetadata().getAnnotations() == null) {
          lp.getMetadata().setAnnotations(new HashMap<>());
        }
        lp.getMetadata().getAnnotations().put("example.com/touched", "1");
        return lp;
      });
    }
    long getsAfterTouch = first.gets.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> first.gets.get() >= getsAfterTouch + N);
    assertThat(writesSince(writesAtReady)).as("Kubernetes writes after an annotation change").isEmpty();
    assertThat(first.puts.get() - putsAtReady).as("template PUTs after an annotation change").isZero();
    operator.close();

    // A restart: the new operator reconciles every pipeline it finds.
    CountingSearch second = new CountingSearch();
    operator = start("operator-second", second);
    await().atMost(Duration.ofSeconds(30)).until(() -> second.gets.get() >= 2L * N
        && second.multiSearches.get() >= 2);
    assertThat(server.writeLog("operator-second")).as("Kubernetes writes after a restart").isEmpty();
    assertThat(second.puts.get()).as("template PUTs after a restart").isZero();
  }
}
