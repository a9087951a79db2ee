package io.logpipeline.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.kafka.AdminClientKafkaAdmin;
import io.logpipeline.operator.kafka.ConsumerLag;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.KafkaAdminException;
import io.logpipeline.operator.kafka.KafkaBroker;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow observer against a real Kafka broker and a real OpenSearch node, with {@link
 * LogstashStandIn} (a test fixture) consuming each topic with the pipeline's group: the Flowing
 * condition as a user would see it, and the cost of a poll. Polls are made by the test, and the
 * observer's clock is the test's, so that nothing waits for minutes; Awaitility's atMost is only
 * a guard against a hang.
 */
class FlowObserverTest {

  static KafkaBroker broker;
  static Admin kafka;
  static OpenSearchNode search;
  static KafkaProducer<String, String> shipper;
  static final AtomicLong lagRounds = new AtomicLong();

  final TestClock clock = new TestClock();
  final CountingSearch searches = new CountingSearch();
  final KafkaClients kafkaClients = new KafkaClients(
      c -> new CountingAdmin(new AdminClientKafkaAdmin(c, Duration.ofSeconds(3))));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ConcurrentLinkedQueue<ResourceID> reconciles = new ConcurrentLinkedQueue<>();
  final List<LogstashStandIn> standIns = new ArrayList<>();
  FlowObserver observer;

  @BeforeAll
  static void servers() {
    broker = KafkaBroker.shared();
    kafka = broker.superAdmin();
    search = OpenSearchNode.startNew();
    shipper = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.plaintext(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void stopServers() {
    shipper.close();
    kafka.close();
    search.close();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (LogstashStandIn s : standIns) {
      s.close();
    }
    observer.close();
    kafkaClients.close();
    searches.clients().close();
  }

  FlowObserver observer(Duration statusInterval) {
    observer = new FlowObserver(kafkaClients, searches.clients(), new CanarySender(), new FlowMetrics(registry),
        clock, Duration.ofMinutes(1), statusInterval, () -> true);
    observer.onChange(reconciles::add);
    return observer;
  }

  /** A pipeline on the broker and the node, its topic created, and its stand-in (not started). */
  record Fixture(FlowTarget target, LogstashStandIn standIn) {}

  Fixture pipeline(String name, String health) throws Exception {
    LogPipeline lp = TestLogPipelines.minimal(name, "flow", search.httpUri().toString());
    lp.getMetadata().setUid(UUID.randomUUID().toString());
    lp.getSpec().getHealth().setMaxEventAge("10m");
    lp.getSpec().getHealth().getCanary().setInterval(health);
    Pipeline p = Pipeline.resolve(lp);
    kafka.createTopics(List.of(new NewTopic(p.topicName(), 2, (short) 1))).all().get();
    FlowTarget target = FlowTarget.of(p, KafkaConnection.plaintext(broker.plaintext()), null,
        SearchConnection.plain(search.httpUri()));
    var standIn = new LogstashStandIn(broker.plaintext(), p.topicName(), p.consumerGroup(), search.httpUri(),
        p.index(), p.deadLetterIndex());
    standIns.add(standIn);
    return new Fixture(target, standIn);
  }

  /** Log lines as Filebeat writes them to the topic. */
  static void ship(FlowTarget target, int lines, boolean reject) throws Exception {
    for (int i = 0; i < lines; i++) {
      shipper.send(new ProducerRecord<>(target.topic(), "{\"@timestamp\":\"" + Instant.now()
          + "\",\"message\":\"line " + i + "\"" + (reject ? ",\"reject\":true" : "") + "}")).get();
    }
  }

  FlowVerdict pollUntil(FlowTarget target, String status, String reason) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      observer.poll();
      return observer.published(target.id());
    }, v -> v != null && v.status().equals(status) && v.reason().equals(reason));
  }

  @Test
  void flowingWhileLogstashRunsLagGrowingWhenItStopsFlowingAgainAfter() throws Exception {
    observer(Duration.ofMinutes(5));
    Fixture f = pipeline("orders", "5m");
    observer.watch(f.target());
    ship(f.target(), 20, false);
    f.standIn().start();

    FlowVerdict flowing = pollUntil(f.target(), FlowVerdict.TRUE, FlowVerdict.FLOWING);
    assertThat(flowing.flow().newestEventAge()).isNotNull();
    // The canary went through the topic and the stand-in to the canary index.
    flowing = await().atMost(Duration.ofSeconds(60)).until(() -> {
      observer.poll();
      return observer.latest(f.target().id());
    }, v -> v.flow().canaryLatency() != null && v.flow().lag() == 0);
    assertThat(flowing.message()).startsWith("lag 0, newest event ").contains("canary ");
    assertThat(registry.get(FlowMetrics.CONSUMER_LAG).tag("namespace", "flow").tag("name", "orders")
        .gauge().value()).isZero();

    f.standIn().stop();
    FlowVerdict stuck = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      ship(f.target(), 3, false);
      observer.poll();
      return observer.published(f.target().id());
    }, v -> FlowVerdict.LAG_GROWING.equals(v.reason()));
    assertThat(stuck.status()).isEqualTo(FlowVerdict.FALSE);
    assertThat(stuck.flow().lag()).isPositive();
    assertThat(registry.get(FlowMetrics.CONSUMER_LAG).tag("name", "orders").gauge().value())
        .isEqualTo(stuck.flow().lag().doubleValue());

    f.standIn().start();
    pollUntil(f.target(), FlowVerdict.TRUE, FlowVerdict.FLOWING);
    FlowVerdict again = await().atMost(Duration.ofSeconds(60)).until(() -> {
      observer.poll();
      return observer.latest(f.target().id());
    }, v -> v.flow().lag() == 0);
    assertThat(again.status()).isEqualTo(FlowVerdict.TRUE);
  }

  @Test
  void canaryLateWhenItIsNotIndexedWithinTheInterval() throws Exception {
    observer(Duration.ofMinutes(5));
    Fixture f = pipeline("payments", "1m");
    observer.watch(f.target());
    ship(f.target(), 5, false);
    f.standIn().indexCanaries(false);
    f.standIn().start();
    pollUntil(f.target(), FlowVerdict.TRUE, FlowVerdict.FLOWING);
    // The canary was sent by that poll; a minute and a bit later it is still not in the index.
    clock.advance(Duration.ofSeconds(61));
    FlowVerdict late = pollUntil(f.target(), FlowVerdict.FALSE, FlowVerdict.CANARY_LATE);
    assertThat(late.message()).contains("spec.health.canary.interval");
  }

  @Test
  void deadLettersWhenTheDeadLetterIndexGrows() throws Exception {
    observer(Duration.ofMinutes(5));
    Fixture f = pipeline("billing", "5m");
    observer.watch(f.target());
    ship(f.target(), 5, false);
    f.standIn().start();
    pollUntil(f.target(), FlowVerdict.TRUE, FlowVerdict.FLOWING);
    ship(f.target(), 2, true);
    pollUntil(f.target(), FlowVerdict.FALSE, FlowVerdict.DEAD_LETTERS);
    FlowVerdict dead = await().atMost(Duration.ofSeconds(60)).until(() -> {
      observer.poll();
      return observer.latest(f.target().id());
    }, v -> v.flow().deadLetters() == 2L);
    assertThat(dead.reason()).isEqualTo(FlowVerdict.DEAD_LETTERS);
    assertThat(dead.message()).contains("the dead-letter index grew to 2 documents");
    assertThat(registry.get(FlowMetrics.DEAD_LETTERS).tag("name", "billing").gauge().value()).isEqualTo(2.0);
  }

  @Test
  void unknownWhenKafkaCannotBeAsked() throws Exception {
    observer(Duration.ofMinutes(5));
    Fixture f = pipeline("audit", "5m");
    FlowTarget t = f.target();
    KafkaConnection nowhere = KafkaConnection.plaintext("127.0.0.1:" + freePort());
    FlowTarget down = new FlowTarget(t.id(), t.uid(), t.settings(), nowhere, nowhere, null, t.topic(), t.group(), t.retentionMs(), t.search(), t.indices(), t.deadLetterIndices());
    observer.watch(down);
    observer.poll();
    FlowVerdict v = observer.published(t.id());
    assertThat(v.status()).isEqualTo(FlowVerdict.FALSE).as("no event indexed is a finding of its own");
    assertThat(v.reason()).isEqualTo(FlowVerdict.NO_EVENTS_INDEXED);
    // With events indexed, only Kafka is in question: Unknown, not a false alarm.
    ship(t, 3, false);
    f.standIn().start();
    v = pollUntil(down, FlowVerdict.UNKNOWN, FlowVerdict.KAFKA_UNREACHABLE);
    assertThat(v.flow().lag()).isNull();
    assertThat(v.flow().newestEventAge()).isNotNull();
  }

  @Test
  void aPollCostsOneRoundPerClusterAndTriggersOnlyFlipsAndStaleValues() throws Exception {
    observer(Duration.ofMinutes(5));
    List<Fixture> fixtures = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      Fixture f = pipeline("cost-" + name, "5m");
      fixtures.add(f);
      observer.watch(f.target());
      ship(f.target(), 2, false);
      f.standIn().start();
    }
    for (Fixture f : fixtures) {
      pollUntil(f.target(), FlowVerdict.TRUE, FlowVerdict.FLOWING);
    }
    long rounds = lagRounds.get();
    long msearches = searches.multiSearches.get();
    reconciles.clear();
    FlowObserver.PollCost cost = observer.poll();
    assertThat(cost.pipelines()).isEqualTo(4);
    assertThat(cost.kafkaClusters()).isEqualTo(1);
    assertThat(cost.searchClusters()).isEqualTo(1);
    assertThat(lagRounds.get() - rounds).as("one round of AdminClient calls for four pipelines").isEqualTo(1);
    assertThat(searches.multiSearches.get() - msearches).as("one _msearch for four pipelines").isEqualTo(1);
    assertThat(reconciles).as("nothing flipped, nothing stale: no reconcile, no status write").isEmpty();

    clock.advance(Duration.ofMinutes(5));
    observer.poll();
    assertThat(reconciles).as("values older than the status interval are written")
        .containsExactlyInAnyOrderElementsOf(fixtures.stream().map(f -> f.target().id()).toList());

    observer.forget(fixtures.get(0).target().id());
    assertThat(registry.find(FlowMetrics.CONSUMER_LAG).tag("name", "cost-a").gauge()).isNull();
    assertThat(registry.find(FlowMetrics.CONSUMER_LAG).tag("name", "cost-b").gauge()).isNotNull();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The wall clock, moved forward by the test. */
  static final class TestClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.now().plus(offset); }
  }

  /** Counts the rounds of lag reads. */
  record CountingAdmin(KafkaAdmin delegate) implements KafkaAdmin {
    @Override public Optional<TopicDescription> describeTopic(String name) throws KafkaAdminException {
      return delegate.describeTopic(name);
    }
    @Override public void createTopic(String name, int partitions, int rf, Map<String, String> configs)
        throws KafkaAdminException {
      delegate.createTopic(name, partitions, rf, configs);
    }
    @Override public void setTopicConfigs(String name, Map<String, String> configs) throws KafkaAdminException {
      delegate.setTopicConfigs(name, configs);
    }
    @Override public void createPartitions(String name, int partitions) throws KafkaAdminException {
      delegate.createPartitions(name, partitions);
    }
    @Override public boolean deleteTopic(String name) throws KafkaAdminException {
      return delegate.deleteTopic(name);
    }
    @Override public Map<ConsumerLag.Query, ConsumerLag> consumerLag(Collection<ConsumerLag.Query> queries)
        throws KafkaAdminException {
      lagRounds.incrementAndGet();
      return delegate.consumerLag(queries);
    }
    @Override public void close() {
      delegate.close();
    }
  }
}
