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
import java.util.regex.Matcher;
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
    List<URI> hosts) {

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

  private static final Pattern RETENTION = Pattern.compile("^([0-9]+)(ms|s|m|h|d|w)$");
  private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");
  private static final Pattern INDEX = Pattern.compile("^[a-z0-9][a-z0-9._-]*$");
  private static final Pattern BOOTSTRAP =
      Pattern.compile("^[A-Za-z0-9.-]+:[0-9]{1,5}(\\s*,\\s*[A-Za-z0-9.-]+:[0-9]{1,5})*$");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  /**
   * Longest index name: 255 bytes less the daily suffix "-YYYY.MM.DD" (11) or a data stream's
   * backing index ".ds-<name>-YYYY.MM.DD-000001" (22).
   */
  static final int INDEX_MAX = 230;
  private static final int TOPIC_MAX = 249;

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
    String full = "logpipeline:" + namespace() + ":" + name() + ":filebeat";
    if (full.length() <= Names.SUBDOMAIN_MAX) {
      return full;
    }
    String hash = Names.hash(namespace() + "/" + name(), 8);
    String tail = "-" + hash + ":filebeat";
    return full.substring(0, Names.SUBDOMAIN_MAX - tail.length()) + tail;
  }

  /** Name of the Logstash ConfigMap, Deployment and Service. */
  public String indexerName() {
    return Names.child(name(), "logstash", Names.WORKLOAD_NAME_MAX);
  }

  /** Name of the index template. */
  public String templateName() {
    return index;
  }

  /** Kafka consumer group shared by this pipeline's Logstash replicas. */
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
    if (spec.getKafka() == null || blank(spec.getKafka().getCluster())) {
      problems.add(new SpecProblem("spec.kafka.cluster",
          "is required: the name of the Strimzi Kafka resource that holds the topic"));
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
        ? kafka.getCluster() + "-kafka-bootstrap." + kafkaNamespace + ".svc:9092"
        : kafka.getBootstrapServers().trim();
    String topicName = blank(topic.getName()) ? defaultTopicName(ns, name) : topic.getName();
    if (!TOPIC.matcher(topicName).matches() || topicName.equals(".") || topicName.equals("..")) {
      problems.add(new SpecProblem("spec.kafka.topic.name", "'" + topicName
          + "' is not a Kafka topic name: use 1 to 249 letters, digits, '.', '_' or '-'"));
    }
    if (topic.getPartitions() < 1) {
      problems.add(new SpecProblem("spec.kafka.topic.partitions", "must be at least 1"));
    }
    if (topic.getReplicas() < 1 || topic.getReplicas() > 32767) {
      problems.add(new SpecProblem("spec.kafka.topic.replicas", "must be between 1 and 32767"));
    }
    if (!blank(kafka.getBootstrapServers()) && !BOOTSTRAP.matcher(bootstrap).matches()) {
      problems.add(new SpecProblem("spec.kafka.bootstrapServers", "'" + bootstrap
          + "' is not a bootstrap address: use host:port, comma-separated for several"));
    }
    long retentionMs = 0;
    Matcher m = RETENTION.matcher(Objects.requireNonNullElse(topic.getRetention(), "7d"));
    if (m.matches() && Long.parseLong(m.group(1)) == 0) {
      problems.add(new SpecProblem("spec.kafka.topic.retention",
          "must be longer than 0: events would be deleted as soon as they arrive"));
    } else if (m.matches()) {
      retentionMs = toMillis(Long.parseLong(m.group(1)), m.group(2));
    } else {
      problems.add(new SpecProblem("spec.kafka.topic.retention", "'" + topic.getRetention()
          + "' is not a duration: use a number and a unit (ms, s, m, h, d, w), e.g. 7d"));
    }

    List<URI> hosts = new ArrayList<>();
    List<String> hostSpecs = spec.getElasticsearch().getHosts();
    for (int i = 0; i < hostSpecs.size(); i++) {
      String h = hostSpecs.get(i);
      if (h != null && h.contains("@")) {
        // Never echo it: the part before '@' is likely a password.
        problems.add(new SpecProblem("spec.elasticsearch.hosts[" + i + "]", "must not contain"
            + " credentials: put them in a Secret named by spec.elasticsearch.credentialsSecret"));
        continue;
      }
      try {
        URI uri = URI.create(h == null ? "" : h.trim());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null || h.contains("\"") || h.contains("\\")) {
          throw new IllegalArgumentException();
        }
        hosts.add(uri);
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem("spec.elasticsearch.hosts[" + i + "]", "'" + h
            + "' is not a URL: use http(s)://host:port, e.g. https://es-http.elastic.svc:9200"));
      }
    }
    String index = blank(spec.getElasticsearch().getIndex())
        ? defaultIndex(ns, name)
        : spec.getElasticsearch().getIndex();
    if (!INDEX.matcher(index).matches()) {
      problems.add(new SpecProblem("spec.elasticsearch.index", "'" + index
          + "' is not an index name: use lowercase letters, digits, '.', '_' or '-', starting"
          + " with a letter or digit"));
    } else if (index.length() > INDEX_MAX) {
      problems.add(new SpecProblem("spec.elasticsearch.index", "is " + index.length()
          + " characters long; at most " + INDEX_MAX + " leave room for the date suffix or the"
          + " data stream's backing index names within the 255 bytes an index name may have"));
    }
    var creds = spec.getElasticsearch().getCredentialsSecret();
    if (creds != null && IndexerModel.usesApiKey(creds)
        && spec.getElasticsearch().getFlavor() == Flavor.OPENSEARCH) {
      problems.add(new SpecProblem("spec.elasticsearch.credentialsSecret.apiKeyKey",
          "API keys are an Elasticsearch feature: with flavor opensearch use usernameKey and passwordKey"));
    }
    problems.addAll(sourceProblems(spec.getSources()));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    return new Pipeline(lp, Names.labelValue(name), topicName, topicResourceName(topicName),
        kafkaNamespace, bootstrap, retentionMs, index, List.copyOf(hosts));
  }

  private static List<SpecProblem> sourceProblems(io.logpipeline.operator.api.SourcesSpec sources) {
    List<SpecProblem> problems = new ArrayList<>();
    if (sources == null) {
      return problems;
    }
    if (sources.getPodSelector() != null && sources.getPodSelector().getMatchExpressions() != null) {
      var expressions = sources.getPodSelector().getMatchExpressions();
      for (int i = 0; i < expressions.size(); i++) {
        var e = expressions.get(i);
        String field = "spec.sources.podSelector.matchExpressions[" + i + "]";
        String op = e.getOperator();
        int values = e.getValues() == null ? 0 : e.getValues().size();
        if (e.getKey() == null || e.getKey().isBlank()) {
          problems.add(new SpecProblem(field + ".key", "is required: a label key"));
        }
        if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
          problems.add(new SpecProblem(field + ".operator",
              "'" + op + "' is not an operator: use In, NotIn, Exists or DoesNotExist"));
        } else if ((op.equals("In") || op.equals("NotIn")) && values == 0) {
          problems.add(new SpecProblem(field + ".values", "must not be empty for operator " + op));
        } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && values > 0) {
          problems.add(new SpecProblem(field + ".values", "must be empty for operator " + op));
        }
      }
    }
    var multiline = sources.getMultiline();
    if (multiline != null) {
      if (multiline.getPattern() == null || multiline.getPattern().isEmpty()) {
        problems.add(new SpecProblem("spec.sources.multiline.pattern",
            "is required: a regular expression, e.g. '^\\s' for indented lines"));
      }
      if (multiline.getMatch() != null && !List.of("after", "before").contains(multiline.getMatch())) {
        problems.add(new SpecProblem("spec.sources.multiline.match",
            "'" + multiline.getMatch() + "' is not accepted: use after or before"));
      }
    }
    return problems;
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
        for (String h : es.getHosts()) {
          try {
            URI uri = URI.create(h.trim());
            if (uri.getHost() != null) {
              hosts.add(uri);
            }
          } catch (RuntimeException ignored) {
            // an unparsable host cannot be cleaned up
          }
        }
      }
      String index = es != null && es.getIndex() != null && INDEX.matcher(es.getIndex()).matches()
          ? es.getIndex() : defaultIndex(ns, name);
      return new Pipeline(lp, Names.labelValue(name), topicName, topicResourceName(topicName),
          kafkaNamespace, "", 0, index, List.copyOf(hosts));
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
    String full = "logs." + ns + "." + name;
    if (full.length() <= TOPIC_MAX) {
      return full;
    }
    String hash = Names.hash(full, 8);
    return full.substring(0, TOPIC_MAX - hash.length() - 1).replaceAll("[.]+$", "") + "-" + hash;
  }

  /** logs-<namespace>-<name>, shortened with a hash when longer than an index name may be. */
  static String defaultIndex(String ns, String name) {
    String full = "logs-" + ns + "-" + name;
    if (full.length() <= INDEX_MAX) {
      return full;
    }
    String hash = Names.hash(full, 8);
    return full.substring(0, INDEX_MAX - hash.length() - 1).replaceAll("[.-]+$", "") + "-" + hash;
  }

  private static long toMillis(long n, String unit) {
    return switch (unit) {
      case "ms" -> n;
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      case "d" -> n * 86_400_000L;
      case "w" -> n * 604_800_000L;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
