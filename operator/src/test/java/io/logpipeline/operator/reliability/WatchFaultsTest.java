package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's watches break: closed mid-stream, refused for a while, and answered 410 Gone
 * when they resume from a version the server no longer has. Its informers list again, and what
 * changed while it was not watching (a spec change, drift, a deletion, a new pipeline) is acted
 * on, with one of each child and nothing written twice.
 */
class WatchFaultsTest {

  static final String NS = "logging";
  static final String OPERATOR = "operator-watches";

  FaultyApiServer server;
  OpenSearchNode search;
  SimulatedControllers controllers;
  LogPipelineOperator operator;
  ScheduledExecutorService dropper;

  @AfterEach
  void stop() {
    if (dropper != null) {
      dropper.shutdownNow();
    }
    Harness.closeAll(operator, controllers, search, server);
  }

  LogPipeline create(KubernetesClient client, String name) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace("kafka");
    return client.resource(lp).create();
  }

  @Test
  void whatChangedWhileTheWatchesWereDownIsSeenAfterTheRelist() throws Exception {
    server = FaultyApiServer.start();
    KubernetesClient client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    // The template recheck (10 min) never fires here: only watch events can trigger a reconcile.
    operator = LogPipelineOperator.start(server.client(OPERATOR, Duration.ofSeconds(5)), SearchClients.http(),
        Harness.fastRetries());

    create(client, "before");
    await().atMost(Duration.ofSeconds(30)).until(() -> Harness.ready(Harness.pipeline(client, NS, "before")));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.openWatches(OPERATOR) > 0);
    long goneBefore = server.watchesGone();

    // Every watch of the operator breaks, and stays down while the cluster changes.
    server.refuseWatches(OPERATOR, true);
    assertThat(server.dropWatches(OPERATOR)).as("watches dropped").isPositive();
    client.resources(LogPipeline.class).inNamespace(NS).withName("before").edit(lp -> {
      lp.getSpec().getIndexer().setReplicas(3);
      return lp;
    });
    client.configMaps().inNamespace(NS).withName("before-logstash")
        .edit(cm -> { cm.getData().put("pipeline.conf", "input {} output {}"); return cm; });
    client.apps().daemonSets().inNamespace(NS).withName("before-filebeat").delete();
    create(client, "during");
    Thread.sleep(1_500);
    server.refuseWatches(OPERATOR, false);

    await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var children = TestLogPipelines.children(client, NS, "before", "kafka");
      assertThat(children.get("filebeat")).as("DaemonSet deleted while not watching").isNotNull();
      assertThat(((ConfigMap) children.get("logstash-config")).getData().get("pipeline.conf"))
          .as("drift while not watching").doesNotContain("input {} output {}");
      assertThat(((StatefulSet) children.get("logstash")).getSpec().getReplicas()).as("spec change").isEqualTo(3);
      assertThat(Harness.ready(Harness.pipeline(client, NS, "before"))).isTrue();
      assertThat(Harness.ready(Harness.pipeline(client, NS, "during"))).as("created while not watching").isTrue();
    });
    assertThat(server.watchesGone() - goneBefore).as("watches resumed from a version since changed: 410 Gone")
        .isPositive();
    assertThat(Harness.managedObjects(client)).containsExactlyInAnyOrderEntriesOf(Harness.childrenOf(2));
    System.out.printf("RELIABILITY watches: 410 Gone answered=%d, watches open again=%d%n",
        server.watchesGone() - goneBefore, server.openWatches(OPERATOR));
  }

  @Test
  void pipelinesConvergeWhileWatchesKeepBreaking() throws Exception {
    server = FaultyApiServer.start();
    KubernetesClient client = server.client();
    TestLogPipelines.installStrimziKafka(client, "kafka");
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    operator = LogPipelineOperator.start(server.client(OPERATOR, Duration.ofSeconds(5)), SearchClients.http(),
        Harness.fastRetries());

    // Every 700 ms, every open watch of the operator is closed mid-stream.
    dropper = Executors.newSingleThreadScheduledExecutor();
    dropper.scheduleWithFixedDelay(() -> server.dropWatches(OPERATOR), 700, 700, TimeUnit.MILLISECONDS);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      names.add("churn-" + i);
      create(client, "churn-" + i);
      Thread.sleep(150);
    }
    await().atMost(Duration.ofSeconds(90)).until(() ->
        names.stream().allMatch(n -> Harness.ready(Harness.pipeline(client, NS, n))));
    dropper.shutdownNow();
    assertThat(Harness.managedObjects(client)).containsExactlyInAnyOrderEntriesOf(Harness.childrenOf(names.size()));

    client.resources(LogPipeline.class).inNamespace(NS).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client.resources(LogPipeline.class).inNamespace(NS).list().getItems()).isEmpty();
      assertThat(Harness.managedObjects(client)).isEmpty();
    });
  }
}
