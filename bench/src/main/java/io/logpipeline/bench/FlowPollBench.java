package io.logpipeline.bench;

import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.CountingSearch;
import io.logpipeline.operator.elastic.OpenSearchNode;
import io.logpipeline.operator.elastic.RawHttp;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.health.CanarySender;
import io.logpipeline.operator.health.FlowMetrics;
import io.logpipeline.operator.health.FlowObserver;
import io.logpipeline.operator.health.FlowTarget;
import io.logpipeline.operator.kafka.AdminClientKafkaAdmin;
import io.logpipeline.operator.kafka.ConsumerLag;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.KafkaAdminException;
import io.logpipeline.operator.kafka.KafkaBroker;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.Pipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flow observer's cost per poll at N pipelines on one Kafka cluster and one search cluster
 * (issue 15): the Kafka requests the broker received (by API, from its own request metrics), the
 * search requests, the polling thread's CPU time, and the reconciles (status writes) a poll asks
 * for. The in-process broker and OpenSearch node of the operator's tests; each pipeline has its
 * topic with events, its consumer group with committed offsets, and an event in its index.
 *
 * <pre>
 * java -cp bench/target/logpipeline-bench.jar io.logpipeline.bench.FlowPollBench [--n 1000] [--polls 5] [--indexed 100]
 * </pre>
 */
public final class FlowPollBench {

  public static void main(String[] args) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
    }
    int n = 1000;
    int polls = 5;
    int indexed = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[i + 1]);
        case "--polls" -> polls = Integer.parseInt(args[i + 1]);
        case "--indexed" -> indexed = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; known: --n, --polls, --indexed");
      }
    }
    System.out.printf("# Flow poll cost, %s: %d pipelines, one Kafka broker, one OpenSearch node, %d cores%n%n",
        LocalDate.now(), n, Runtime.getRuntime().availableProcessors());
    KafkaBroker broker = KafkaBroker.shared();
    try (OpenSearchNode search = OpenSearchNode.startNew(); Admin admin = broker.superAdmin()) {
      RawHttp.call(search.httpUri(), "PUT", "/_cluster/settings",
          "{\"persistent\":{\"cluster.max_shards_per_node\":" + (4 * n + 100) + "}}");
      List<FlowTarget> targets = setUp(n, Math.min(n, indexed), broker, admin, search);
      CountingSearch searches = new CountingSearch();
      AtomicLong lagRounds = new AtomicLong();
      KafkaClients kafka = new KafkaClients(c -> new Counting(new AdminClientKafkaAdmin(c), lagRounds));
      AtomicInteger reconciles = new AtomicInteger();
      FlowObserver observer = new FlowObserver(kafka, searches.clients(), new CanarySender(),
          new FlowMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), Clock.systemUTC(),
          Duration.ofMinutes(1), Duration.ofMinutes(5), () -> true);
      observer.onChange(id -> reconciles.incrementAndGet());
      targets.forEach(observer::watch);
      var threads = ManagementFactory.getThreadMXBean();
      System.out.println("| poll | wall ms | poll-thread CPU ms | Kafka requests (by API) | lag rounds | _msearch | canaries sent | reconciles asked (status writes) |");
      System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
      for (int poll = 1; poll <= polls + 1; poll++) {
        Map<String, Long> before = brokerRequests();
        long rounds = lagRounds.get();
        long msearch = searches.multiSearches.get();
        reconciles.set(0);
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        FlowObserver.PollCost cost = observer.poll();
        long wall = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000;
        Map<String, Long> requests = delta(before, brokerRequests());
        long total = requests.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("| %s | %d | %d | %d: %s | %d | %d | %d | %d |%n", poll == 1 ? "1 (first)" : poll,
            wall, cpuMs, total, requests, lagRounds.get() - rounds, searches.multiSearches.get() - msearch,
            cost.canariesSent(), reconciles.get());
      }
      observer.close();
      kafka.close();
    }
    System.exit(0);
  }

  /**
   * @param indexed how many of the pipelines get an event in their index: creating an index is a
   *     cluster state update (about a second each on a loaded single node), and the others'
   *     searches cost the same pattern resolution, finding nothing
   */
  static List<FlowTarget> setUp(int n, int indexed, KafkaBroker broker, Admin admin, OpenSearchNode search)
      throws Exception {
    long t0 = System.nanoTime();
    List<Pipeline> pipelines = new ArrayList<>();
    List<NewTopic> topics = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LogPipeline lp = TestLogPipelines.minimal(String.format("p%04d", i), "bench", search.httpUri().toString());
      lp.getMetadata().setUid(UUID.randomUUID().toString());
      Pipeline p = Pipeline.resolve(lp);
      pipelines.add(p);
      topics.add(new NewTopic(p.topicName(), 1, (short) 1));
    }
    admin.createTopics(topics).all().get();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.plaintext(), ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new StringSerializer())) {
      List<Future<?>> sent = new ArrayList<>();
      for (Pipeline p : pipelines) {
        for (int e = 0; e < 5; e++) {
          sent.add(producer.send(new ProducerRecord<>(p.topicName(), "{\"message\":\"line " + e + "\"}")));
        }
      }
      for (Future<?> f : sent) {
        f.get();
      }
    }
    List<Future<?>> commits = new ArrayList<>();
    for (Pipeline p : pipelines) {
      commits.add(admin.alterConsumerGroupOffsets(p.consumerGroup(),
          Map.of(new TopicPartition(p.topicName(), 0), new OffsetAndMetadata(3))).all());
    }
    for (Future<?> f : commits) {
      f.get();
    }
    String day = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC).format(Instant.now());
    StringBuilder bulk = new StringBuilder();
    for (Pipeline p : pipelines.subList(0, indexed)) {
      bulk.append("{\"index\":{\"_index\":\"").append(p.index()).append('_').append(day).append("\"}}\n")
          .append("{\"@timestamp\":\"").append(Instant.now()).append("\",\"message\":\"x\"}\n");
    }
    var answer = RawHttp.bulk(search.httpUri(), bulk.toString());
    if (answer.status() != 200 || answer.json().path("errors").asBoolean()) {
      throw new IllegalStateException("bulk failed: " + answer.json().toString().substring(0, 500));
    }
    System.out.printf("Set-up: %d topics (1 partition, 5 events, 3 consumed), %d consumer groups, %d indices"
        + " with one event each, in %d s.%n%n", n, n, indexed, (System.nanoTime() - t0) / 1_000_000_000);
    KafkaConnection kafka = KafkaConnection.plaintext(broker.plaintext());
    SearchConnection es = SearchConnection.plain(search.httpUri());
    return pipelines.stream().map(p -> FlowTarget.of(p, kafka, null, es)).toList();
  }

  /** The broker's request counts by API (kafka.network RequestMetrics), summed over versions. */
  static Map<String, Long> brokerRequests() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Long> counts = new TreeMap<>();
    for (ObjectName name : server.queryNames(
        new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
      String api = name.getKeyProperty("request");
      counts.merge(api, ((Number) server.getAttribute(name, "Count")).longValue(), Long::sum);
    }
    return counts;
  }

  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> d = new TreeMap<>();
    after.forEach((api, count) -> {
      long diff = count - before.getOrDefault(api, 0L);
      // Heartbeats of the broker to its own controller are not the operator's.
      if (diff > 0 && !api.equals("BrokerHeartbeat")) {
        d.put(api, diff);
      }
    });
    return d;
  }

  /** Counts the rounds of lag reads. */
  record Counting(KafkaAdmin delegate, AtomicLong rounds) implements KafkaAdmin {
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
      rounds.incrementAndGet();
      return delegate.consumerLag(queries);
    }
    @Override public void close() {
      delegate.close();
    }
  }
}
