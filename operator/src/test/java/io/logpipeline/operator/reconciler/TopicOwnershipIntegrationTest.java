package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.kafka.KafkaBroker;
import io.logpipeline.operator.model.Pipeline;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka topic carries one pipeline's logs: a LogPipeline naming another's topic, or a topic
 * kept for a deleted pipeline of another namespace, is refused before anything is written, and
 * its deletion leaves the topic alone. The real operator against the mock API server and the
 * simulated controllers; each test uses namespaces and topics of its own.
 */
class TopicOwnershipIntegrationTest {

  static final String KAFKA_NS = "kafka";

  static FaultyApiServer server;
  static KubernetesClient client;
  static SimulatedControllers controllers;
  static LogPipelineOperator operator;

  @BeforeAll
  static void start() {
    server = FaultyApiServer.start();
    client = server.client();
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 2);
    operator = LogPipelineOperator.start(server.client("operator", Duration.ofSeconds(5)),
        new SearchClients(c -> new InMemoryTemplates()),
        LogPipelineOperator.Options.defaults()
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1))
            .withShutdownTimeout(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {operator, controllers, server}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static LogPipeline create(String ns, String name, String topic, DeletionPolicy policy) {
    return create(ns, name, topic, policy, lp -> { });
  }

  static LogPipeline create(String ns, String name, String topic, DeletionPolicy policy,
      Consumer<LogPipeline> edit) {
    if (client.namespaces().withName(ns).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    LogPipeline lp = TestLogPipelines.minimal(name, ns, "http://127.0.0.1:9200");
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    lp.getSpec().setDeletionPolicy(policy);
    if (topic != null) {
      TopicSpec t = new TopicSpec();
      t.setName(topic);
      lp.getSpec().getKafka().setTopic(t);
    }
    edit.accept(lp);
    return client.resource(lp).create();
  }

  static LogPipeline get(String ns, String name) {
    return client.resources(LogPipeline.class).inNamespace(ns).withName(name).get();
  }

  static String condition(String ns, String name, String type) {
    LogPipeline lp = get(ns, name);
    var c = TestLogPipelines.condition(lp, type);
    return c.getStatus() + "/" + c.getReason();
  }

  static void awaitCondition(String ns, String name, String type, String expected) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(condition(ns, name, type)).as(ns + "/" + name + " " + type).isEqualTo(expected));
  }

  static KafkaTopic topic(String resourceName) {
    return client.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withName(resourceName).get();
  }

  static void delete(String ns, String name) {
    client.resources(LogPipeline.class).inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get(ns, name) == null);
  }

  @Test
  void aPipelineNamingAnothersTopicIsRefusedWritesNothingAndItsDeletionLeavesTheTopic() {
    create("orders-a", "shop", "orders", DeletionPolicy.Delete);
    awaitCondition("orders-a", "shop", "Ready", "True/Ready");

    create("orders-b", "spy", "orders", DeletionPolicy.Delete);
    awaitCondition("orders-b", "spy", "Valid", "False/TopicInUse");
    LogPipeline spy = get("orders-b", "spy");
    assertThat(TestLogPipelines.condition(spy, "Valid").getMessage())
        .startsWith("spec.kafka.topic.name: topic orders on this Kafka belongs to LogPipeline orders-a/shop");
    assertThat(spy.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(TestLogPipelines.children(client, "orders-b", "spy", KAFKA_NS).entrySet())
        .allSatisfy(child -> assertThat(child.getValue()).as(child.getKey()).isNull());
    assertThat(topic("orders").getMetadata().getLabels())
        .containsEntry(Pipeline.LABEL_OWNER_NAMESPACE, "orders-a")
        .containsEntry(Pipeline.LABEL_INSTANCE, "shop");

    // Under deletionPolicy: Delete, yet the topic and its events are the owner's.
    delete("orders-b", "spy");
    assertThat(topic("orders")).isNotNull();
    assertThat(condition("orders-a", "shop", "Ready")).isEqualTo("True/Ready");
  }

  @Test
  void aWaitingPipelineGetsTheTopicOnceItsOwnerIsGone() {
    create("queue-a", "first", "queue", DeletionPolicy.Delete);
    awaitCondition("queue-a", "first", "Ready", "True/Ready");
    create("queue-b", "second", "queue", DeletionPolicy.Delete);
    awaitCondition("queue-b", "second", "Valid", "False/TopicInUse");

    delete("queue-a", "first");
    awaitCondition("queue-b", "second", "Ready", "True/Ready");
    assertThat(topic("queue").getMetadata().getLabels())
        .containsEntry(Pipeline.LABEL_OWNER_NAMESPACE, "queue-b");
  }

  @Test
  void anEditOntoAnothersTopicKeepsWhatRanAndTakesNothingFromTheOwner() {
    create("edit-a", "owner", "payments", DeletionPolicy.Delete);
    create("edit-b", "mover", null, DeletionPolicy.Delete);
    awaitCondition("edit-a", "owner", "Ready", "True/Ready");
    awaitCondition("edit-b", "mover", "Ready", "True/Ready");

    TestLogPipelines.edit(client, "edit-b", "mover", lp -> {
      TopicSpec t = new TopicSpec();
      t.setName("payments");
      lp.getSpec().getKafka().setTopic(t);
    });
    awaitCondition("edit-b", "mover", "Valid", "False/TopicInUse");
    LogPipeline mover = get("edit-b", "mover");
    assertThat(mover.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(mover.getStatus().getBuffer().topic()).isEqualTo("logs.edit-b.mover");
    assertThat(TestLogPipelines.children(client, "edit-b", "mover", KAFKA_NS).entrySet())
        .allSatisfy(child -> assertThat(child.getValue()).as(child.getKey()).isNotNull());
    assertThat(topic("payments").getMetadata().getLabels())
        .containsEntry(Pipeline.LABEL_OWNER_NAMESPACE, "edit-a");
    assertThat(condition("edit-a", "owner", "Ready")).isEqualTo("True/Ready");
  }

  @Test
  void aTopicKeptUnderRetainIsRefusedToAnotherNamespaceAndTakenBackByItsOwner() {
    create("kept-a", "audit", "audit-trail", DeletionPolicy.Retain);
    awaitCondition("kept-a", "audit", "Ready", "True/Ready");
    delete("kept-a", "audit");
    assertThat(topic("audit-trail")).as("kept under Retain").isNotNull();

    create("kept-b", "reader", "audit-trail", DeletionPolicy.Delete);
    awaitCondition("kept-b", "reader", "Valid", "False/TopicInUse");
    assertThat(TestLogPipelines.condition(get("kept-b", "reader"), "Valid").getMessage())
        .contains("made for LogPipeline kept-a/audit", "deletionPolicy: Retain");
    delete("kept-b", "reader");
    assertThat(topic("audit-trail")).isNotNull();

    create("kept-a", "audit", "audit-trail", DeletionPolicy.Retain);
    awaitCondition("kept-a", "audit", "Ready", "True/Ready");
  }

  @Test
  void onAnyKafkaTheRefusedPipelinesDeletionLeavesTheOwnersTopicAndEvents() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    Consumer<LogPipeline> external = lp -> {
      lp.getSpec().getKafka().setCluster(null);
      lp.getSpec().getKafka().setNamespace(null);
      lp.getSpec().getKafka().setBootstrapServers(broker.plaintext());
      lp.getSpec().getKafka().getTopic().setPartitions(1);
      lp.getSpec().getKafka().getTopic().setReplicas(1); // one broker
    };
    create("ext-a", "owner", "ext-orders", DeletionPolicy.Delete, external);
    awaitCondition("ext-a", "owner", "BufferReady", "True/Ready");
    // The same Kafka, its address written another way.
    create("ext-b", "other", "ext-orders", DeletionPolicy.Delete, external.andThen(lp -> lp.getSpec().getKafka()
        .setBootstrapServers(" " + broker.plaintext().toUpperCase(java.util.Locale.ROOT) + " ")));
    awaitCondition("ext-b", "other", "Valid", "False/TopicInUse");

    delete("ext-b", "other");
    assertThat(broker.superAdmin().listTopics().names().get()).contains("ext-orders");
    delete("ext-a", "owner");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(broker.superAdmin().listTopics().names().get()).doesNotContain("ext-orders"));
  }
}
