package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.SimulatedStatefulSets;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.logpipeline.operator.reconciler.PipelineHealth;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster without Strimzi: the operator starts, provisions every other stage, says in
 * BufferReady what is missing and how to install it, and creates the topic by itself once
 * Strimzi is there.
 */
class StrimziAbsentTest {

  static final String NS = "logging";

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
  void everyOtherStageIsProvisionedAndBufferReadySaysWhatToInstall() throws Exception {
    server = FaultyApiServer.start();
    server.uninstallApiGroup("kafka.strimzi.io");
    KubernetesClient client = server.client();
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(
        server.client("controllers", Duration.ofSeconds(10)), 3, Duration.ofSeconds(1));
    statefulSets = SimulatedStatefulSets.start(server.client("controllers", Duration.ofSeconds(10)));
    operator = LogPipelineOperator.start(server.client("operator", Duration.ofSeconds(5)),
        SearchClients.http(), Harness.fastRetries());

    LogPipeline lp = TestLogPipelines.minimal("audit", NS, search.httpUri().toString());
    lp.getSpec().getKafka().setNamespace("kafka");
    client.resource(lp).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline seen = Harness.pipeline(client, NS, "audit");
      assertThat(seen.getStatus()).isNotNull();
      var buffer = TestLogPipelines.condition(seen, PipelineHealth.BUFFER_READY);
      assertThat(buffer.getStatus()).isEqualTo("False");
      assertThat(buffer.getReason()).isEqualTo("StrimziMissing");
      assertThat(buffer.getMessage()).contains("Strimzi", "not installed", "https://strimzi.io/quickstarts/");
      for (String stage : new String[] {PipelineHealth.SHIPPER_READY, PipelineHealth.INDEXER_READY,
          PipelineHealth.INDEX_TEMPLATE_READY}) {
        assertThat(TestLogPipelines.condition(seen, stage).getStatus()).as(stage).isEqualTo("True");
      }
      assertThat(TestLogPipelines.condition(seen, PipelineHealth.READY).getStatus()).isEqualTo("False");
      assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    });
    var children = TestLogPipelines.children(client, NS, "audit", "kafka");
    assertThat(children.remove("kafka-topic")).isNull();
    assertThat(children).allSatisfy((id, o) -> assertThat(o).as(id).isNotNull());
    try (var es = new HttpSearchClient(SearchConnection.plain(search.httpUri()))) {
      assertThat(es.getIndexTemplate("logs-logging.audit")).isPresent();
    }

    // Strimzi arrives: no user action, the topic is created and the pipeline becomes Ready.
    server.installApiGroup("kafka.strimzi.io");
    TestLogPipelines.installStrimziKafka(client, "kafka");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client.resources(KafkaTopic.class).inNamespace("kafka").withName("logs.logging.audit").get())
          .isNotNull();
      assertThat(Harness.pipeline(client, NS, "audit").getStatus().getPhase()).isEqualTo(Phase.Ready);
    });
  }
}
