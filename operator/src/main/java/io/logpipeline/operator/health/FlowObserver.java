package io.logpipeline.operator.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.kafka.ConsumerLag;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.KafkaAdminException;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.kafka.KafkaConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Observes every pipeline's data path in one poll, batched: one round of AdminClient calls per
 * Kafka cluster ({@link KafkaAdmin#consumerLag}) and one {@code _msearch} per search cluster,
 * whatever the number of pipelines. Each poll evaluates the Flowing condition of every pipeline
 * ({@link FlowEvaluation}), sets the gauges, and asks for a reconcile ({@code onChange}) only for
 * a pipeline whose condition flipped, or whose published values are older than the status write
 * interval: the status of a thousand steady pipelines is not written at every poll.
 */
public final class FlowObserver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FlowObserver.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The canaries' index, shared by the pipelines of a search cluster: one document each. */
  public static final String CANARY_INDEX = io.logpipeline.operator.model.CanaryModel.INDEX;
  /** The canary document's field with the time the operator sent it (epoch ms). */
  public static final String CANARY_SENT = io.logpipeline.operator.model.CanaryModel.SENT;

  private final KafkaClients kafkaClients;
  private final SearchClients searchClients;
  private final CanarySender canaries;
  private final FlowMetrics metrics;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration writeInterval;
  private final BooleanSupplier active;
  private final Map<ResourceID, Tracked> tracked = new ConcurrentHashMap<>();
  private volatile Consumer<ResourceID> onChange = id -> { };
  private ScheduledExecutorService scheduler;
  private final Object pollLock = new Object();

  /** What the observer keeps of one pipeline between polls. */
  private static final class Tracked {
    volatile FlowTarget target;
    FlowMemory memory = FlowMemory.empty();
    volatile FlowVerdict published;
    volatile FlowVerdict latest;

    Tracked(FlowTarget target) {
      this.target = target;
    }
  }

  /** Totals of one poll, for logs and the benchmark. */
  public record PollCost(int pipelines, int kafkaClusters, int searchClusters, int triggered, int canariesSent) {}

  /**
   * @param pollInterval how often every pipeline is observed
   * @param writeInterval how old published values may grow before a reconcile writes new ones
   * @param active whether this instance should poll now (the leader); standbys neither read nor
   *     send canaries
   */
  public FlowObserver(KafkaClients kafkaClients, SearchClients searchClients, CanarySender canaries,
      FlowMetrics metrics, Clock clock, Duration pollInterval, Duration writeInterval, BooleanSupplier active) {
    this.kafkaClients = kafkaClients;
    this.searchClients = searchClients;
    this.canaries = canaries;
    this.metrics = metrics;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.writeInterval = writeInterval;
    this.active = active;
  }

  /** Where the observer asks for a pipeline's reconcile: the controller's event source. */
  public void onChange(Consumer<ResourceID> onChange) {
    this.onChange = onChange;
  }

  /** Starts polling at the poll interval. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flow-observer");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        if (active.getAsBoolean()) {
          poll();
        }
      } catch (RuntimeException e) {
        log.warn("flow poll failed: {}", e.toString());
      }
    }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Observe this pipeline from now on, or with these settings and credentials. */
  public void watch(FlowTarget target) {
    watch(target, null);
  }

  /**
   * As {@link #watch(FlowTarget)}; {@code shown} is what the pipeline's status shows now (null:
   * nothing), taken as published when the pipeline is new to this observer, so a restarted
   * operator writes the status only when its own polls find a flip or the values are due.
   */
  public void watch(FlowTarget target, FlowVerdict shown) {
    Tracked t = tracked.computeIfAbsent(target.id(), id -> {
      Tracked created = new Tracked(target);
      created.published = shown == null || shown.flow() == null || shown.flow().observedAt() == null ? null : shown;
      return created;
    });
    if (!target.equals(t.target)) {
      t.target = target;
    }
  }

  /** Stop observing the pipeline (deleted, paused or invalid): its series go, its clients are released. */
  public void forget(ResourceID id) {
    if (tracked.remove(id) != null) {
      metrics.remove(id);
      kafkaClients.release(user(id));
      canaries.release(id);
    }
  }

  /** The Flowing condition to show in the pipeline's status, or null before its first poll. */
  public FlowVerdict published(ResourceID id) {
    Tracked t = tracked.get(id);
    return t == null ? null : t.published;
  }

  /** The verdict of the last poll, published or not; null before the first. */
  public FlowVerdict latest(ResourceID id) {
    Tracked t = tracked.get(id);
    return t == null ? null : t.latest;
  }

  /** Observes every pipeline once; polls never overlap. */
  public PollCost poll() {
    synchronized (pollLock) {
      return pollOnce();
    }
  }

  private PollCost pollOnce() {
    Instant now = clock.instant();
    Map<ResourceID, Tracked> all = new LinkedHashMap<>(tracked);
    Map<ResourceID, KafkaReading> kafka = readKafka(all.values(), now);
    Map<ResourceID, SearchReading> search = readSearch(all.values());
    int triggered = 0;
    int sent = 0;
    List<FlowTarget> due = new ArrayList<>();
    for (var e : all.entrySet()) {
      Tracked t = e.getValue();
      FlowTarget target = t.target;
      var result = FlowEvaluation.evaluate(target.settings(), kafka.get(e.getKey()), search.get(e.getKey()),
          t.memory, now);
      t.memory = result.memory();
      FlowVerdict live = result.verdict();
      t.latest = live;
      var flow = live.flow();
      KafkaReading k = kafka.get(e.getKey());
      metrics.record(e.getKey(), flow.lag(), age(search.get(e.getKey()), now), canarySeconds(result.memory(), now),
          flow.deadLetters(), k.answered() ? k.atRisk() : null);
      FlowVerdict before = t.published;
      boolean stale = before == null || before.flow() == null
          || !Instant.parse(before.flow().observedAt()).plus(writeInterval).isAfter(now);
      if (live.flipsFrom(before) || stale) {
        t.published = live;
        if (tracked.containsKey(e.getKey())) {
          triggered++;
          onChange.accept(e.getKey());
        }
      }
      if (target.settings().canaryEnabled() && target.canaryKafka() != null && canaryDue(t.memory, target, now)) {
        due.add(target);
      }
    }
    for (ResourceID id : canaries.send(due, now)) {
      Tracked t = all.get(id);
      t.memory = t.memory.canarySent(now);
      sent++;
    }
    PollCost cost = new PollCost(all.size(), (int) all.values().stream().map(t -> t.target.kafka())
        .filter(java.util.Objects::nonNull).distinct().count(),
        (int) all.values().stream().map(t -> t.target.search()).distinct().count(), triggered, sent);
    log.debug("flow poll: {}", cost);
    return cost;
  }

  private static boolean canaryDue(FlowMemory memory, FlowTarget target, Instant now) {
    Instant last = memory.lastCanarySent();
    return last == null || !last.plus(target.settings().canaryInterval()).isAfter(now);
  }

  private static Double canarySeconds(FlowMemory memory, Instant now) {
    Duration latency = memory.canaryLatency();
    if (!memory.pendingCanaries().isEmpty()) {
      Duration waiting = Duration.between(memory.pendingCanaries().get(0), now);
      latency = latency == null || waiting.compareTo(latency) > 0 ? waiting : latency;
    }
    return latency == null ? null : latency.toMillis() / 1000.0;
  }

  private static Double age(SearchReading search, Instant now) {
    if (search == null || !search.answered() || search.newestEvent() == null) {
      return null;
    }
    return Math.max(0, Duration.between(search.newestEvent(), now).toMillis()) / 1000.0;
  }

  /** One round of AdminClient calls per Kafka cluster, for all its pipelines. */
  private Map<ResourceID, KafkaReading> readKafka(Iterable<Tracked> all, Instant now) {
    Map<ResourceID, KafkaReading> readings = new HashMap<>();
    Map<KafkaConnection, List<FlowTarget>> byCluster = new LinkedHashMap<>();
    for (Tracked t : all) {
      FlowTarget target = t.target;
      if (target.kafka() == null) {
        readings.put(target.id(), KafkaReading.unreachable(target.kafkaProblem()));
      } else {
        byCluster.computeIfAbsent(target.kafka(), c -> new ArrayList<>()).add(target);
      }
    }
    byCluster.forEach((connection, targets) -> {
      Map<ConsumerLag.Query, List<FlowTarget>> queries = new LinkedHashMap<>();
      for (FlowTarget target : targets) {
        queries.computeIfAbsent(new ConsumerLag.Query(target.topic(), target.group(),
            target.atRiskBefore(now.toEpochMilli())), q -> new ArrayList<>()).add(target);
      }
      try {
        KafkaAdmin admin = kafkaClients.admin(user(targets.get(0).id()), connection);
        targets.forEach(target -> kafkaClients.admin(user(target.id()), connection));
        Map<ConsumerLag.Query, ConsumerLag> lags = admin.consumerLag(queries.keySet());
        queries.forEach((q, ts) -> {
          ConsumerLag lag = lags.get(q);
          ts.forEach(target -> readings.put(target.id(), lag == null || lag.missing() != null
              ? KafkaReading.unreachable(lag == null ? "no answer" : lag.missing())
              : KafkaReading.of(lag.lag(), lag.atRisk())));
        });
      } catch (KafkaAdminException | RuntimeException e) {
        log.debug("cannot read consumer lag from {}: {}", connection, e.getMessage());
        targets.forEach(target -> readings.put(target.id(), KafkaReading.unreachable(e.getMessage())));
      }
    });
    return readings;
  }

  /**
   * One {@code _msearch} per search cluster: for each pipeline the newest @timestamp of its index
   * and the size of its dead-letter index, and one search for all the cluster's canaries.
   */
  private Map<ResourceID, SearchReading> readSearch(Iterable<Tracked> all) {
    Map<SearchConnection, List<FlowTarget>> byCluster = new LinkedHashMap<>();
    for (Tracked t : all) {
      byCluster.computeIfAbsent(t.target.search(), c -> new ArrayList<>()).add(t.target);
    }
    Map<ResourceID, SearchReading> readings = new HashMap<>();
    byCluster.forEach((connection, targets) -> {
      List<SearchClient.Search> searches = new ArrayList<>();
      for (FlowTarget target : targets) {
        searches.add(new SearchClient.Search(target.indices(), newestEventQuery()));
        if (target.deadLetterIndices() != null) {
          searches.add(new SearchClient.Search(target.deadLetterIndices(), countQuery()));
        }
      }
      searches.add(new SearchClient.Search(CANARY_INDEX, canaryQuery(targets)));
      try {
        List<JsonNode> answers = searchClients.client(connection).multiSearch(searches);
        Map<String, JsonNode> canaryDocs = new HashMap<>();
        answers.get(answers.size() - 1).path("hits").path("hits")
            .forEach(hit -> canaryDocs.put(hit.path("_id").asText(), hit.path("_source")));
        int i = 0;
        for (FlowTarget target : targets) {
          JsonNode newest = answers.get(i++);
          JsonNode dead = target.deadLetterIndices() == null ? null : answers.get(i++);
          String problem = error(newest) != null ? error(newest) : dead != null ? error(dead) : null;
          if (problem != null) {
            readings.put(target.id(), SearchReading.unreachable(problem));
            continue;
          }
          JsonNode max = newest.path("aggregations").path("newest").path("value");
          JsonNode canary = canaryDocs.get(target.uid());
          readings.put(target.id(), new SearchReading(
              max.isNumber() ? Instant.ofEpochMilli(max.asLong()) : null,
              dead == null ? null : dead.path("hits").path("total").path("value").asLong(),
              canary == null || !canary.path(CANARY_SENT).isNumber() ? null
                  : Instant.ofEpochMilli(canary.path(CANARY_SENT).asLong()),
              canary == null ? null : instant(canary.path("@timestamp").asText(null)),
              null));
        }
      } catch (SearchException | RuntimeException e) {
        log.debug("cannot read the indices from {}: {}", connection, e.getMessage());
        targets.forEach(target -> readings.put(target.id(), SearchReading.unreachable(e.getMessage())));
      }
    });
    return readings;
  }

  private static String error(JsonNode answer) {
    JsonNode error = answer.path("error");
    if (error.isMissingNode() || error.isNull()) {
      return null;
    }
    return error.isTextual() ? error.asText()
        : error.path("type").asText("error") + ": " + error.path("reason").asText("");
  }

  private static Instant instant(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static ObjectNode newestEventQuery() {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", 0);
    // Hits need not be counted: only the newest timestamp matters, and counting them is work.
    body.put("track_total_hits", false);
    body.putObject("aggs").putObject("newest").putObject("max").put("field", "@timestamp");
    return body;
  }

  static ObjectNode countQuery() {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", 0);
    body.put("track_total_hits", true);
    return body;
  }

  static ObjectNode canaryQuery(List<FlowTarget> targets) {
    ObjectNode body = JSON.createObjectNode();
    body.put("size", targets.size());
    var ids = body.putObject("query").putObject("ids").putArray("values");
    targets.forEach(t -> ids.add(t.uid()));
    body.putArray("_source").add(CANARY_SENT).add("@timestamp");
    return body;
  }

  private static String user(ResourceID id) {
    return "flow:" + id.getNamespace().orElse("") + "/" + id.getName();
  }

  /** Pipelines observed: for tests and the benchmark. */
  public int size() {
    return tracked.size();
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    canaries.close();
  }


}
