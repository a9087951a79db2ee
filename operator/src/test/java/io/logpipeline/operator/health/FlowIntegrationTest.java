package io.logpipeline.operator.health;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.kafka.KafkaBroker;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.logpipeline.operator.reconciler.PipelineHealth;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flowing through the real operator (mock API server): a pipeline on the in-process Kafka broker
 * and OpenSearch node, its Logstash played by {@link LogstashStandIn}. The status shows Flowing
 * and status.flow (what kubectl's FLOWING and LAG columns read); a flip is written with its Event.
 */
@EnableKubernetesMockClient(crud = true)
class FlowIntegrationTest {

  static final String NS = "logging";
  static KubernetesClient client;
  static KafkaBroker broker;
  static OpenSearchNode search;
  static SimulatedControllers controllers;
  static LogPipelineOperator operator;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.shared();
    search = OpenSearchNode.startNew();
    controllers = SimulatedControllers.start(client, 2);
    operator = LogPipelineOperator.start(client, SearchClients.http(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(500), Duration.ofSeconds(4))
            .withReferenceRecheck(Duration.ofSeconds(1))
            .withFlow(new LogPipelineOperator.Flow(Duration.ofMillis(500), Duration.ofMinutes(5), true)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (controllers != null) {
      controllers.close();
    }
    if (search != null) {
      search.close();
    }
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  static io.fabric8.kubernetes.api.model.Condition flowing(String name) {
    LogPipeline lp = current(name);
    return lp == null || lp.getStatus() == null ? null : lp.getStatus().getConditions().stream()
        .filter(c -> PipelineHealth.FLOWING.equals(c.getType())).findFirst().orElse(null);
  }

  static void awaitFlowing(String name, String status, String reason) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      var c = flowing(name);
      assertThat(c).isNotNull();
      assertThat(c.getStatus()).as(c.getMessage()).isEqualTo(status);
      assertThat(c.getReason()).as(c.getMessage()).isEqualTo(reason);
    });
  }

  @Test
  void theStatusTellsWhetherLogsFlow() throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("shop", NS, search.httpUri().toString());
    lp.getSpec().getElasticsearch().setFlavor(Flavor.OPENSEARCH);
    lp.getSpec().getKafka().setCluster(null);
    lp.getSpec().getKafka().setBootstrapServers(broker.plaintext());
    lp.getSpec().getKafka().getTopic().setPartitions(2);
    lp.getSpec().getKafka().getTopic().setReplicas(1);
    client.resource(lp).create();
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
      var ready = TestLogPipelines.condition(current("shop"), PipelineHealth.READY);
      assertThat(ready.getStatus()).as(ready.getMessage()).isEqualTo("True");
    });
    Pipeline p = Pipeline.resolve(current("shop"));
    awaitFlowing("shop", "False", FlowVerdict.NO_EVENTS_INDEXED);

    try (var shipper = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.plaintext()), new StringSerializer(), new StringSerializer());
        var logstash = new LogstashStandIn(broker.plaintext(), p.topicName(), p.consumerGroup(),
            search.httpUri(), p.index(), p.deadLetterIndex())) {
      for (int i = 0; i < 10; i++) {
        shipper.send(new ProducerRecord<>(p.topicName(), "{\"@timestamp\":\"" + Instant.now()
            + "\",\"message\":\"line " + i + "\"}")).get();
      }
      logstash.start();
      awaitFlowing("shop", "True", FlowVerdict.FLOWING);
      LogPipeline flowing = current("shop");
      assertThat(flowing.getStatus().getFlow().lag()).isNotNull();
      assertThat(flowing.getStatus().getFlow().newestEventAge()).isNotNull();
      assertThat(flowing.getStatus().getFlow().observedAt()).isNotNull();
      assertThat(flowing.getStatus().getPhase()).isEqualTo(io.logpipeline.operator.api.Phase.Ready);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events("shop"))
          .anyMatch(e -> "Normal".equals(e.getType()) && FlowVerdict.FLOWING.equals(e.getReason())));

      logstash.stop();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
        shipper.send(new ProducerRecord<>(p.topicName(), "{\"@timestamp\":\"" + Instant.now()
            + "\",\"message\":\"more\"}")).get();
        var c = flowing("shop");
        return c != null && FlowVerdict.LAG_GROWING.equals(c.getReason());
      });
      assertThat(current("shop").getStatus().getFlow().lag()).isPositive();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events("shop"))
          .anyMatch(e -> "Warning".equals(e.getType()) && FlowVerdict.LAG_GROWING.equals(e.getReason())));

      logstash.start();
      awaitFlowing("shop", "True", FlowVerdict.FLOWING);
    }
  }

  static java.util.List<Event> events(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }
}
