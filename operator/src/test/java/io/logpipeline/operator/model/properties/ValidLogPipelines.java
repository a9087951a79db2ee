package io.logpipeline.operator.model.properties;

import io.logpipeline.operator.TestLogPipelines;
import static io.logpipeline.operator.model.properties.Gens.chars;
import static io.logpipeline.operator.model.properties.Gens.distinctLists;
import static io.logpipeline.operator.model.properties.Gens.frequency;
import static io.logpipeline.operator.model.properties.Gens.just;
import static io.logpipeline.operator.model.properties.Gens.lists;
import static io.logpipeline.operator.model.properties.Gens.maps;
import static io.logpipeline.operator.model.properties.Gens.optional;
import static io.logpipeline.operator.model.properties.Gens.orNull;
import static io.logpipeline.operator.model.properties.Gens.strings;
import static io.logpipeline.operator.model.properties.Gens.weighted;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.MultilineSpec;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.ContainerRuntime;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.api.TemplateSpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.api.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;

/**
 * QuickTheories generators of LogPipelines that are valid per the API docs (the api types'
 * descriptions, the CRD schema and docs/api.md), and of the Kubernetes names they contain. Every
 * value is built fresh on each draw, so a property may hand it to code that mutates it.
 *
 * <p>Where a generator is narrower than the API docs allow, a comment names the finding (see
 * {@link FindingsPropertiesTest}) that made it so.
 */
public final class ValidLogPipelines {

  static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  static final String ALNUM = LOWER_ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** Label values / scalars that a YAML reader takes for a number, boolean, date or null when left unquoted. */
  static final List<String> YAML_LOOKALIKES = List.of("1e3", "1E3", "0x1F", "007", "0o17", "0b101",
      "1_000", "1.0", "123", "true", "True", "TRUE", "false", "yes", "no", "on", "off", "y", "n", "Y",
      "N", "null", "Null", "NULL", "NaN", "2024-01-01");

  /** Lower-case ones, legal as DNS-1123 labels (namespaces, container names). */
  static final List<String> YAML_LOOKALIKE_LABELS = List.of("1e3", "0x1f", "007", "123", "true",
      "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "2024-01-01");

  /** Logstash filter bodies that Logstash accepts. */
  static final List<String> FILTERS = List.of(
      "grok { match => { \"message\" => \"%{COMBINEDAPACHELOG}\" } }",
      "mutate { add_field => { \"env\" => \"prod\" } }",
      "date {\n  match => [\"timestamp\", \"ISO8601\"]\n  target => \"@timestamp\"\n}\n",
      "if [kubernetes][namespace] == \"kube-system\" {\n  drop { }\n}\n",
      "json {\n  source => \"message\"\n  target => \"parsed\"\n}\n\nmutate {\n  remove_field => [\"agent\", \"ecs\"]\n}\n",
      "# keep errors only\nif [level] != \"error\" { drop {} }\n",
      "mutate { lowercase => [\"level\"] }");

  static final List<String> MULTILINE_PATTERNS = List.of(
      "^\\s", "^[[:space:]]", "^\\d{4}-\\d{2}-\\d{2}", "^(\\s+at|Caused by:)", "^\\[", "^#", "^[^\\s]",
      "^\\s*$");

  static final List<String> SHIPPER_IMAGES = List.of("docker.elastic.co/beats/filebeat:8.18.2",
      "registry.example.com:5000/beats/filebeat:8.17.0",
      "filebeat@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

  static final List<String> INDEXER_IMAGES = List.of("docker.elastic.co/logstash/logstash:8.18.2",
      "opensearchproject/logstash-oss-with-opensearch-output-plugin:8.9.0",
      "registry.example.com:5000/logstash:custom");

  /** Kafka topic configs a user might set, with values of the right shape, as strings. */
  static final List<Map.Entry<String, String>> TOPIC_CONFIGS = List.of(
      Map.entry("min.insync.replicas", "1"), Map.entry("min.insync.replicas", "2"),
      Map.entry("max.message.bytes", "2097152"), Map.entry("max.message.bytes", "524288"),
      Map.entry("segment.bytes", "1073741824"), Map.entry("compression.type", "zstd"),
      Map.entry("compression.type", "producer"), Map.entry("retention.bytes", "-1"),
      Map.entry("cleanup.policy", "delete"), Map.entry("message.timestamp.type", "LogAppendTime"),
      Map.entry("unclean.leader.election.enable", "false"));

  static final List<String> MAPPINGS = List.of(
      "{\"properties\":{\"level\":{\"type\":\"keyword\"},\"duration_ms\":{\"type\":\"long\"}}}",
      "{\"dynamic_templates\":[{\"strings_as_keywords\":{\"match_mapping_type\":\"string\",\"mapping\":{\"type\":\"keyword\"}}}]}",
      "{\"dynamic_templates\":[{\"kubernetes_keywords\":{\"path_match\":\"kubernetes.*\",\"mapping\":{\"type\":\"keyword\"}}}],\"properties\":{\"message\":{\"type\":\"match_only_text\"}}}",
      "{}");

  static final List<String> SETTINGS = List.of(
      "{\"index.refresh_interval\":\"30s\"}",
      "{\"index\":{\"codec\":\"best_compression\"}}",
      "{}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ValidLogPipelines() {}

  // ---------------------------------------------------------------- Kubernetes names

  /** A DNS-1123 label (lowercase alphanumerics and '-', alphanumeric at both ends), min..max chars. */
  public static Gen<String> dnsLabel(int min, int max) {
    // '_', '~' and '!' stand for '-' too, so about one character in ten is a dash.
    return strings(LOWER_ALNUM + "-_~!", min, max)
        .map(s -> fixEnds(s.replace('_', '-').replace('~', '-').replace('!', '-'), LOWER_ALNUM));
  }

  /** Labels joined with '.', cut to {@code maxTotal} characters at most. */
  static Gen<String> subdomain(int maxLabel, int minLabels, int maxLabels, int maxTotal) {
    return lists(dnsLabel(1, maxLabel), minLabels, maxLabels)
        .map(labels -> cut(String.join(".", labels), maxTotal));
  }

  /**
   * Any legal Kubernetes object name (what a LogPipeline's metadata.name may be): a DNS-1123
   * subdomain of 1..253 characters whose labels have 1..63 characters. Short ones, any-length ones,
   * ones at or next to 253, and ones next to the lengths where the operator's names change shape
   * (43/44: child names fit 52; 63/64: label values; 230/231 and 249/250: index and topic).
   */
  public static Gen<String> objectName() {
    Gen<String> shortNames = subdomain(12, 1, 3, 253);
    Gen<String> anyLength = subdomain(63, 1, 6, 253);
    Gen<String> longest = lists(dnsLabel(50, 63), 5, 6)
        .map(labels -> cut(String.join(".", labels), 253));
    Gen<String> nearBoundaries = Gens.of(1, 2, 42, 43, 44, 45, 51, 52, 53, 62, 63, 64, 65, 120, 200,
            220, 230, 231, 240, 249, 250, 251, 252, 253)
        .zip(lists(dnsLabel(1, 63), 8, 12), (length, labels) -> cut(String.join(".", labels), length));
    return frequency(
        weighted(3, shortNames),
        weighted(3, anyLength),
        weighted(2, longest),
        weighted(2, nearBoundaries));
  }

  /** A namespace name: a DNS-1123 label of 1..63 characters. */
  public static Gen<String> namespace() {
    return frequency(
        weighted(5, dnsLabel(1, 15)),
        weighted(2, dnsLabel(1, 63)),
        weighted(1, dnsLabel(63, 63)),
        weighted(1, Gens.of("default", "logging", "kube-system", "0logs")),
        weighted(1, Gens.of(YAML_LOOKALIKE_LABELS)));
  }

  /** A legal label value: empty, or alphanumeric at both ends with '-', '_', '.' inside, at most 63. */
  public static Gen<String> labelValue() {
    return frequency(
        weighted(4, qualifiedNamePart()),
        weighted(3, Gens.of(YAML_LOOKALIKES)),
        weighted(1, just("")));
  }

  /** 1..63 alphanumerics, '-', '_' and '.', alphanumeric at both ends: a label key's name or a label value. */
  static Gen<String> qualifiedNamePart() {
    return strings(ALNUM + "-_.", 1, 63).map(s -> fixEnds(s, ALNUM));
  }

  /**
   * A value in a pod selector. Also "~": not a legal label value (so it selects nothing), but the
   * LogPipeline CRD takes any string there and it is YAML's null.
   */
  static Gen<String> selectorValue() {
    return frequency(weighted(9, labelValue()), weighted(1, just("~")));
  }

  /** A legal label key: an optional DNS subdomain prefix and '/', then a name part of at most 63. */
  public static Gen<String> labelKey() {
    Gen<String> name = frequency(
        weighted(3, Gens.of("app", "tier", "k8s-app", "version", "name", "component",
            "team_name", "A.b-C_d", "true", "null", "1e3", "007")),
        weighted(2, qualifiedNamePart()));
    Gen<String> prefix = frequency(
        weighted(3, just("")),
        weighted(2, Gens.of("app.kubernetes.io", "example.com", "logpipeline.io", "kubernetes.io")),
        weighted(1, subdomain(20, 1, 3, 253)));
    return prefix.zip(name, (p, n) -> p.isEmpty() ? n : p + "/" + n);
  }

  // ---------------------------------------------------------------- the spec

  /** Valid LogPipelines with random names and every part of the spec varied. */
  public static Gen<LogPipeline> logPipelines() {
    Gen<String> names = objectName();
    Gen<String> namespaces = namespace();
    Gen<SourcesSpec> sources = sources();
    Gen<ShipperSpec> shippers = shipper();
    Gen<KafkaSpec> kafkas = kafka();
    Gen<IndexerSpec> indexers = indexer();
    Gen<ElasticsearchSpec> searches = elasticsearch();
    Gen<DeletionPolicy> deletions = arbitrary().enumValues(DeletionPolicy.class);
    Gen<LogPipeline> pipelines = in -> {
      String name = names.generate(in);
      String ns = namespaces.generate(in);
      LogPipelineSpec spec = new LogPipelineSpec();
      spec.setSources(sources.generate(in));
      spec.setShipper(shippers.generate(in));
      spec.setKafka(kafkas.generate(in));
      spec.setIndexer(indexers.generate(in));
      spec.setElasticsearch(searches.generate(in));
      spec.setDeletionPolicy(deletions.generate(in));
      return logPipeline(name, ns, spec);
    };
    return pipelines.describedAs(ValidLogPipelines::describe);
  }

  /** The LogPipeline as YAML, as a failing property reports it. */
  static String describe(LogPipeline lp) {
    return "\n" + Serialization.asYaml(lp);
  }

  /** The smallest valid LogPipeline (a Kafka cluster and one host) with this name and namespace. */
  public static LogPipeline minimal(String name, String namespace) {
    return logPipeline(name, namespace,
        TestLogPipelines.minimal(name, namespace, "https://es-http.elastic.svc:9200").getSpec());
  }

  static LogPipeline logPipeline(String name, String namespace, LogPipelineSpec spec) {
    LogPipeline lp = new LogPipeline();
    lp.setMetadata(new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withUid(UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString())
        .withGeneration(1L)
        .build());
    lp.setSpec(spec);
    return lp;
  }

  /** A deep copy through Jackson, as the operator gets it from the API server. */
  public static LogPipeline copy(LogPipeline lp) {
    try {
      ObjectMapper mapper = Serialization.jsonMapper();
      return mapper.readValue(mapper.writeValueAsString(lp), LogPipeline.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Gen<SourcesSpec> sources() {
    Gen<List<String>> namespaces = distinctLists(namespace(), 3);
    Gen<List<String>> containers = distinctLists(frequency(
            weighted(3, dnsLabel(1, 20)), weighted(1, dnsLabel(1, 63)),
            weighted(1, Gens.of(YAML_LOOKALIKE_LABELS))), 3);
    Gen<Optional<LabelSelector>> selectors = optional(podSelector());
    Gen<Boolean> json = booleans().all();
    Gen<Optional<MultilineSpec>> multilines = optional(multiline());
    return in -> {
      SourcesSpec s = new SourcesSpec();
      s.setNamespaces(new ArrayList<>(namespaces.generate(in)));
      s.setExcludeNamespaces(new ArrayList<>(namespaces.generate(in)));
      s.setPodSelector(selectors.generate(in).orElse(null));
      s.setContainers(new ArrayList<>(containers.generate(in)));
      s.setJson(json.generate(in));
      s.setMultiline(multilines.generate(in).orElse(null));
      return s;
    };
  }

  static Gen<LabelSelector> podSelector() {
    Gen<String> keys = labelKey();
    Gen<String> operators = Gens.of("In", "NotIn", "Exists", "DoesNotExist");
    Gen<List<String>> values = lists(selectorValue(), 1, 3);
    Gen<Boolean> nullWhenEmpty = booleans().all();
    Gen<LabelSelectorRequirement> requirement = in -> {
      String key = keys.generate(in);
      String op = operators.generate(in);
      List<String> vs = values.generate(in);
      boolean hasValues = op.equals("In") || op.equals("NotIn");
      return new LabelSelectorRequirement(key, op,
          hasValues ? new ArrayList<>(vs) : nullWhenEmpty.generate(in) ? null : new ArrayList<>());
    };
    return maps(labelKey(), selectorValue(), 3).zip(lists(requirement, 0, 3),
        (labels, expressions) -> new LabelSelector(new ArrayList<>(expressions), new LinkedHashMap<>(labels)));
  }

  static Gen<MultilineSpec> multiline() {
    return Gens.of(MULTILINE_PATTERNS).zip(booleans().all(), orNull(Gens.of("after", "before"), 0.2),
        (pattern, negate, match) -> {
          MultilineSpec m = new MultilineSpec();
          m.setPattern(pattern);
          m.setNegate(negate);
          m.setMatch(match);
          return m;
        });
  }

  static Gen<ShipperSpec> shipper() {
    Gen<Optional<String>> keys = optional(labelKey(), 0.8);
    Gen<String> operators = Gens.of("Exists", "Equal");
    Gen<String> values = labelValue();
    Gen<String> effects = Gens.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");
    Gen<Optional<Long>> tolerationSeconds = optional(longs().between(0, 86_400), 0.5);
    Gen<Toleration> toleration = in -> {
      Optional<String> key = keys.generate(in);
      String op = operators.generate(in);
      String value = values.generate(in);
      String effect = effects.generate(in);
      Optional<Long> seconds = tolerationSeconds.generate(in);
      String operator = key.isEmpty() ? "Exists" : op;
      return new TolerationBuilder()
          .withKey(key.orElse(null))
          .withOperator(operator)
          .withValue(operator.equals("Equal") ? value : null)
          .withEffect(effect.isEmpty() ? null : effect)
          .withTolerationSeconds(effect.equals("NoExecute") ? seconds.orElse(null) : null)
          .build();
    };
    Gen<String> priorityClass = frequency(
        weighted(2, just("")),
        weighted(2, Gens.of("system-node-critical", "logging-high")),
        weighted(1, subdomain(30, 1, 3, 253)));
    Gen<String> images = orNull(Gens.of(SHIPPER_IMAGES), 0.5);
    Gen<Optional<ResourceRequirements>> resources = optional(resources("64Mi", "128Mi", "256Mi", "1Gi"));
    Gen<Map<String, String>> nodeSelectors = maps(labelKey(), labelValue(), 3);
    Gen<List<Toleration>> tolerations = lists(toleration, 0, 2);
    Gen<String> priorities = orNull(priorityClass, 0.5);
    Gen<Boolean> absentTolerations = Gens.of(true, false);
    Gen<ContainerRuntime> runtimes = orNull(Gens.of(ContainerRuntime.values()), 0.5);
    // Built at each draw: the objects are mutable.
    Gen<SecurityContext> securityContexts = orNull(Gens.of("spc_t", "privileged", "super_t").map(kind ->
        switch (kind) {
          case "privileged" -> new SecurityContextBuilder().withPrivileged(true).build();
          case "super_t" -> new SecurityContextBuilder().withNewSeLinuxOptions().withType("super_t")
              .endSeLinuxOptions().withReadOnlyRootFilesystem(false).build();
          default -> new SecurityContextBuilder().withNewSeLinuxOptions().withType(kind).endSeLinuxOptions().build();
        }), 0.7);
    return in -> {
      ShipperSpec s = new ShipperSpec();
      s.setImage(images.generate(in));
      s.setResources(resources.generate(in).orElse(null));
      s.setNodeSelector(new LinkedHashMap<>(nodeSelectors.generate(in)));
      List<Toleration> t = tolerations.generate(in);
      // Absent (every taint tolerated by default) as often as an explicit list.
      s.setTolerations(absentTolerations.generate(in) ? null : new ArrayList<>(t));
      s.setPriorityClassName(priorities.generate(in));
      s.setContainerRuntime(runtimes.generate(in));
      s.setSecurityContext(securityContexts.generate(in));
      return s;
    };
  }

  static Gen<ResourceRequirements> resources(String... memory) {
    return Gens.of("50m", "100m", "500m", "1", "2").zip(Gens.of(memory), optional(Gens.of(memory), 0.7),
        (cpu, request, limit) -> {
          var b = new ResourceRequirementsBuilder()
              .addToRequests("cpu", new Quantity(cpu))
              .addToRequests("memory", new Quantity(request));
          limit.ifPresent(l -> b.addToLimits("memory", new Quantity(l)));
          return b.build();
        });
  }

  static Gen<KafkaSpec> kafka() {
    Gen<String> host = frequency(
        weighted(3, subdomain(20, 1, 4, 100)),
        weighted(1, ipv4()),
        weighted(1, Gens.of("localhost", "Kafka-0.Example.COM")));
    Gen<String> server = host.zip(integers().between(1, 65535), (h, port) -> h + ":" + port);
    Gen<String> bootstrap = lists(server, 1, 3).zip(Gens.of(",", ", ", " , "),
        (servers, separator) -> String.join(separator, servers));
    // The Kafka resource's name, which Strimzi's own objects carry as their strimzi.io/cluster
    // label: the API takes a DNS label (at most 63), see finding F6.
    Gen<String> cluster = frequency(
        weighted(3, Gens.of("my-cluster", "kafka", "logs")), weighted(2, dnsLabel(1, 63)));
    return cluster.zip(optional(namespace(), 0.4), optional(bootstrap, 0.3), topic(),
        (name, ns, servers, topic) -> {
          KafkaSpec k = new KafkaSpec();
          k.setCluster(name);
          k.setNamespace(ns.orElse(null));
          k.setBootstrapServers(servers.orElse(null));
          k.setTopic(topic);
          return k;
        });
  }

  static Gen<TopicSpec> topic() {
    Gen<String> anyName = strings(ALNUM + "._-", 1, 249);
    Gen<String> name = frequency(
            weighted(3, strings(ALNUM + "._-", 1, 30)),
            weighted(2, anyName),
            weighted(1, Gens.of("logs", "a", "A", "_", "-", "...", "Logs.Team_A.payments")))
        .assuming(n -> !n.equals(".") && !n.equals(".."));
    Gen<Optional<String>> names = optional(name, 0.6);
    Gen<Integer> partitions = integers().between(1, 1000);
    Gen<Integer> replicas = integers().between(1, 5);
    Gen<String> retentions = retention();
    Gen<List<Map.Entry<String, String>>> configs = distinctLists(Gens.of(TOPIC_CONFIGS), 4, Map.Entry::getKey);
    Gen<String> retentionBytes = orNull(Gens.of("50Gi", "2097152", "1T", "500Mi", "10G"), 0.7);
    return in -> {
      TopicSpec t = new TopicSpec();
      t.setName(names.generate(in).orElse(null));
      t.setPartitions(partitions.generate(in));
      t.setReplicas(replicas.generate(in));
      t.setRetention(retentions.generate(in));
      Map<String, String> c = new LinkedHashMap<>();
      configs.generate(in).forEach(e -> c.put(e.getKey(), e.getValue()));
      // Kafka would refuse every acks=all write above the replicas; the operator refuses it.
      c.computeIfPresent("min.insync.replicas",
          (k, v) -> Integer.parseInt(v) > t.getReplicas() ? null : v);
      t.setConfig(c);
      t.setRetentionBytes(retentionBytes.generate(in));
      return t;
    };
  }

  static long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      case "w" -> 604_800_000L;
      default -> throw new IllegalArgumentException(unit);
    };
  }

  /**
   * "{n}{unit}" with n from 1 to 9 digits, as the CRD pattern {@code ^[1-9][0-9]{0,8}(ms|...)$}
   * allows. (With unbounded digits, as the pattern was, n x unit overflowed a long: finding F1.)
   */
  static Gen<String> retention() {
    return frequency(
            weighted(4, longs().between(1, 1000)),
            weighted(1, longs().between(1, 999_999_999)))
        .zip(Gens.of("ms", "s", "m", "h", "d", "w"), (n, unit) -> n + unit);
  }

  static Gen<IndexerSpec> indexer() {
    Gen<String> filter = frequency(
        weighted(2, Gens.of(FILTERS)),
        weighted(1, Gens.of("", "   \n")),
        weighted(2, Gens.<String>just(null)));
    Gen<String> images = orNull(Gens.of(INDEXER_IMAGES), 0.5);
    Gen<Integer> replicas = integers().between(0, 10);
    Gen<Integer> workers = frequency(weighted(3, just(0)), weighted(2, integers().between(1, 256)));
    Gen<Integer> batches = frequency(weighted(3, just(125)), weighted(2, integers().between(1, 100_000)));
    // Memory of 512Mi and more, well above the limits below 128Mi that get more than half as
    // heap: see finding F7.
    Gen<Optional<ResourceRequirements>> resources = optional(resources("512Mi", "1Gi", "2Gi", "4Gi", "3G"));
    return in -> {
      IndexerSpec i = new IndexerSpec();
      i.setImage(images.generate(in));
      i.setReplicas(replicas.generate(in));
      i.setFilter(filter.generate(in));
      i.setPipelineWorkers(workers.generate(in));
      i.setBatchSize(batches.generate(in));
      i.setResources(resources.generate(in).orElse(null));
      return i;
    };
  }

  static Gen<String> ipv4() {
    return lists(integers().between(0, 255), 4, 4)
        .map(parts -> parts.stream().map(String::valueOf).collect(Collectors.joining(".")));
  }

  /**
   * An Elasticsearch URL: http(s)://host:port, host a Service DNS name, a single label, an IPv4
   * address or localhost. The "&lt;service&gt;.&lt;namespace&gt;" form with any namespace, also one
   * that starts with a digit (finding F2, fixed).
   */
  static Gen<String> searchHost() {
    Gen<String> host = frequency(
        weighted(3, dnsLabel(1, 20).zip(dnsLabel(1, 63), (svc, ns) -> svc + "." + ns + ".svc")),
        weighted(1, dnsLabel(1, 20).zip(dnsLabel(1, 63), (svc, ns) -> svc + "." + ns + ".svc.cluster.local")),
        weighted(1, dnsLabel(1, 20).zip(dnsLabel(1, 63), (svc, ns) -> svc + "." + ns)),
        weighted(1, dnsLabel(1, 63)),
        weighted(1, ipv4()),
        weighted(1, just("localhost")));
    return Gens.of("http", "https").zip(host, integers().between(1, 65535),
        (scheme, h, port) -> scheme + "://" + h + ":" + port);
  }

  static Gen<ElasticsearchSpec> elasticsearch() {
    Gen<String> secretKey = Gens.of("username", "user", "password", "pass.txt", "api-key", "apiKey",
        "ES_PASSWORD");
    Gen<CredentialsSecretRef> credentials = subdomain(20, 1, 2, 253).zip(optional(secretKey, 0.5),
        optional(secretKey, 0.5), optional(secretKey, 0.3),
        (name, user, password, apiKey) -> {
          CredentialsSecretRef c = new CredentialsSecretRef();
          c.setName(name);
          user.ifPresent(c::setUsernameKey);
          password.ifPresent(c::setPasswordKey);
          c.setApiKeyKey(apiKey.orElse(null));
          return c;
        });
    Gen<SecretKeySpec> caSecret = subdomain(20, 1, 2, 253).zip(optional(Gens.of("ca.crt", "tls.crt", "ca.pem")),
        (name, key) -> {
          SecretKeySpec s = new SecretKeySpec();
          s.setName(name);
          key.ifPresent(s::setKey);
          return s;
        });
    Gen<TlsSpec> tls = optional(caSecret, 0.7).zip(booleans().all(), (ca, insecure) -> {
      TlsSpec t = new TlsSpec();
      t.setCaSecret(ca.orElse(null));
      t.setInsecureSkipVerify(insecure);
      return t;
    });
    Gen<String> index = chars(LOWER_ALNUM).zip(strings(LOWER_ALNUM + "._-", 0, 199),
        (first, rest) -> first + rest);
    Gen<List<String>> hosts = lists(searchHost(), 1, 3);
    Gen<Flavor> flavors = arbitrary().enumValues(Flavor.class);
    Gen<Optional<CredentialsSecretRef>> credentialSecrets = optional(credentials, 0.5);
    Gen<Optional<TlsSpec>> tlsSpecs = optional(tls, 0.5);
    Gen<Optional<String>> indexNames = optional(index, 0.5);
    Gen<TemplateSpec> templates = template();
    return in -> {
      ElasticsearchSpec es = new ElasticsearchSpec();
      es.setHosts(new ArrayList<>(hosts.generate(in)));
      Flavor flavor = flavors.generate(in);
      es.setFlavor(flavor);
      Optional<CredentialsSecretRef> creds = credentialSecrets.generate(in);
      // API keys are an Elasticsearch feature (documented on apiKeyKey).
      creds.filter(c -> flavor == Flavor.OPENSEARCH).ifPresent(c -> c.setApiKeyKey(null));
      // Logstash uses TLS for every host or for none, and sends an API key only over TLS.
      String scheme = creds.map(CredentialsSecretRef::getApiKeyKey).isPresent()
          || es.getHosts().get(0).startsWith("https:") ? "https" : "http";
      es.setHosts(new ArrayList<>(es.getHosts().stream()
          .map(h -> scheme + h.substring(h.indexOf(':'))).toList()));
      es.setCredentialsSecret(creds.orElse(null));
      es.setTls(tlsSpecs.generate(in).orElse(null));
      es.setIndex(indexNames.generate(in).orElse(null));
      es.setTemplate(templates.generate(in));
      return es;
    };
  }

  static Gen<TemplateSpec> template() {
    Gen<Integer> shards = integers().between(1, 1024);
    Gen<Integer> replicas = integers().between(0, 32);
    Gen<Integer> priorities = frequency(weighted(3, just(200)),
        weighted(2, integers().between(0, Integer.MAX_VALUE)));
    Gen<Optional<String>> mappings = optional(Gens.of(MAPPINGS), 0.4);
    Gen<Optional<String>> settings = optional(Gens.of(SETTINGS), 0.4);
    Gen<Boolean> dataStreams = booleans().all();
    return in -> {
      TemplateSpec t = new TemplateSpec();
      t.setShards(shards.generate(in));
      t.setReplicas(replicas.generate(in));
      t.setPriority(priorities.generate(in));
      t.setMappings(mappings.generate(in).map(ValidLogPipelines::json).orElse(null));
      t.setSettings(settings.generate(in).map(ValidLogPipelines::json).orElse(null));
      t.setDataStream(dataStreams.generate(in));
      return t;
    };
  }

  // ---------------------------------------------------------------- helpers

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** Replaces a non-alphanumeric first or last character with one from {@code alnum}. */
  static String fixEnds(String s, String alnum) {
    char[] c = s.toCharArray();
    if (alnum.indexOf(c[0]) < 0) {
      c[0] = 'a';
    }
    if (alnum.indexOf(c[c.length - 1]) < 0) {
      c[c.length - 1] = '0';
    }
    return new String(c);
  }

  /** At most {@code max} characters, then without trailing '-' and '.', so still a subdomain. */
  static String cut(String s, int max) {
    String t = s.length() <= max ? s : s.substring(0, max);
    int end = t.length();
    while (end > 1 && (t.charAt(end - 1) == '-' || t.charAt(end - 1) == '.')) {
      end--;
    }
    return t.substring(0, end);
  }
}
