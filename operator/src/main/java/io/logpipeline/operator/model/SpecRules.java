package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.Flavor;
import io.fabric8.kubernetes.api.model.Quantity;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.PersistentQueueSpec;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.logstash.LogstashParser;
import io.logpipeline.operator.logstash.LogstashSyntaxException;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a LogPipeline spec must follow beyond what the CRD schema can express, each naming
 * the field and what would be accepted. Pure: cluster facts (Secrets, the Kafka cluster, the
 * existing topic) are checked by the reconciler.
 */
final class SpecRules {

  /** As the CRD has it: at most 9 digits, so retention.ms never overflows. */
  private static final Pattern RETENTION = Pattern.compile("^([1-9][0-9]{0,8})(ms|s|m|h|d|w)$");
  private static final Pattern ZERO = Pattern.compile("^0+(ms|s|m|h|d|w)$");
  private static final Pattern AUTHORITY =
      Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
  private static final Pattern BOOTSTRAP =
      Pattern.compile("^[A-Za-z0-9.-]+:[0-9]{1,5}(\\s*,\\s*[A-Za-z0-9.-]+:[0-9]{1,5})*$");

  private SpecRules() {}

  static List<SpecProblem> topic(TopicSpec topic, String topicName) {
    List<SpecProblem> problems = new ArrayList<>();
    if (!Pipeline.TOPIC.matcher(topicName).matches()) {
      problems.add(new SpecProblem("spec.kafka.topic.name", "'" + excerpt(topicName)
          + "' is not a Kafka topic name: use 1 to 249 letters, digits, '.', '_' or '-'"));
    } else if (topicName.equals(".") || topicName.equals("..")) {
      problems.add(new SpecProblem("spec.kafka.topic.name",
          "'" + topicName + "' is reserved by Kafka: use letters or digits too"));
    }
    if (topic.getPartitions() < 1) {
      problems.add(new SpecProblem("spec.kafka.topic.partitions", "must be at least 1"));
    }
    if (topic.getReplicas() < 1 || topic.getReplicas() > 32767) {
      problems.add(new SpecProblem("spec.kafka.topic.replicas", "must be between 1 and 32767"));
    }
    String retention = Objects.requireNonNullElse(topic.getRetention(), "7d");
    if (ZERO.matcher(retention).matches()) {
      problems.add(new SpecProblem("spec.kafka.topic.retention",
          "must be longer than 0: events would be deleted as soon as they arrive"));
    } else if (!RETENTION.matcher(retention).matches()) {
      problems.add(new SpecProblem("spec.kafka.topic.retention", "'" + excerpt(retention)
          + "' is not a duration: use a number of at most 9 digits and a unit (ms, s, m, h, d, w),"
          + " e.g. 7d"));
    }
    return problems;
  }

  /** A Kubernetes-style byte quantity as retentionBytes takes it: digits and a unit. */
  private static final Pattern BYTES = Pattern.compile("^([1-9][0-9]{0,15})(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$");

  /**
   * The topic config keys the operator derives other settings from, and retentionBytes: each
   * must parse, and hold together with the replicas and the size chain ({@link MessageSizes}).
   * Kafka itself accepts a min.insync.replicas above the replication factor, and then refuses
   * every acks=all write.
   */
  static List<SpecProblem> topicConfig(TopicSpec topic, SourcesSpec sources) {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, String> config = Objects.requireNonNullElse(topic.getConfig(), Map.of());
    String minInsync = config.get(BufferModel.MIN_INSYNC_REPLICAS);
    if (minInsync != null) {
      String field = "spec.kafka.topic.config." + BufferModel.MIN_INSYNC_REPLICAS;
      Long value = integer(minInsync);
      if (value == null || value < 1) {
        problems.add(new SpecProblem(field, "'" + excerpt(minInsync) + "' is not a number of replicas:"
            + " use 1 to " + topic.getReplicas()));
      } else if (value > topic.getReplicas()) {
        problems.add(new SpecProblem(field, "is " + value + " but the topic has "
            + topic.getReplicas() + (topic.getReplicas() == 1 ? " replica" : " replicas")
            + ", so Kafka would refuse every write acknowledged by all"
            + " in-sync replicas: use at most " + topic.getReplicas() + " (default: replicas - 1)"));
      }
    }
    boolean json = sources != null && sources.isJson();
    int minTopicBytes = MessageSizes.minTopicBytes(json);
    String maxMessage = config.get(MessageSizes.TOPIC_CONFIG);
    long topicBytes = MessageSizes.DEFAULT_TOPIC_BYTES;
    if (maxMessage != null) {
      String field = "spec.kafka.topic.config." + MessageSizes.TOPIC_CONFIG;
      Long value = integer(maxMessage);
      if (value == null || value > Integer.MAX_VALUE) {
        problems.add(new SpecProblem(field, "'" + excerpt(maxMessage) + "' is not a size in bytes:"
            + " use a number from " + minTopicBytes + " to " + Integer.MAX_VALUE));
      } else if (value < minTopicBytes) {
        problems.add(new SpecProblem(field, "is " + value + "; at least " + minTopicBytes
            + " leave room for a line of " + MessageSizes.MIN_LINE_BYTES + " bytes once Filebeat has"
            + " encoded it as JSON" + (json ? " twice (spec.sources.json keeps the line and its fields)" : "")
            + " with its metadata; below that, long lines would be dropped instead of truncated"));
      } else {
        topicBytes = value;
      }
    }
    String retentionBytes = topic.getRetentionBytes();
    if (retentionBytes != null && !retentionBytes.isEmpty()) {
      String field = "spec.kafka.topic.retentionBytes";
      Long value = BYTES.matcher(retentionBytes).matches() ? bytesOrNull(retentionBytes) : null;
      if (value == null) {
        problems.add(new SpecProblem(field, "'" + excerpt(retentionBytes) + "' is not a size: use a"
            + " number and an optional unit (Ki, Mi, Gi, Ti, Pi, k, M, G, T, P), e.g. 50Gi"));
      } else if (value < topicBytes) {
        problems.add(new SpecProblem(field, "is " + value + " bytes, less than one batch of the"
            + " topic (max.message.bytes " + topicBytes + "): use at least " + topicBytes
            + ", e.g. 50Gi"));
      }
    }
    return problems;
  }

  /** Bytes of a valid retentionBytes quantity. */
  static long bytes(String quantity) {
    Long value = bytesOrNull(quantity);
    if (value == null) {
      throw new IllegalArgumentException("not a validated size: " + quantity);
    }
    return value;
  }

  private static Long bytesOrNull(String quantity) {
    Matcher m = BYTES.matcher(quantity);
    if (!m.matches()) {
      return null;
    }
    long unit = switch (Objects.requireNonNullElse(m.group(2), "")) {
      case "" -> 1L;
      case "k" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      case "T" -> 1_000_000_000_000L;
      case "P" -> 1_000_000_000_000_000L;
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "Pi" -> 1L << 50;
      default -> throw new IllegalArgumentException(m.group(2));
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** A decimal integer as Kafka parses its config values, or null. */
  private static Long integer(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** retention.ms of a valid retention such as {@code 7d}. */
  static long retentionMs(String retention) {
    Matcher m = RETENTION.matcher(Objects.requireNonNullElse(retention, "7d"));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a validated retention: " + retention);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      case "d" -> n * 86_400_000L;
      case "w" -> n * 604_800_000L;
      default -> throw new IllegalArgumentException(m.group(2));
    };
  }

  /** The Strimzi Kafka name becomes a label value: a DNS label of at most 63 characters. */
  static List<SpecProblem> kafkaCluster(String cluster) {
    if (DNS_LABEL.matcher(cluster).matches()) {
      return List.of();
    }
    return List.of(new SpecProblem("spec.kafka.cluster", "'" + excerpt(cluster) + "' is not the"
        + " name of a Strimzi Kafka: lowercase letters, digits and '-', at most 63"));
  }

  /** The Kafka namespace must be a namespace name. */
  static List<SpecProblem> kafkaNamespace(String namespace) {
    if (namespace == null || DNS_LABEL.matcher(namespace).matches()) {
      return List.of();
    }
    return List.of(new SpecProblem("spec.kafka.namespace", "'" + excerpt(namespace)
        + "' is not a namespace name: lowercase letters, digits and '-', at most 63"));
  }

  static List<SpecProblem> bootstrapServers(String bootstrap) {
    if (BOOTSTRAP.matcher(bootstrap).matches()) {
      return List.of();
    }
    return List.of(new SpecProblem("spec.kafka.bootstrapServers", "'" + excerpt(bootstrap)
        + "' is not a bootstrap address: use host:port, comma-separated for several"));
  }

  /**
   * TLS and authentication: what each Kafka mode needs and refuses. Strimzi makes the users and
   * their Secrets, so naming Secrets there is a mistake; any other Kafka needs them named.
   */
  static List<SpecProblem> kafkaSecurity(KafkaSpec kafka) {
    List<SpecProblem> problems = new ArrayList<>();
    boolean strimzi = kafka.getCluster() != null && !kafka.getCluster().isBlank();
    KafkaAuthenticationSpec auth = kafka.getAuthentication();
    KafkaAuthenticationType type = auth == null || auth.getType() == null
        ? KafkaAuthenticationType.NONE : auth.getType();
    String base = "spec.kafka.authentication";
    if (type == KafkaAuthenticationType.AWS_MSK_IAM) {
      problems.add(new SpecProblem(base + ".type", "aws-msk-iam cannot be used: Logstash could"
          + " (AWS_MSK_IAM, kafka integration 11.6.1+), but the shipper, Filebeat, offers only the"
          + " SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 and could not connect; turn on"
          + " SASL/SCRAM (scram-sha-512) or TLS client authentication (tls) on the MSK cluster"));
      return problems;
    }
    if (type == KafkaAuthenticationType.TLS && kafka.getTls() == null) {
      problems.add(new SpecProblem(base + ".type", "tls authentication needs spec.kafka.tls:"
          + " client certificates are only exchanged over TLS"));
    }
    if (kafka.getTls() != null && kafka.getTls().getCaSecret() != null
        && (kafka.getTls().getCaSecret().getName() == null || kafka.getTls().getCaSecret().getName().isBlank())) {
      problems.add(new SpecProblem("spec.kafka.tls.caSecret.name", "is required: the Secret with the CA certificate"));
    }
    if (strimzi) {
      if (auth != null && auth.getShipperSecret() != null) {
        problems.add(new SpecProblem(base + ".shipperSecret", "is for an external Kafka: with"
            + " Strimzi the operator creates the shipper's KafkaUser and its Secret; remove it"));
      }
      if (auth != null && auth.getIndexerSecret() != null) {
        problems.add(new SpecProblem(base + ".indexerSecret", "is for an external Kafka: with"
            + " Strimzi the operator creates the indexer's KafkaUser and its Secret; remove it"));
      }
      if (kafka.getAdminSecret() != null) {
        problems.add(new SpecProblem("spec.kafka.adminSecret", "is for an external Kafka: with"
            + " Strimzi the Topic Operator manages the topic; remove it"));
      }
      return problems;
    }
    if (type != KafkaAuthenticationType.NONE) {
      credentials(problems, base + ".shipperSecret", auth.getShipperSecret(), "the shipper's (Filebeat's)");
      credentials(problems, base + ".indexerSecret", auth.getIndexerSecret(), "the indexer's (Logstash's)");
      credentials(problems, "spec.kafka.adminSecret", kafka.getAdminSecret(), "the operator's (to manage the topic)");
    }
    return problems;
  }

  private static void credentials(List<SpecProblem> problems, String field, KafkaCredentialsRef ref, String whose) {
    if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
      problems.add(new SpecProblem(field + (ref == null ? "" : ".name"), "is required with an"
          + " external Kafka and authentication: the Secret in this namespace with " + whose
          + " credentials"));
    }
  }

  /** SCRAM over plaintext: legal (Strimzi's plain listener allows it), but the logs travel in clear. */
  static List<SpecProblem> kafkaSecurityWarnings(KafkaSpec kafka) {
    var auth = kafka.getAuthentication();
    if (auth != null && auth.getType() == KafkaAuthenticationType.SCRAM_SHA_512 && kafka.getTls() == null) {
      return List.of(new SpecProblem("spec.kafka.tls", "is not set: with scram-sha-512 over"
          + " plaintext the password is not sent, but every log line crosses the network unencrypted"));
    }
    return List.of();
  }

  /** Checks the hosts and adds the valid ones to {@code parsed}. */
  static List<SpecProblem> hosts(List<String> hostSpecs, List<URI> parsed) {
    List<SpecProblem> problems = new ArrayList<>();
    if (hostSpecs.size() > 16) {
      problems.add(new SpecProblem("spec.elasticsearch.hosts", "has " + hostSpecs.size()
          + " entries; at most 16"));
    }
    for (int i = 0; i < hostSpecs.size(); i++) {
      String h = hostSpecs.get(i);
      String field = "spec.elasticsearch.hosts[" + i + "]";
      if (h != null && h.contains("@")) {
        // Never echo it: the part before '@' is likely a password.
        problems.add(new SpecProblem(field, "must not contain credentials: put them in a Secret"
            + " named by spec.elasticsearch.credentialsSecret"));
        continue;
      }
      try {
        URI uri = URI.create(h == null ? "" : h.trim());
        // java.net.URI leaves the host empty when its last label starts with a digit
        // (es-http.0logs), which DNS allows; the authority is checked by hand then.
        boolean hostOk = uri.getHost() != null
            || (uri.getRawAuthority() != null && AUTHORITY.matcher(uri.getRawAuthority()).matches());
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || !hostOk || h.contains("\"") || h.contains("\\")) {
          throw new IllegalArgumentException();
        }
        parsed.add(uri);
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem(field, "'" + excerpt(h)
            + "' is not a URL: use http(s)://host:port, e.g. https://es-http.elastic.svc:9200"));
      }
    }
    return problems;
  }

  static List<SpecProblem> index(String index) {
    if (!Pipeline.INDEX.matcher(index).matches()) {
      return List.of(new SpecProblem("spec.elasticsearch.index", "'" + excerpt(index)
          + "' is not an index name: use lowercase letters, digits, '.', '_' or '-', starting"
          + " with a letter or digit (no *, ?, \", <, >, |, space, ',' or #)"));
    }
    if (index.length() > Pipeline.INDEX_MAX) {
      return List.of(new SpecProblem("spec.elasticsearch.index", "is " + index.length()
          + " characters long; at most " + Pipeline.INDEX_MAX + " leave room for the date suffix"
          + " or the data stream's backing index names within the 255 bytes of an index name"));
    }
    return List.of();
  }

  static List<SpecProblem> elasticsearch(ElasticsearchSpec es) {
    List<SpecProblem> problems = new ArrayList<>();
    var creds = es.getCredentialsSecret();
    if (creds != null && (creds.getName() == null || creds.getName().isBlank())) {
      problems.add(new SpecProblem("spec.elasticsearch.credentialsSecret.name",
          "is required: the Secret with the credentials"));
    }
    if (es.getTls() != null && es.getTls().getCaSecret() != null
        && (es.getTls().getCaSecret().getName() == null || es.getTls().getCaSecret().getName().isBlank())) {
      problems.add(new SpecProblem("spec.elasticsearch.tls.caSecret.name",
          "is required: the Secret with the CA certificate"));
    }
    var template = es.getTemplate();
    if (template != null) {
      range(problems, "spec.elasticsearch.template.shards", template.getShards(), 1, 1024);
      range(problems, "spec.elasticsearch.template.replicas", template.getReplicas(), 0, 32);
      range(problems, "spec.elasticsearch.template.priority", template.getPriority(), 0, Integer.MAX_VALUE);
    }
    problems.addAll(apiKey(es));
    return problems;
  }

  private static void range(List<SpecProblem> problems, String field, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(new SpecProblem(field, "is " + value + "; use "
          + (max == Integer.MAX_VALUE ? min + " or more" : min + " to " + max)));
    }
  }

  private static List<SpecProblem> apiKey(ElasticsearchSpec es) {
    var creds = es.getCredentialsSecret();
    if (creds != null && IndexerModel.usesApiKey(creds) && es.getFlavor() == Flavor.OPENSEARCH) {
      return List.of(new SpecProblem("spec.elasticsearch.credentialsSecret.apiKeyKey",
          "API keys are an Elasticsearch feature: with flavor opensearch use usernameKey and passwordKey"));
    }
    List<SpecProblem> problems = new ArrayList<>();
    List<String> schemes = schemes(es.getHosts());
    if (creds != null && IndexerModel.usesApiKey(creds)) {
      // logstash-output-elasticsearch, validate_authentication: "Using api_key authentication
      // requires SSL/TLS secured communication", a ConfigurationError when the plugin registers.
      for (int i = 0; i < schemes.size(); i++) {
        if ("http".equals(schemes.get(i))) {
          problems.add(new SpecProblem("spec.elasticsearch.hosts[" + i + "]", "'"
              + excerpt(es.getHosts().get(i)) + "' is plain http, but spec.elasticsearch"
              + ".credentialsSecret.apiKeyKey is set: Logstash sends an API key only over TLS and"
              + " would refuse to start; use https://, or usernameKey and passwordKey"));
        }
      }
      return problems;
    }
    // The output turns TLS on for all hosts once one is https, and then refuses an http one:
    // "SSL option was explicitly set to true but a URL was also declared with a scheme of 'http'".
    if (schemes.contains("https")) {
      for (int i = 0; i < schemes.size(); i++) {
        if ("http".equals(schemes.get(i))) {
          problems.add(new SpecProblem("spec.elasticsearch.hosts[" + i + "]", "'"
              + excerpt(es.getHosts().get(i)) + "' is http while other hosts are https: Logstash"
              + " uses TLS for all hosts or for none and would refuse to start; use one scheme"));
        }
      }
    }
    return problems;
  }

  /** The scheme of each host, null for one that is no URL (reported by {@link #hosts}). */
  private static List<String> schemes(List<String> hosts) {
    List<String> schemes = new ArrayList<>();
    for (String h : Objects.requireNonNullElse(hosts, List.<String>of())) {
      List<URI> parsed = new ArrayList<>();
      schemes.add(hosts(java.util.Collections.singletonList(h), parsed).isEmpty() && !parsed.isEmpty()
          ? parsed.get(0).getScheme() : null);
    }
    return schemes;
  }

  static List<SpecProblem> indexer(IndexerSpec indexer) {
    List<SpecProblem> problems = new ArrayList<>();
    if (indexer == null) {
      return problems;
    }
    range(problems, "spec.indexer.replicas", indexer.getReplicas(), 0, 1000);
    range(problems, "spec.indexer.pipelineWorkers", indexer.getPipelineWorkers(), 0, 256);
    range(problems, "spec.indexer.batchSize", indexer.getBatchSize(), 1, 100_000);
    problems.addAll(resources("spec.indexer.resources", indexer.getResources()));
    problems.addAll(persistentQueue(indexer.getPersistentQueue()));
    if (indexer.getFilter() != null && !indexer.getFilter().isBlank()) {
      try {
        LogstashParser.parseFilterBody(indexer.getFilter());
      } catch (LogstashSyntaxException e) {
        problems.add(new SpecProblem("spec.indexer.filter", e.getMessage()));
      }
    }
    return problems;
  }

  static List<SpecProblem> shipper(ShipperSpec shipper) {
    return shipper == null ? List.of() : resources("spec.shipper.resources", shipper.getResources());
  }

  /**
   * The API server takes any text for a quantity in a CRD (its schema says int-or-string); the
   * kubelet would refuse the pod, and the heap size is computed from it.
   */
  static List<SpecProblem> resources(String field, ResourceRequirements resources) {
    List<SpecProblem> problems = new ArrayList<>();
    if (resources == null) {
      return problems;
    }
    Map<String, Map<String, Quantity>> kinds = new java.util.LinkedHashMap<>();
    kinds.put("limits", resources.getLimits());
    kinds.put("requests", resources.getRequests());
    kinds.forEach((kind, quantities) -> {
      if (quantities == null) {
        return;
      }
      quantities.forEach((name, quantity) -> {
        String text = quantity == null ? "null" : quantity.toString();
        boolean ok;
        try {
          ok = quantity != null && Quantity.getAmountInBytes(quantity).signum() >= 0;
        } catch (RuntimeException e) {
          ok = false;
        }
        if (!ok) {
          problems.add(new SpecProblem(field + "." + kind + "." + name, "'" + excerpt(text)
              + "' is not a quantity: use a number with an optional suffix, e.g. 512Mi, 2Gi or 500m"));
        }
      });
    });
    return problems;
  }

  /** As the CRD has it: a size in bytes with an optional binary or decimal suffix. */
  private static final Pattern SIZE = Pattern.compile("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$");

  static List<SpecProblem> persistentQueue(PersistentQueueSpec queue) {
    if (queue == null || !queue.isEnabled()) {
      return List.of();
    }
    String field = "spec.indexer.persistentQueue.size";
    String size = Objects.requireNonNullElse(queue.getSize(), PersistentQueueSpec.DEFAULT_SIZE);
    if (!SIZE.matcher(size).matches()) {
      return List.of(new SpecProblem(field, "'" + excerpt(size) + "' is not a size: use a number"
          + " of bytes with a suffix such as Gi, e.g. 8Gi"));
    }
    long mib = Quantity.getAmountInBytes(new Quantity(size)).longValue() >> 20;
    if (mib < IndexerModel.QueueSizing.MIN_VOLUME_MIB) {
      return List.of(new SpecProblem(field, "is " + size + ": Logstash needs at least 1Gi, for"
          + " queue pages of 64mb, the dead letter queue and the dead-letter pipeline's queue"));
    }
    return List.of();
  }

  /**
   * The dead-letter index must be neither the index nor under its pattern (index_2* for daily
   * indices, the name itself for a data stream), and the index must not be under the
   * dead-letter index's: either would mix rejected documents with the others, or make two
   * templates of one priority match the same indices.
   */
  static List<SpecProblem> deadLetters(io.logpipeline.operator.api.LogPipelineSpec spec, String index) {
    var indexer = spec.getIndexer();
    var deadLetters = indexer == null ? null : indexer.getDeadLetters();
    if (deadLetters == null || !deadLetters.isEnabled() || deadLetters.getIndex() == null
        || deadLetters.getIndex().isBlank()) {
      return List.of();
    }
    String field = "spec.indexer.deadLetters.index";
    String dl = deadLetters.getIndex();
    if (!Pipeline.INDEX.matcher(dl).matches() || dl.length() > Pipeline.INDEX_MAX) {
      return List.of(new SpecProblem(field, "'" + excerpt(dl) + "' is not an index name: use at most "
          + Pipeline.INDEX_MAX + " lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"));
    }
    boolean dataStream = spec.getElasticsearch().getTemplate() != null
        && spec.getElasticsearch().getTemplate().isDataStream();
    String daily = IndexNames.DAILY_SEPARATOR + "2";
    if (dl.equals(index) || (!dataStream && (dl.startsWith(index + daily) || index.startsWith(dl + daily)))) {
      return List.of(new SpecProblem(field, "'" + excerpt(dl) + "' collides with the index '"
          + excerpt(index) + "' (its indices would match both templates): choose a name that neither"
          + " equals nor starts with '" + excerpt(index) + daily + "', e.g. " + excerpt(index) + "_deadletter"));
    }
    return List.of();
  }

  static List<SpecProblem> sources(SourcesSpec sources) {
    List<SpecProblem> problems = new ArrayList<>();
    if (sources == null) {
      return problems;
    }
    LabelSelector selector = sources.getPodSelector();
    if (selector != null && selector.getMatchExpressions() != null) {
      var expressions = selector.getMatchExpressions();
      for (int i = 0; i < expressions.size(); i++) {
        LabelSelectorRequirement e = expressions.get(i);
        String field = "spec.sources.podSelector.matchExpressions[" + i + "]";
        String op = e.getOperator();
        int values = e.getValues() == null ? 0 : e.getValues().size();
        if (e.getKey() == null || e.getKey().isBlank()) {
          problems.add(new SpecProblem(field + ".key", "is required: a label key"));
        }
        if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(op)) {
          problems.add(new SpecProblem(field + ".operator",
              "'" + excerpt(op) + "' is not an operator: use In, NotIn, Exists or DoesNotExist"));
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
            "is required: a regular expression, e.g. '^\\\\s' for indented lines"));
      } else {
        re2(multiline.getPattern()).ifPresent(p ->
            problems.add(new SpecProblem("spec.sources.multiline.pattern", p)));
      }
      if (multiline.getMatch() != null && !List.of("after", "before").contains(multiline.getMatch())) {
        problems.add(new SpecProblem("spec.sources.multiline.match",
            "'" + excerpt(multiline.getMatch()) + "' is not accepted: use after or before"));
      }
    }
    return problems;
  }

  /**
   * Filebeat compiles its patterns with Go's regexp package (RE2 syntax) when it starts, and does
   * not start when one fails; RE2J follows the same syntax and gives Go's messages.
   */
  static java.util.Optional<String> re2(String pattern) {
    try {
      com.google.re2j.Pattern.compile(pattern);
      return java.util.Optional.empty();
    } catch (com.google.re2j.PatternSyntaxException e) {
      String why = String.valueOf(e.getMessage()).replaceFirst("^error parsing regexp: ", "");
      boolean perl = List.of("invalid or unsupported Perl syntax", "invalid escape sequence",
          "invalid nested repetition operator").contains(e.getDescription());
      return java.util.Optional.of("'" + excerpt(pattern) + "' is not a regular expression Filebeat"
          + " accepts (Go's RE2 syntax): " + why + (perl ? " (RE2 has no lookaround, backreferences"
          + " or possessive quantifiers)" : "") + "; Filebeat would not start");
    }
  }

  /**
   * Kafka turns '.' into '_' in metric names, so topics that differ only there collide; Kafka
   * itself warns when a name mixes both.
   */
  static List<SpecProblem> topicWarnings(String topicName) {
    if (topicName.contains(".") && topicName.contains("_")) {
      return List.of(new SpecProblem("spec.kafka.topic.name", "'" + excerpt(topicName)
          + "' mixes '.' and '_': Kafka's metric names replace '.' with '_', so it can collide"
          + " with another topic; use one of the two"));
    }
    return List.of();
  }

  /** Selections that no pod can pass: legal, but the pipeline would ship nothing. */
  static List<SpecProblem> selectorWarnings(SourcesSpec sources) {
    List<SpecProblem> warnings = new ArrayList<>();
    if (sources == null) {
      return warnings;
    }
    List<String> namespaces = Objects.requireNonNullElse(sources.getNamespaces(), List.of());
    List<String> excluded = Objects.requireNonNullElse(sources.getExcludeNamespaces(), List.of());
    if (!namespaces.isEmpty() && excluded.containsAll(namespaces)) {
      warnings.add(new SpecProblem("spec.sources.excludeNamespaces",
          "excludes every namespace of spec.sources.namespaces: nothing will be collected"));
    }
    LabelSelector selector = sources.getPodSelector();
    if (selector == null) {
      return warnings;
    }
    // Per label key: the values a pod may have (null: any), and whether the label must be absent.
    Map<String, Set<String>> allowed = new HashMap<>();
    Map<String, Boolean> mustExist = new HashMap<>();
    Set<String> impossible = new java.util.TreeSet<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> {
        restrict(allowed, k, Set.of(v), impossible);
        mustExist.put(k, true);
      });
    }
    for (LabelSelectorRequirement r : Objects.requireNonNullElse(selector.getMatchExpressions(),
        List.<LabelSelectorRequirement>of())) {
      String k = r.getKey();
      Set<String> values = new HashSet<>(Objects.requireNonNullElse(r.getValues(), List.of()));
      switch (Objects.requireNonNullElse(r.getOperator(), "")) {
        case "In" -> {
          restrict(allowed, k, values, impossible);
          if (Boolean.FALSE.equals(mustExist.put(k, true))) {
            impossible.add(k);
          }
        }
        case "NotIn" -> {
          if (allowed.containsKey(k) && values.containsAll(allowed.get(k))) {
            impossible.add(k);
          }
        }
        case "Exists" -> {
          if (Boolean.FALSE.equals(mustExist.put(k, true))) {
            impossible.add(k);
          }
        }
        case "DoesNotExist" -> {
          if (Boolean.TRUE.equals(mustExist.put(k, false))) {
            impossible.add(k);
          }
        }
        default -> { }
      }
    }
    for (String key : impossible) {
      warnings.add(new SpecProblem("spec.sources.podSelector", "no pod can match: the conditions"
          + " on label '" + excerpt(key) + "' contradict each other, so nothing will be collected"));
    }
    return warnings;
  }

  private static void restrict(Map<String, Set<String>> allowed, String key, Set<String> values,
      Set<String> impossible) {
    Set<String> now = allowed.containsKey(key) ? new HashSet<>(allowed.get(key)) : new HashSet<>(values);
    now.retainAll(values);
    allowed.put(key, now);
    if (now.isEmpty()) {
      impossible.add(key);
    }
  }

  /**
   * Elasticsearch's built-in template for logs-*-* has priority 100 and makes matching names
   * data streams; a lower priority of ours loses to it.
   */
  static List<SpecProblem> templateWarnings(ElasticsearchSpec es, String index) {
    int priority = es.getTemplate() == null ? 200 : es.getTemplate().getPriority();
    if (es.getFlavor() != Flavor.OPENSEARCH && priority <= 100 && index.matches("^logs-[^-]+-.*")) {
      return List.of(new SpecProblem("spec.elasticsearch.template.priority", "is " + priority
          + ": Elasticsearch's built-in logs-*-* template (priority 100) would win for index "
          + excerpt(index) + "; use a priority above 100"));
    }
    return List.of();
  }

  /** Logstash's JVM needs room: below 512Mi it will hardly start, let alone keep up. */
  static List<SpecProblem> indexerWarnings(IndexerSpec indexer) {
    if (indexer == null) {
      return List.of();
    }
    List<SpecProblem> warnings = new ArrayList<>();
    if (indexer.getPersistentQueue() != null && !indexer.getPersistentQueue().isEnabled()) {
      warnings.add(new SpecProblem("spec.indexer.persistentQueue.enabled", "is false: events that"
          + " Kafka counts as consumed wait in Logstash's memory, and an OOMKill, a node lost or a"
          + " stalled shutdown loses up to workers x batch size of them per replica; dead letters"
          + " last only as long as the pod"));
    }
    if (indexer.getDeadLetters() != null && !indexer.getDeadLetters().isEnabled()) {
      warnings.add(new SpecProblem("spec.indexer.deadLetters.enabled", "is false: documents the"
          + " search cluster rejects (a mapping conflict, say) are dropped"));
    }
    if (indexer.getResources() == null) {
      return warnings;
    }
    var limits = indexer.getResources().getLimits();
    var memory = limits == null ? null : limits.get("memory");
    if (memory != null && io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(memory)
        .compareTo(java.math.BigDecimal.valueOf(512L << 20)) < 0) {
      warnings.add(new SpecProblem("spec.indexer.resources.limits.memory", "is " + memory
          + ": Logstash gets half of it as heap and needs about 1Gi; below 512Mi it will not keep up"));
    }
    return warnings;
  }

  /** User text in a message: never more than 60 characters of it. */
  static String excerpt(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
