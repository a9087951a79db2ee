package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A LogPipeline after defaulting and validation: the one value every model function reads. Built
 * once per reconcile by {@link #resolve(LogPipeline)}; when that throws, nothing is written.
 *
 * @param resource the LogPipeline as the user wrote it (its spec is read, never changed)
 * @param instance the app.kubernetes.io/instance label value (the name, shortened when too long)
 * @param topicName the Kafka topic name
 * @param topicResourceName the KafkaTopic's metadata.name (a Kubernetes name for the topic)
 * @param kafkaNamespace where the KafkaTopic lives
 * @param bootstrapServers Kafka bootstrap address for Filebeat and Logstash
 * @param retentionMs the topic's retention.ms
 * @param index the index or data stream name
 * @param hosts the search cluster's base URLs
 * @param warnings what is legal but probably not what the user meant
 */
public record Pipeline(
    LogPipeline resource,
    String instance,
    String topicName,
    String topicResourceName,
    String kafkaNamespace,
    String bootstrapServers,
    long retentionMs,
    String index,
    List<URI> hosts,
    List<SpecProblem> warnings) {

  public static final String MANAGED_BY = "logpipeline-operator";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
  /** Namespace of the owning LogPipeline, on objects outside it (cluster-scoped, other namespace). */
  public static final String LABEL_OWNER_NAMESPACE = "logpipeline.io/namespace";
  /** Hash of a pod's configuration on its pod template: a config change rolls the pods. */
  public static final String CONFIG_HASH_ANNOTATION = "logpipeline.io/config-hash";

  public static final String COMPONENT_SHIPPER = "shipper";
  public static final String COMPONENT_BUFFER = "buffer";
  public static final String COMPONENT_INDEXER = "indexer";

  static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");
  static final Pattern INDEX = Pattern.compile("^[a-z0-9][a-z0-9._-]*$");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  /**
   * Longest index name: 255 bytes less the daily suffix "_YYYY.MM.DD" (11) or a data stream's
   * backing index ".ds-<name>-YYYY.MM.DD-000001" (22).
   */
  static final int INDEX_MAX = 230;
  static final int TOPIC_MAX = 249;

  public LogPipelineSpec spec() {
    return resource.getSpec();
  }

  public String name() {
    return resource.getMetadata().getName();
  }

  public String namespace() {
    return resource.getMetadata().getNamespace();
  }

  public Flavor flavor() {
    return Objects.requireNonNullElse(spec().getElasticsearch().getFlavor(), Flavor.ELASTICSEARCH);
  }

  /** Name of the Filebeat ConfigMap, ServiceAccount and DaemonSet. */
  public String shipperName() {
    return Names.child(name(), "filebeat", Names.WORKLOAD_NAME_MAX);
  }

  /**
   * Name of the cluster-scoped ClusterRole and ClusterRoleBinding. RBAC names may contain ':',
   * which no namespace or LogPipeline name does, so this is unique across namespaces.
   */
  public String shipperClusterRoleName() {
    String body = "logpipeline:" + namespace() + ":" + name();
    String full = body + ":filebeat";
    if (full.length() <= Names.SUBDOMAIN_MAX && !Names.looksHashed(name())) {
      return full;
    }
    String hash = Names.hash(namespace() + "/" + name(), 8);
    String tail = "-" + hash + ":filebeat";
    return body.substring(0, Math.min(body.length(), Names.SUBDOMAIN_MAX - tail.length())) + tail;
  }

  /** Name of the Logstash ConfigMap, StatefulSet, Service and PodDisruptionBudget. */
  public String indexerName() {
    return Names.child(name(), "logstash", Names.WORKLOAD_NAME_MAX);
  }

  /** Name of the index template. */
  public String templateName() {
    return indexNames().templateName();
  }

  /** True when the pipeline writes a data stream rather than daily indices. */
  public boolean dataStream() {
    var template = spec().getElasticsearch().getTemplate();
    return template != null && template.isDataStream();
  }

  /** The index, its patterns, what Logstash writes to, the template's and policy's names. */
  public IndexNames indexNames() {
    return new IndexNames(index, dataStream());
  }

  /** The rollover and deletion the user asked for, or null: indices are kept forever. */
  public io.logpipeline.operator.api.LifecycleSpec lifecycle() {
    return spec().getElasticsearch().getLifecycle();
  }

  /**
   * The index (or data stream) rejected documents go to: the spec's, else
   * {@code <index>_deadletter} ({@link IndexNames#derived}): no LogPipeline name has a '_', so no
   * default index of another pipeline (logs-<namespace>.<name>, say of a pipeline named
   * "app-deadletter" beside "app") is this one, nor falls under its patterns.
   */
  public String deadLetterIndex() {
    var deadLetters = spec().getIndexer() == null ? null : spec().getIndexer().getDeadLetters();
    if (deadLetters != null && !blank(deadLetters.getIndex())) {
      return deadLetters.getIndex();
    }
    String purpose = "deadletter";
    String base = Names.shorten(index, INDEX_MAX - IndexNames.DAILY_SEPARATOR.length() - purpose.length());
    return new IndexNames(base, dataStream()).derived(purpose);
  }

  /** The dead-letter index's names: daily indices or a data stream, as the main index. */
  public IndexNames deadLetterIndexNames() {
    return new IndexNames(deadLetterIndex(), dataStream());
  }

  /** Name of the dead-letter index template. */
  public String deadLetterTemplateName() {
    return deadLetterIndex();
  }

  /**
   * Kafka consumer group shared by this pipeline's Logstash replicas: unique, since a namespace
   * has no '.' and Kafka has no limit on a group's length.
   */
  public String consumerGroup() {
    return "logpipeline." + namespace() + "." + name();
  }

  /** The recommended labels of one component's objects. */
  public Map<String, String> labels(String component, String product) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, product);
    labels.put(LABEL_INSTANCE, instance);
    labels.put(LABEL_COMPONENT, component);
    labels.put(LABEL_PART_OF, "logpipeline");
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);
    return labels;
  }

  /** The labels a workload selects its pods by; never changes for a pipeline. */
  public Map<String, String> selectorLabels(String product) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, product);
    labels.put(LABEL_INSTANCE, instance);
    return labels;
  }

  /** Metadata of a namespaced object in the pipeline's namespace. */
  public ObjectMeta metadata(String name, String component, String product) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace())
        .withLabels(labels(component, product))
        .build();
  }

  /**
   * Defaults and checks the spec. Every problem found is reported, not only the first, so a user
   * fixes them in one round.
   */
  public static Pipeline resolve(LogPipeline lp) throws InvalidSpecException {
    List<SpecProblem> problems = new ArrayList<>();
    LogPipelineSpec spec = lp.getSpec();
    String ns = lp.getMetadata().getNamespace();
    String name = lp.getMetadata().getName();
    if (spec == null) {
      throw new InvalidSpecException(List.of(new SpecProblem("spec", "is required")));
    }
    if (spec instanceof UnreadableSpec unreadable) {
      throw new InvalidSpecException(unreadable.problems());
    }
    if (spec.getKafka() == null
        || (blank(spec.getKafka().getCluster()) && blank(spec.getKafka().getBootstrapServers()))) {
      problems.add(new SpecProblem(spec.getKafka() != null && spec.getKafka().getCluster() != null
          ? "spec.kafka.cluster" : "spec.kafka.bootstrapServers",
          "is required: set spec.kafka.cluster to the name of a Strimzi Kafka resource, or"
              + " spec.kafka.bootstrapServers to the address of any other Kafka"));
    }
    if (spec.getElasticsearch() == null || spec.getElasticsearch().getHosts() == null
        || spec.getElasticsearch().getHosts().isEmpty()) {
      problems.add(new SpecProblem("spec.elasticsearch.hosts",
          "is required: at least one URL such as https://es-http.elastic.svc:9200"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }

    var kafka = spec.getKafka();
    var topic = kafka.getTopic() != null ? kafka.getTopic() : new io.logpipeline.operator.api.TopicSpec();
    String kafkaNamespace = blank(kafka.getNamespace()) ? ns : kafka.getNamespace();
    String bootstrap = blank(kafka.getBootstrapServers())
        ? KafkaSecurity.strimziBootstrap(kafka.getCluster(), kafkaNamespace, kafka.getTls() != null)
        : kafka.getBootstrapServers().trim();
    String topicName = blank(topic.getName()) ? defaultTopicName(ns, name) : topic.getName();
    String index = blank(spec.getElasticsearch().getIndex())
        ? defaultIndex(ns, name)
        : spec.getElasticsearch().getIndex();

    problems.addAll(SpecRules.topic(topic, topicName));
    problems.addAll(SpecRules.topicConfig(topic, spec.getSources()));
    if (!blank(kafka.getCluster())) {
      problems.addAll(SpecRules.kafkaCluster(kafka.getCluster()));
    }
    problems.addAll(SpecRules.kafkaSecurity(kafka));
    problems.addAll(SpecRules.kafkaNamespace(blank(kafka.getNamespace()) ? null : kafka.getNamespace()));
    if (!blank(kafka.getBootstrapServers())) {
      problems.addAll(SpecRules.bootstrapServers(bootstrap));
    }
    List<URI> hosts = new ArrayList<>();
    problems.addAll(SpecRules.hosts(spec.getElasticsearch().getHosts(), hosts));
    problems.addAll(SpecRules.index(index));
    problems.addAll(SpecRules.elasticsearch(spec.getElasticsearch()));
    problems.addAll(LifecycleRules.problems(spec.getElasticsearch()));
    problems.addAll(SpecRules.sources(spec.getSources()));
    problems.addAll(SpecRules.shipper(spec.getShipper()));
    problems.addAll(SpecRules.indexer(spec.getIndexer()));
    problems.addAll(SpecRules.deadLetters(spec, index));
    problems.addAll(HealthSettings.problems(spec.getHealth()));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    List<SpecProblem> warnings = new ArrayList<>();
    warnings.addAll(SpecRules.topicWarnings(topicName));
    warnings.addAll(SpecRules.kafkaSecurityWarnings(kafka));
    warnings.addAll(SpecRules.selectorWarnings(spec.getSources()));
    warnings.addAll(SpecRules.templateWarnings(spec.getElasticsearch(), index));
    warnings.addAll(LifecycleRules.warnings(spec.getElasticsearch()));
    warnings.addAll(SpecRules.indexerWarnings(spec.getIndexer()));
    return new Pipeline(lp, Names.labelValue(name), topicName, topicResourceName(topicName),
        kafkaNamespace, bootstrap, SpecRules.retentionMs(topic.getRetention()), index,
        List.copyOf(hosts), List.copyOf(warnings));
  }

  /**
   * The pipeline as far as deletion needs it. A spec made invalid after provisioning must not
   * block deletion: names fall back to their defaults, hosts to those that parse (possibly none,
   * and then the index template cannot be reached).
   */
  public static Pipeline forCleanup(LogPipeline lp) {
    try {
      return resolve(lp);
    } catch (InvalidSpecException e) {
      String ns = lp.getMetadata().getNamespace();
      String name = lp.getMetadata().getName();
      LogPipelineSpec spec = lp.getSpec() == null ? new LogPipelineSpec() : lp.getSpec();
      var kafka = spec.getKafka() == null ? new io.logpipeline.operator.api.KafkaSpec() : spec.getKafka();
      String topicName = kafka.getTopic() != null && kafka.getTopic().getName() != null
          && TOPIC.matcher(kafka.getTopic().getName()).matches()
          ? kafka.getTopic().getName() : defaultTopicName(ns, name);
      String kafkaNamespace = blank(kafka.getNamespace()) ? ns : kafka.getNamespace();
      List<URI> hosts = new ArrayList<>();
      var es = spec.getElasticsearch();
      if (es != null && es.getHosts() != null) {
        SpecRules.hosts(es.getHosts(), hosts); // keeps the hosts that parse; problems do not matter here
      }
      String index = es != null && es.getIndex() != null && INDEX.matcher(es.getIndex()).matches()
          ? es.getIndex() : defaultIndex(ns, name);
      // External topics are deleted through the bootstrap address: keep it when it is there.
      String bootstrap = blank(kafka.getBootstrapServers()) ? "" : kafka.getBootstrapServers().trim();
      return new Pipeline(lp, Names.labelValue(name), topicName, topicResourceName(topicName),
          kafkaNamespace, bootstrap, 0, index, List.copyOf(hosts), List.of());
    }
  }

  /**
   * KafkaTopic metadata.name for a Kafka topic name: the name itself when it is a DNS-1123
   * subdomain, else a lowercase form with a hash, the Kafka name then going to spec.topicName.
   */
  static String topicResourceName(String topicName) {
    if (topicName.length() <= Names.SUBDOMAIN_MAX && SUBDOMAIN.matcher(topicName).matches()) {
      return topicName;
    }
    List<String> labels = new ArrayList<>();
    for (String label : topicName.toLowerCase(java.util.Locale.ROOT).split("\\.")) {
      String clean = label.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "").replaceAll("-+$", "");
      if (!clean.isEmpty()) {
        labels.add(clean);
      }
    }
    String clean = String.join(".", labels);
    if (clean.length() > 200) {
      clean = clean.substring(0, 200).replaceAll("[.-]+$", "");
    }
    String hash = Names.hash(topicName, 8);
    return clean.isEmpty() ? "topic-" + hash : clean + "-" + hash;
  }

  /** logs.<namespace>.<name>, shortened with a hash when longer than Kafka allows. */
  static String defaultTopicName(String ns, String name) {
    return Names.shorten("logs." + ns + "." + name, TOPIC_MAX);
  }

  /**
   * logs-<namespace>.<name>, shortened with a hash when longer than an index name may be. The
   * '.' keeps it unique: no namespace has one, while a '-' would let team-a/logs and team/a-logs
   * share an index and its template.
   */
  static String defaultIndex(String ns, String name) {
    return Names.shorten("logs-" + ns + "." + name, INDEX_MAX);
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
