package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.logpipeline.operator.api.DeadLettersSpec;
import io.logpipeline.operator.api.PersistentQueueSpec;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.TlsSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The indexer stage: Logstash consuming the topic, running the user's filter and writing to
 * Elasticsearch or OpenSearch. Pure functions of a {@link Pipeline}.
 */
public final class IndexerModel {

  public static final String DEFAULT_IMAGE = "docker.elastic.co/logstash/logstash:8.18.2";
  /** Stock Logstash refuses to talk to OpenSearch; this image adds the opensearch output. */
  public static final String DEFAULT_OPENSEARCH_IMAGE =
      "opensearchproject/logstash-oss-with-opensearch-output-plugin:8.9.0";
  public static final String SETTINGS_KEY = "logstash.yml";
  public static final String PIPELINES_KEY = "pipelines.yml";
  public static final String PIPELINE_KEY = "pipeline.conf";
  public static final String DEAD_LETTER_PIPELINE_KEY = "deadletter.conf";
  public static final int MONITORING_PORT = 9600;
  /** The main pipeline's id; its queue and dead letter queue live in directories of that name. */
  public static final String MAIN_PIPELINE_ID = "logpipeline";
  public static final String DEAD_LETTER_PIPELINE_ID = "deadletter";
  /** Name of the volume claim template: each replica's claim is {@code queue-<statefulset>-<ordinal>}. */
  public static final String QUEUE_VOLUME = "queue";
  /**
   * On a queue volume's claim: the LogPipeline it belongs to (in the claim's namespace). The
   * StatefulSet controller copies it from the claim template, so the operator finds the claims of
   * scaled-down replicas, which nothing owns.
   */
  public static final String PIPELINE_ANNOTATION = "logpipeline.io/pipeline";
  /**
   * How long a stopping replica may take: with {@code queue.drain} Logstash first works off its
   * queue. What a full queue cannot finish in time stays on the volume, for the replica's next pod
   * or, after a scale-down, for the drain Job; nothing is lost when the kubelet kills it then.
   */
  public static final long TERMINATION_GRACE_SECONDS = 300;
  /**
   * Events written to the persistent queue between two checkpoints (fsync of the head page).
   * Logstash's default: 1 would fsync every event, about ten times slower (elastic/logstash#7350).
   */
  public static final int CHECKPOINT_WRITES = 1024;
  /**
   * Kafka session timeout with static membership: long enough for a Logstash pod to restart (a
   * JVM with plugins takes a minute or more), short enough that the partitions of a replica gone
   * for good move on within minutes; brokers accept up to 30 minutes by default.
   */
  public static final int SESSION_TIMEOUT_MS = 180_000;
  static final String PRODUCT = "logstash";
  static final String HOME = "/usr/share/logstash";
  /** Where the ConfigMap is mounted whole: the pipelines read their files from here. */
  static final String CONFIG_DIR = HOME + "/logpipeline";
  static final String PIPELINE_PATH = CONFIG_DIR + "/" + PIPELINE_KEY;
  static final String DATA_DIR = HOME + "/data";
  static final String CA_DIR = HOME + "/certs";
  static final String CA_FILE = CA_DIR + "/ca.crt";
  static final String USERNAME_ENV = "SEARCH_USERNAME";
  static final String PASSWORD_ENV = "SEARCH_PASSWORD";
  static final String API_KEY_ENV = "SEARCH_API_KEY";

  private IndexerModel() {}

  private static IndexerSpec indexer(Pipeline p) {
    return Objects.requireNonNullElseGet(p.spec().getIndexer(), IndexerSpec::new);
  }

  /**
   * Kafka consumer threads per pod: replicas x threads above the partition count would sit idle,
   * since a partition is read by one consumer of the group at a time.
   */
  public static int consumerThreads(Pipeline p) {
    int partitions = p.spec().getKafka().getTopic() == null ? 6 : p.spec().getKafka().getTopic().getPartitions();
    int replicas = Math.max(1, indexer(p).getReplicas());
    return Math.max(1, partitions / replicas);
  }

  static PersistentQueueSpec persistentQueue(Pipeline p) {
    return Objects.requireNonNullElseGet(indexer(p).getPersistentQueue(), PersistentQueueSpec::new);
  }

  static DeadLettersSpec deadLetters(Pipeline p) {
    return Objects.requireNonNullElseGet(indexer(p).getDeadLetters(), DeadLettersSpec::new);
  }

  /** spec.indexer.replicas, defaulted: the replicas that keep their queue volumes. */
  public static int replicas(Pipeline p) {
    return indexer(p).getReplicas();
  }

  /** Whether each replica keeps its queue on a volume of its own. */
  public static boolean persistent(Pipeline p) {
    return persistentQueue(p).isEnabled();
  }

  /** Whether rejected documents are indexed into the dead-letter index by a second pipeline. */
  public static boolean indexesDeadLetters(Pipeline p) {
    return deadLetters(p).isEnabled();
  }

  /**
   * How one queue volume is shared, in MiB: Logstash checks at start that the queues' max_bytes
   * fit in the free space, and writes nothing beyond them. A tenth stays free for the file
   * system (ext4 reserves 5% for root, and Logstash runs as a user), a tenth (at most 1 GiB) is
   * the dead letter queue, a small part the dead-letter pipeline's own queue, the rest the queue.
   *
   * @param volumeMib the volume's size
   * @param queueMib queue.max_bytes of the main pipeline
   * @param deadLetterQueueMib dead_letter_queue.max_bytes of the main pipeline
   * @param deadLetterPipelineQueueMib queue.max_bytes of the dead-letter pipeline
   */
  public record QueueSizing(long volumeMib, long queueMib, long deadLetterQueueMib,
      long deadLetterPipelineQueueMib) {

    /** Smallest volume: every queue gets at least two pages of Logstash's 64mb. */
    public static final long MIN_VOLUME_MIB = 1024;
    /** Logstash's queue.page_capacity; a queue's max_bytes must hold one page. */
    public static final long PAGE_MIB = 64;

    public static QueueSizing of(long volumeMib) {
      long headroom = (volumeMib + 9) / 10;
      long deadLetters = Math.min(1024, Math.max(PAGE_MIB, volumeMib / 10));
      long deadLetterPipeline = Math.min(512, Math.max(2 * PAGE_MIB, volumeMib / 32));
      return new QueueSizing(volumeMib, volumeMib - headroom - deadLetters - deadLetterPipeline,
          deadLetters, deadLetterPipeline);
    }
  }

  /** The volume size in MiB, rounded down; validated by {@link SpecRules}. */
  static long volumeMib(Pipeline p) {
    String size = Objects.requireNonNullElse(persistentQueue(p).getSize(), PersistentQueueSpec.DEFAULT_SIZE);
    return Quantity.getAmountInBytes(new Quantity(size)).divide(BigDecimal.valueOf(1 << 20), 0, RoundingMode.DOWN)
        .longValueExact();
  }

  public static QueueSizing sizing(Pipeline p) {
    return QueueSizing.of(volumeMib(p));
  }

  /**
   * pipeline.workers: the spec's, else the CPU request (or limit) rounded up, at least 1.
   * Logstash's own default is the host's core count, which on a large node means as many
   * concurrent batches, and bulk requests, as the node has cores, in the pod's heap.
   */
  public static int pipelineWorkers(Pipeline p) {
    if (indexer(p).getPipelineWorkers() > 0) {
      return indexer(p).getPipelineWorkers();
    }
    ResourceRequirements resources = resources(p);
    Quantity cpu = resources.getRequests() == null ? null : resources.getRequests().get("cpu");
    if (cpu == null && resources.getLimits() != null) {
      cpu = resources.getLimits().get("cpu");
    }
    if (cpu == null) {
      return 1;
    }
    BigDecimal cores = cpu.getNumericalAmount().setScale(0, RoundingMode.CEILING);
    return Math.max(1, Math.min(256, cores.intValue()));
  }

  public static String settings(Pipeline p) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("api.http.host", "0.0.0.0");
    settings.put("api.http.port", MONITORING_PORT);
    settings.put("config.reload.automatic", false);
    // The queues, the dead letter queue and their readers' positions: the replica's volume.
    settings.put("path.data", DATA_DIR);
    return ConfigFiles.yaml(settings);
  }

  /** pipelines.yml of the StatefulSet's pods: the main pipeline and, with dead letters, their reader. */
  public static String pipelines(Pipeline p) {
    List<Map<String, Object>> pipelines = new ArrayList<>();
    pipelines.add(mainPipeline(p, PIPELINE_PATH));
    if (indexesDeadLetters(p)) {
      pipelines.add(deadLetterPipeline(p));
    }
    return ConfigFiles.yaml(pipelines);
  }

  /** The main pipeline's entry in pipelines.yml, reading its configuration from {@code path}. */
  static Map<String, Object> mainPipeline(Pipeline p, String path) {
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("pipeline.id", MAIN_PIPELINE_ID);
    pipeline.put("path.config", path);
    pipeline.put("pipeline.workers", pipelineWorkers(p));
    pipeline.put("pipeline.batch.size", indexer(p).getBatchSize());
    if (persistent(p)) {
      QueueSizing sizing = sizing(p);
      // The kafka input commits offsets of events once they are in this queue: on the volume,
      // they outlive the pod, and a restarted pod or the drain Job takes them from there.
      pipeline.put("queue.type", "persisted");
      pipeline.put("queue.max_bytes", sizing.queueMib() + "mb");
      pipeline.put("queue.checkpoint.writes", CHECKPOINT_WRITES);
      pipeline.put("queue.drain", true);
    } else {
      pipeline.put("queue.type", "memory");
    }
    pipeline.put("dead_letter_queue.enable", indexesDeadLetters(p));
    if (indexesDeadLetters(p)) {
      pipeline.put("dead_letter_queue.max_bytes",
          (persistent(p) ? sizing(p).deadLetterQueueMib() : 1024) + "mb");
      // Unread dead letters expire no sooner than the events waiting in the topic.
      pipeline.put("dead_letter_queue.retain.age", retainAge(p.retentionMs()));
      pipeline.put("dead_letter_queue.storage_policy", "drop_newer");
    }
    return pipeline;
  }

  /** The dead-letter pipeline's entry in pipelines.yml. */
  static Map<String, Object> deadLetterPipeline(Pipeline p) {
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("pipeline.id", DEAD_LETTER_PIPELINE_ID);
    pipeline.put("path.config", CONFIG_DIR + "/" + DEAD_LETTER_PIPELINE_KEY);
    pipeline.put("pipeline.workers", 1);
    pipeline.put("pipeline.batch.size", indexer(p).getBatchSize());
    if (persistent(p)) {
      // The reader deletes the segments it has read (clean_consumed): what it handed on must
      // be on disk by then.
      pipeline.put("queue.type", "persisted");
      pipeline.put("queue.max_bytes", sizing(p).deadLetterPipelineQueueMib() + "mb");
      pipeline.put("queue.checkpoint.writes", CHECKPOINT_WRITES);
      pipeline.put("queue.drain", true);
    } else {
      pipeline.put("queue.type", "memory");
    }
    // A dead letter that the dead-letter index rejects too must not come back to this reader.
    pipeline.put("dead_letter_queue.enable", false);
    return pipeline;
  }

  /** dead_letter_queue.retain.age (units d, h, m, s) of at least {@code ms}. */
  static String retainAge(long ms) {
    long seconds = Math.max(1, (ms + 999) / 1000);
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /** The pipeline file: kafka input, the user's filter, the search output. */
  public static String pipelineConfig(Pipeline p) {
    return mainPipelineConfig(p, conf -> kafkaInput(conf, p));
  }

  /**
   * The drain Job's main pipeline: the same filter and output as {@link #pipelineConfig}, and an
   * input that ends at once (stdin, closed in a Job's container), so Logstash works off the queue
   * it finds on the volume ({@code queue.drain}) and exits.
   */
  public static String drainPipelineConfig(Pipeline p) {
    return mainPipelineConfig(p, conf -> {
      conf.append("  stdin {\n");
      setting(conf, 4, "id", q("drain"));
      conf.append("  }\n");
    });
  }

  private static String mainPipelineConfig(Pipeline p, java.util.function.Consumer<StringBuilder> input) {
    StringBuilder conf = new StringBuilder();
    header(conf, p);
    conf.append("input {\n");
    input.accept(conf);
    conf.append("}\n\n");
    conf.append("filter {\n");
    // The operator's canaries pass around the user's filter: it cannot drop or reshape them, and
    // they never reach the user's index.
    conf.append("  if !").append(CANARY_FIELD).append(" {\n");
    documentId(conf);
    String filter = indexer(p).getFilter();
    if (filter != null && !filter.isBlank()) {
      // Verbatim: indenting would change multi-line strings and regexes inside the filter.
      conf.append(filter.stripTrailing()).append('\n');
    }
    conf.append("  }\n");
    conf.append("}\n\n");
    conf.append("output {\n");
    conf.append("  if ").append(CANARY_FIELD).append(" {\n");
    canaryOutput(conf, p);
    conf.append("  } else {\n");
    searchOutput(conf, p, SearchTarget.main(p));
    conf.append("  }\n");
    conf.append("}\n");
    return conf.toString();
  }

  private static void header(StringBuilder conf, Pipeline p) {
    conf.append("# Generated by logpipeline-operator for LogPipeline ")
        .append(p.namespace()).append('/').append(p.name()).append(". Do not edit.\n");
  }

  /** Field names of a document in the dead-letter index (ECS names where ECS has one). */
  public static final class DeadLetterFields {
    /** When the search cluster rejected the event (the dead letter queue's entry time). */
    public static final String TIMESTAMP = "@timestamp";
    /** The event as JSON, stored but never indexed: no value in it can be rejected. */
    public static final String ORIGINAL = "event.original";
    /** The search cluster's reason for the rejection. */
    public static final String REASON = "error.message";
    /** The LogPipeline, as namespace/name. */
    public static final String PIPELINE = "logpipeline";

    private DeadLetterFields() {}

    /**
     * The document the dead-letter pipeline's ruby filter makes of a dead letter, as JSON: the
     * real-server tests index it against the dead-letter template.
     *
     * @param originalJson the event as Logstash serialises it (without @metadata)
     * @param reason the search cluster's reason for rejecting it
     * @param rejectedAt the dead letter queue's entry time, ISO-8601
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode document(Pipeline p, String originalJson,
        String reason, String rejectedAt) {
      var doc = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      doc.put(TIMESTAMP, rejectedAt);
      put(doc, ORIGINAL, originalJson);
      put(doc, REASON, reason);
      put(doc, PIPELINE, p.namespace() + "/" + p.name());
      return doc;
    }

    private static void put(com.fasterxml.jackson.databind.node.ObjectNode doc, String dotted, String value) {
      String[] parts = dotted.split("\\.");
      var at = doc;
      for (int i = 0; i < parts.length - 1; i++) {
        at = at.with(parts[i]);
      }
      at.put(parts[parts.length - 1], value);
    }
  }

  /**
   * The dead-letter pipeline: reads what the main pipeline's output dead-lettered, turns each
   * entry into a document of {@link DeadLetterFields} and writes it to the dead-letter index with
   * the main document's id, so an entry read twice (after a crash) is one document.
   */
  public static String deadLetterPipelineConfig(Pipeline p) {
    StringBuilder conf = new StringBuilder();
    header(conf, p);
    conf.append("input {\n");
    conf.append("  dead_letter_queue {\n");
    setting(conf, 4, "id", q("deadletters"));
    setting(conf, 4, "path", q(DATA_DIR + "/dead_letter_queue"));
    setting(conf, 4, "pipeline_id", q(MAIN_PIPELINE_ID));
    // Its position is kept on the volume, and the segments it has read are deleted, so the dead
    // letter queue holds only what is not yet indexed.
    setting(conf, 4, "commit_offsets", "true");
    setting(conf, 4, "clean_consumed", "true");
    conf.append("  }\n");
    conf.append("}\n\n");
    conf.append("filter {\n");
    conf.append("  ruby {\n");
    setting(conf, 4, "id", q("deadletter-document"));
    // event.to_json leaves out @metadata, which keeps the document id for the output.
    setting(conf, 4, "code", "'\n"
        + "      entry = event.get(\"[@metadata][dead_letter_queue]\") || {}\n"
        + "      original = event.to_json\n"
        + "      event.to_hash.each_key { |field| event.remove(field) unless field == \"@timestamp\" }\n"
        + "      rejected = entry[\"entry_time\"]\n"
        + "      event.set(\"@timestamp\", rejected) if rejected.is_a?(LogStash::Timestamp)\n"
        + "      event.set(\"" + fieldReference(DeadLetterFields.ORIGINAL) + "\", original)\n"
        + "      event.set(\"" + fieldReference(DeadLetterFields.REASON) + "\", entry[\"reason\"].to_s)\n"
        + "      event.set(\"" + fieldReference(DeadLetterFields.PIPELINE) + "\", \""
        + p.namespace() + "/" + p.name() + "\")\n"
        + "    '");
    conf.append("  }\n");
    conf.append("}\n\n");
    conf.append("output {\n");
    searchOutput(conf, p, SearchTarget.deadLetters(p));
    conf.append("}\n");
    return conf.toString();
  }

  /** A Logstash field reference for a dotted field name: event.original is [event][original]. */
  static String fieldReference(String dotted) {
    StringBuilder ref = new StringBuilder();
    for (String part : dotted.split("\\.")) {
      ref.append('[').append(part).append(']');
    }
    return ref.toString();
  }

  /**
   * Where a search output writes: the plugin id and the index names. The main pipeline writes
   * the pipeline's index, the dead-letter pipeline its own (daily indices or a data stream, as
   * the main one).
   */
  public record SearchTarget(String id, IndexNames names) {

    public static SearchTarget main(Pipeline p) {
      return new SearchTarget("search", p.indexNames());
    }

    public static SearchTarget deadLetters(Pipeline p) {
      return new SearchTarget("deadletter-search", p.deadLetterIndexNames());
    }
  }

  /**
   * Where the kafka input puts the canary's record header ({@code decorate_events => "extended"}
   * copies every header to {@code [@metadata][kafka][headers][<key>]}); only a Kafka producer can
   * set a header, so no log line can pose as a canary.
   */
  static final String CANARY_FIELD = "[@metadata][kafka][headers][" + CanaryModel.HEADER + "]";

  /**
   * The canary's output: one document per pipeline in the canary index, its id the pipeline's
   * uid (the header's value), so each canary overwrites the last.
   */
  static void canaryOutput(StringBuilder conf, Pipeline p) {
    searchOutput(conf, p, "canary-search", CanaryModel.INDEX, "%{" + CANARY_FIELD + "}", false);
  }

  /** The kafka input plugin block that reads the pipeline's topic with its consumer group. */
  static void kafkaInput(StringBuilder conf, Pipeline p) {
    conf.append("  kafka {\n");
    setting(conf, 4, "id", q("kafka"));
    setting(conf, 4, "bootstrap_servers", q(p.bootstrapServers()));
    setting(conf, 4, "topics", "[" + q(p.topicName()) + "]");
    setting(conf, 4, "group_id", q(p.consumerGroup()));
    setting(conf, 4, "client_id", q("${HOSTNAME}"));
    // Static membership (KIP-345): a replica keeps its pod name across restarts, so a restart
    // within the session timeout takes its partitions back without rebalancing the group.
    setting(conf, 4, "group_instance_id", q("${HOSTNAME}"));
    setting(conf, 4, "session_timeout_ms", String.valueOf(SESSION_TIMEOUT_MS));
    setting(conf, 4, "consumer_threads", String.valueOf(consumerThreads(p)));
    // A new group starts at the oldest buffered event, not the newest: nothing is skipped.
    setting(conf, 4, "auto_offset_reset", q("earliest"));
    setting(conf, 4, "codec", "json");
    // Record headers into [@metadata][kafka][headers]: the canary's mark (never into the document).
    setting(conf, 4, "decorate_events", q("extended"));
    // Never below the topic's largest batch: a fetch limit under it only works by the consumer's
    // exception for the first batch of a partition, one batch per fetch.
    MessageSizes sizes = MessageSizes.of(p);
    setting(conf, 4, "max_partition_fetch_bytes", String.valueOf(sizes.fetchPartitionBytes()));
    setting(conf, 4, "fetch_max_bytes", String.valueOf(sizes.fetchBytes()));
    KafkaSecurity.logstashSettings(p).forEach((key, value) -> setting(conf, 4, key, value));
    conf.append("  }\n");
  }

  /**
   * The fingerprint filter that gives each event its document id, computed before the user's
   * filter changes the event, from where and when the line was written on the node: a replay
   * after a crash overwrites instead of duplicating.
   */
  static void documentId(StringBuilder conf) {
    conf.append("  fingerprint {\n");
    // @timestamp (the runtime's time of the line) tells apart equal lines at equal offsets in
    // two generations of a rotated file.
    setting(conf, 4, "source",
        "[\"[log][file][path]\", \"[log][offset]\", \"@timestamp\", \"message\"]");
    setting(conf, 4, "concatenate_sources", "true");
    setting(conf, 4, "method", q("SHA256"));
    setting(conf, 4, "target", q("[@metadata][doc_id]"));
    conf.append("  }\n");
  }

  /** The elasticsearch or opensearch output plugin block: hosts, index, credentials, TLS. */
  static void searchOutput(StringBuilder conf, Pipeline p, SearchTarget target) {
    searchOutput(conf, p, target.id(), target.names().writeTarget(), "%{[@metadata][doc_id]}",
        target.names().dataStream());
  }

  /** An output plugin block to {@code index} with documents of id {@code documentId}. */
  private static void searchOutput(StringBuilder conf, Pipeline p, String id, String index, String documentId,
      boolean dataStream) {
    boolean opensearch = p.flavor() == Flavor.OPENSEARCH;
    conf.append("  ").append(opensearch ? "opensearch" : "elasticsearch").append(" {\n");
    setting(conf, 4, "id", q(id));
    setting(conf, 4, "hosts", p.hosts().stream().map(h -> q(h.toString()))
        .collect(Collectors.joining(", ", "[", "]")));
    setting(conf, 4, "index", q(index));
    setting(conf, 4, "document_id", q(documentId));
    if (dataStream) {
      setting(conf, 4, "action", q("create"));
    }
    // The operator owns the template; Logstash must not install its own over it.
    setting(conf, 4, "manage_template", "false");
    if (!opensearch) {
      setting(conf, 4, "ilm_enabled", "false");
      setting(conf, 4, "data_stream", "false");
    }
    searchConnection(conf, p);
    conf.append("  }\n");
  }

  /** Credentials and TLS settings of a search output, from the Secrets through the environment. */
  static void searchConnection(StringBuilder conf, Pipeline p) {
    boolean opensearch = p.flavor() == Flavor.OPENSEARCH;
    CredentialsSecretRef creds = p.spec().getElasticsearch().getCredentialsSecret();
    if (creds != null && usesApiKey(creds)) {
      setting(conf, 4, "api_key", q("${" + API_KEY_ENV + "}"));
    } else if (creds != null) {
      setting(conf, 4, "user", q("${" + USERNAME_ENV + "}"));
      setting(conf, 4, "password", q("${" + PASSWORD_ENV + "}"));
    }
    boolean https = p.hosts().stream().anyMatch(h -> "https".equals(h.getScheme()));
    TlsSpec tls = p.spec().getElasticsearch().getTls();
    if (https) {
      setting(conf, 4, opensearch ? "ssl" : "ssl_enabled", "true");
      if (tls != null && tls.getCaSecret() != null) {
        setting(conf, 4, opensearch ? "cacert" : "ssl_certificate_authorities",
            opensearch ? q(CA_FILE) : "[" + q(CA_FILE) + "]");
      }
      if (tls != null && tls.isInsecureSkipVerify()) {
        if (opensearch) {
          setting(conf, 4, "ssl_certificate_verification", "false");
        } else {
          setting(conf, 4, "ssl_verification_mode", q("none"));
        }
      }
    }
  }

  private static void setting(StringBuilder conf, int indent, String key, String value) {
    conf.append(" ".repeat(indent)).append(key).append(" => ").append(value).append('\n');
  }

  /** A Logstash double-quoted string; callers pass only validated names and URLs. */
  private static String q(String s) {
    return '"' + s + '"';
  }

  public static ConfigMap configMap(Pipeline p) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(SETTINGS_KEY, settings(p));
    data.put(PIPELINES_KEY, pipelines(p));
    data.put(PIPELINE_KEY, pipelineConfig(p));
    if (indexesDeadLetters(p)) {
      data.put(DEAD_LETTER_PIPELINE_KEY, deadLetterPipelineConfig(p));
    }
    if (persistent(p)) {
      data.putAll(QueueDrain.files(p));
    }
    return new ConfigMapBuilder()
        .withMetadata(p.metadata(p.indexerName(), Pipeline.COMPONENT_INDEXER, PRODUCT))
        .withData(data)
        .build();
  }

  /**
   * Hash of what the StatefulSet's pods read: the drain Job's files are left out, so a change
   * to them rolls no replica.
   */
  static String podConfigHash(ConfigMap config) {
    Map<String, String> read = new LinkedHashMap<>(config.getData());
    read.keySet().removeAll(QueueDrain.FILE_KEYS);
    return ConfigFiles.hash(read);
  }

  public static ResourceRequirements defaultResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("2Gi"))
        .addToLimits("memory", new Quantity("2Gi"))
        .build();
  }

  static ResourceRequirements resources(Pipeline p) {
    return Objects.requireNonNullElseGet(indexer(p).getResources(), IndexerModel::defaultResources);
  }

  /** -Xms = -Xmx = half the memory limit (or request): the rest is for direct memory and OS. */
  static String heapOptions(ResourceRequirements resources) {
    Quantity memory = resources.getLimits() != null ? resources.getLimits().get("memory") : null;
    if (memory == null && resources.getRequests() != null) {
      memory = resources.getRequests().get("memory");
    }
    long bytes = memory == null ? 2L << 30 : Quantity.getAmountInBytes(memory).longValue();
    long mib = Math.max(1, bytes / 2 / (1 << 20));
    return "-Xms" + mib + "m -Xmx" + mib + "m";
  }

  static String image(Pipeline p) {
    String image = ShipperModel.blankToNull(indexer(p).getImage());
    if (image == null) {
      image = p.flavor() == Flavor.OPENSEARCH ? DEFAULT_OPENSEARCH_IMAGE : DEFAULT_IMAGE;
    }
    return image;
  }

  /** The container's environment: heap, and the search credentials from their Secret. */
  static List<EnvVar> env(Pipeline p) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("LS_JAVA_OPTS").withValue(heapOptions(resources(p))).build());
    CredentialsSecretRef creds = p.spec().getElasticsearch().getCredentialsSecret();
    if (creds != null && usesApiKey(creds)) {
      env.add(secretEnv(API_KEY_ENV, creds.getName(), creds.getApiKeyKey()));
    } else if (creds != null) {
      env.add(secretEnv(USERNAME_ENV, creds.getName(), creds.getUsernameKey()));
      env.add(secretEnv(PASSWORD_ENV, creds.getName(), creds.getPasswordKey()));
    }
    return env;
  }

  /**
   * The container's mounts: settings and pipelines.yml into Logstash's settings directory, the
   * whole ConfigMap (pipeline files, drain files) beside it, the data volume, the search CA.
   */
  static List<VolumeMount> mounts(Pipeline p, String pipelinesKey) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(subPathMount(HOME + "/config/" + SETTINGS_KEY, SETTINGS_KEY));
    mounts.add(subPathMount(HOME + "/config/" + PIPELINES_KEY, pipelinesKey));
    mounts.add(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).build());
    mounts.add(new VolumeMountBuilder().withName(dataVolume(p)).withMountPath(DATA_DIR).build());
    if (caSecret(p) != null) {
      mounts.add(new VolumeMountBuilder().withName("ca").withMountPath(CA_DIR).withReadOnly(true).build());
    }
    return mounts;
  }

  /** The volume mounted at path.data: the replica's claim, or an emptyDir without a persistent queue. */
  static String dataVolume(Pipeline p) {
    return persistent(p) ? QUEUE_VOLUME : "data";
  }

  /** The pod's volumes, apart from the queue claim (a StatefulSet's template, or the drained claim). */
  static List<Volume> volumes(Pipeline p) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("config").withNewConfigMap()
        .withName(p.indexerName()).endConfigMap().build());
    if (!persistent(p)) {
      // Without a persistent queue, path.data (the dead letter queue) lives as long as the pod.
      volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
    }
    var ca = caSecret(p);
    if (ca != null) {
      volumes.add(new VolumeBuilder().withName("ca").withNewSecret()
          .withSecretName(ca.getName())
          .addNewItem().withKey(ca.getKey()).withPath("ca.crt").endItem()
          .endSecret().build());
    }
    return volumes;
  }

  private static io.logpipeline.operator.api.SecretKeySpec caSecret(Pipeline p) {
    TlsSpec tls = p.spec().getElasticsearch().getTls();
    return tls == null ? null : tls.getCaSecret();
  }

  /** The Logstash container: image, environment, resources, security, mounts; no probes. */
  static ContainerBuilder container(Pipeline p, String pipelinesKey) {
    return new ContainerBuilder()
        .withName(PRODUCT)
        .withImage(image(p))
        .withEnv(env(p))
        .withResources(resources(p))
        .withNewSecurityContext()
          .withAllowPrivilegeEscalation(false)
          .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(mounts(p, pipelinesKey));
  }

  /** What every Logstash pod of the pipeline runs as; the volume owner is the same user. */
  static PodSpecBuilder podSpec(Pipeline p, Container container) {
    return new PodSpecBuilder()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L)
            .withFsGroup(1000L).endSecurityContext()
        .withContainers(container)
        .withVolumes(volumes(p));
  }

  public static StatefulSet statefulSet(Pipeline p) {
    return statefulSet(p, configMap(p));
  }

  /**
   * The StatefulSet whose pods read {@code config}, the pipeline's {@link #configMap(Pipeline)}:
   * one replica per pod name, each with its queue volume, spread over zones and nodes.
   */
  public static StatefulSet statefulSet(Pipeline p, ConfigMap config) {
    Container container = container(p, PIPELINES_KEY)
        .addNewPort().withName("monitoring").withContainerPort(MONITORING_PORT)
            .withProtocol("TCP").endPort()
        // A JVM with plugins takes a minute or more to start; liveness waits for it.
        .withNewStartupProbe().withNewHttpGet().withPath("/")
            .withPort(new IntOrString("monitoring")).endHttpGet()
            .withPeriodSeconds(10).withFailureThreshold(30).endStartupProbe()
        .withNewReadinessProbe().withNewHttpGet().withPath("/")
            .withPort(new IntOrString("monitoring")).endHttpGet()
            .withPeriodSeconds(10).withFailureThreshold(3).endReadinessProbe()
        .withNewLivenessProbe().withNewHttpGet().withPath("/")
            .withPort(new IntOrString("monitoring")).endHttpGet()
            .withPeriodSeconds(20).withFailureThreshold(6).endLivenessProbe()
        .build();
    PodSpec pod = podSpec(p, container)
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withTopologySpreadConstraints(spread(p, "topology.kubernetes.io/zone"),
            spread(p, "kubernetes.io/hostname"))
        .build();
    List<PersistentVolumeClaim> claims = persistent(p) ? List.of(claimTemplate(p)) : List.of();
    StatefulSet statefulSet = new StatefulSetBuilder()
        .withMetadata(p.metadata(p.indexerName(), Pipeline.COMPONENT_INDEXER, PRODUCT))
        .withNewSpec()
          .withReplicas(indexer(p).getReplicas())
          .withServiceName(p.indexerName())
          // Replicas are alike: start and stop them together, not one after the other.
          .withPodManagementPolicy("Parallel")
          .withNewSelector().withMatchLabels(p.selectorLabels(PRODUCT)).endSelector()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(p.labels(Pipeline.COMPONENT_INDEXER, PRODUCT))
              .addToAnnotations(Pipeline.CONFIG_HASH_ANNOTATION, podConfigHash(config))
            .endMetadata()
            .withSpec(pod)
          .endTemplate()
          // The claims outlive their replica (the default retention policy, Retain): the operator
          // drains a scaled-down replica's volume before it deletes it. Not written out: API
          // servers before 1.27 drop the field, and the operator would see drift forever.
          .withVolumeClaimTemplates(claims)
        .endSpec()
        .build();
    KafkaSecurity.indexerPod(p, statefulSet.getSpec().getTemplate(), PRODUCT);
    return statefulSet;
  }

  /** The queue volume of each replica; claims are named {@code queue-<statefulset>-<ordinal>}. */
  static PersistentVolumeClaim claimTemplate(Pipeline p) {
    PersistentQueueSpec queue = persistentQueue(p);
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
          .withName(QUEUE_VOLUME)
          .withLabels(p.labels(Pipeline.COMPONENT_INDEXER, PRODUCT))
          .addToAnnotations(PIPELINE_ANNOTATION, p.name())
        .endMetadata()
        .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(ShipperModel.blankToNull(queue.getStorageClassName()))
          .withNewResources()
            .addToRequests("storage", new Quantity(
                Objects.requireNonNullElse(queue.getSize(), PersistentQueueSpec.DEFAULT_SIZE)))
          .endResources()
        .endSpec()
        .build();
  }

  /** The claim of replica {@code ordinal}, as the StatefulSet controller names it. */
  public static String claimName(Pipeline p, int ordinal) {
    return QUEUE_VOLUME + "-" + p.indexerName() + "-" + ordinal;
  }

  /** Soft spread: replicas go to other zones and nodes where there is room, never wait for it. */
  private static TopologySpreadConstraint spread(Pipeline p, String topologyKey) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(topologyKey)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(p.selectorLabels(PRODUCT)).build())
        .build();
  }

  /** At most one replica down for voluntary disruptions (node drains, cluster upgrades). */
  public static PodDisruptionBudget disruptionBudget(Pipeline p) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(p.metadata(p.indexerName(), Pipeline.COMPONENT_INDEXER, PRODUCT))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(p.selectorLabels(PRODUCT)).endSelector()
        .endSpec()
        .build();
  }

  public static boolean usesApiKey(CredentialsSecretRef creds) {
    return creds.getApiKeyKey() != null && !creds.getApiKeyKey().isBlank();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom()
        .withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
        .endValueFrom().build();
  }

  private static VolumeMount subPathMount(String path, String key) {
    return new VolumeMountBuilder().withName("config").withMountPath(path).withSubPath(key)
        .withReadOnly(true).build();
  }

  public static Service service(Pipeline p) {
    return new ServiceBuilder()
        .withMetadata(p.metadata(p.indexerName(), Pipeline.COMPONENT_INDEXER, PRODUCT))
        .withNewSpec()
          .withSelector(p.selectorLabels(PRODUCT))
          .addNewPort().withName("monitoring").withPort(MONITORING_PORT)
              .withTargetPort(new IntOrString("monitoring")).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

}
