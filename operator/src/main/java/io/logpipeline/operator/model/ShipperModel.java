package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.logpipeline.operator.api.MultilineSpec;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shipper stage: Filebeat on every node, reading the node's container log files and
 * publishing to the pipeline's Kafka topic. Pure functions of a {@link Pipeline}.
 */
public final class ShipperModel {

  public static final String DEFAULT_IMAGE = "docker.elastic.co/beats/filebeat:8.18.2";
  public static final String CONFIG_KEY = "filebeat.yml";
  static final String PRODUCT = "filebeat";
  static final String CONFIG_DIR = "/etc/filebeat";
  static final String DATA_DIR = "/usr/share/filebeat/data";
  /** On the node: one directory per pipeline, so pipelines never share a registry. */
  static final String HOST_DATA_ROOT = "/var/lib/logpipeline";
  static final String CONTAINER_LOGS = "/var/log/containers";
  /** Largest event Filebeat sends; below Kafka's default max.message.bytes (1048588). */
  static final int MAX_MESSAGE_BYTES = 1_000_000;

  private ShipperModel() {}

  /** The node directory that holds this pipeline's Filebeat registry. */
  public static String hostDataPath(Pipeline p) {
    return HOST_DATA_ROOT + "/" + p.namespace() + "/" + p.name();
  }

  /** filebeat.yml as a tree: inputs with source selection, Kubernetes metadata, Kafka output. */
  public static Map<String, Object> filebeatConfig(Pipeline p) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("filebeat.inputs", List.of(containerInput(p)));
    config.put("output.kafka", kafkaOutput(p));
    config.put("logging.level", "info");
    config.put("logging.to_stderr", true);
    return config;
  }

  /** The filestream input that reads the selected containers' log files on the node. */
  static Map<String, Object> containerInput(Pipeline p) {
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);

    List<Map<String, Object>> parsers = new ArrayList<>();
    // The container parser reads both CRI and Docker json-file lines and joins partial lines.
    parsers.add(Map.of("container", ordered("stream", "all", "format", "auto")));
    MultilineSpec multiline = sources.getMultiline();
    if (multiline != null) {
      parsers.add(Map.of("multiline", ordered(
          "type", "pattern",
          "pattern", multiline.getPattern(),
          "negate", multiline.isNegate(),
          "match", Objects.requireNonNullElse(multiline.getMatch(), "after"))));
    }

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("type", "filestream");
    // The registry keys file state by this id: it must never change for a pipeline, or every
    // file would be read again from the start.
    input.put("id", "logpipeline-" + p.namespace() + "-" + p.name());
    input.put("paths", logPaths(sources));
    List<String> excluded = nonNull(sources.getExcludeNamespaces());
    if (!excluded.isEmpty()) {
      // File names are <pod>_<namespace>_<container>-<id>.log; pod and namespace names have no
      // '_', so the namespace is matched exactly and excluded files are never opened.
      input.put("prospector.scanner.exclude_files", excluded.stream()
          .map(ns -> "^" + CONTAINER_LOGS + "/[^_]+_" + ns + "_").toList());
    }
    input.put("prospector.scanner.symlinks", true);
    input.put("parsers", parsers);
    input.put("processors", processors(sources));
    return input;
  }

  /** Filebeat's Kafka output: the pipeline's topic, acknowledged by every in-sync replica. */
  static Map<String, Object> kafkaOutput(Pipeline p) {
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("hosts", List.of(p.bootstrapServers().split("\\s*,\\s*")));
    kafka.put("topic", p.topicName());
    kafka.put("client_id", "filebeat-" + p.namespace() + "-" + p.name());
    kafka.put("partition.round_robin", Map.of("reachable_only", false));
    // Wait for every in-sync replica: with the default (1) a leader failure loses events
    // that Filebeat already counted as shipped.
    kafka.put("required_acks", -1);
    kafka.put("compression", "gzip");
    kafka.put("max_message_bytes", maxMessageBytes(p));
    // Filebeat keeps unacknowledged events and retries until Kafka takes them; the registry
    // only advances on acknowledgement, so an outage delays but never drops.
    kafka.put("max_retries", 3);
    kafka.put("backoff.init", "1s");
    kafka.put("backoff.max", "60s");
    kafka.putAll(KafkaSecurity.filebeatSettings(p));
    return kafka;
  }

  /**
   * Largest event Filebeat sends: never above the topic's max.message.bytes, or Kafka would
   * refuse the event and Filebeat would retry it forever.
   */
  static int maxMessageBytes(Pipeline p) {
    Object topicLimit = BufferModel.topicConfig(p).get("max.message.bytes");
    if (topicLimit != null) {
      try {
        return (int) Math.min(MAX_MESSAGE_BYTES, Long.parseLong(topicLimit.toString().trim()));
      } catch (NumberFormatException ignored) {
        // Strimzi reports a malformed value on the KafkaTopic; keep Filebeat's default.
      }
    }
    return MAX_MESSAGE_BYTES;
  }

  private static List<String> logPaths(SourcesSpec sources) {
    List<String> namespaces = nonNull(sources.getNamespaces());
    if (namespaces.isEmpty()) {
      return List.of(CONTAINER_LOGS + "/*.log");
    }
    return namespaces.stream().map(ns -> CONTAINER_LOGS + "/*_" + ns + "_*.log").toList();
  }

  private static List<Map<String, Object>> processors(SourcesSpec sources) {
    List<Map<String, Object>> processors = new ArrayList<>();
    processors.add(Map.of("add_kubernetes_metadata", ordered(
        "host", "${NODE_NAME}",
        "matchers", List.of(Map.of("logs_path", Map.of("logs_path", CONTAINER_LOGS + "/")))))); 
    List<Map<String, Object>> keep = new ArrayList<>();
    List<String> containers = nonNull(sources.getContainers());
    if (!containers.isEmpty()) {
      keep.add(anyOf(containers.stream()
          .map(c -> (Map<String, Object>) Map.<String, Object>of(
              "equals", Map.of("kubernetes.container.name", c)))
          .toList()));
    }
    keep.addAll(selectorConditions(sources.getPodSelector()));
    if (!keep.isEmpty()) {
      Map<String, Object> all = keep.size() == 1 ? keep.get(0) : Map.of("and", keep);
      processors.add(Map.of("drop_event", Map.of("when", Map.of("not", all))));
    }
    if (sources.isJson()) {
      processors.add(Map.of("decode_json_fields", ordered(
          "fields", List.of("message"),
          "target", "",
          "overwrite_keys", true,
          "add_error_key", true)));
    }
    return processors;
  }

  /**
   * A LabelSelector as Filebeat conditions on the metadata add_kubernetes_metadata attaches,
   * whose label keys have dots replaced by '_' (labels.dedot).
   */
  static List<Map<String, Object>> selectorConditions(LabelSelector selector) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    if (selector == null) {
      return conditions;
    }
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> conditions.add(Map.of("equals", Map.of(labelField(e.getKey()), e.getValue()))));
    }
    for (LabelSelectorRequirement r : nonNull(selector.getMatchExpressions())) {
      String field = labelField(r.getKey());
      List<Map<String, Object>> equalsAny = nonNull(r.getValues()).stream()
          .map(v -> (Map<String, Object>) Map.<String, Object>of("equals", Map.of(field, v)))
          .toList();
      Map<String, Object> exists = Map.of("has_fields", List.of(field));
      switch (r.getOperator()) {
        case "In" -> conditions.add(anyOf(equalsAny));
        case "NotIn" -> conditions.add(Map.of("not", anyOf(equalsAny)));
        case "Exists" -> conditions.add(exists);
        case "DoesNotExist" -> conditions.add(Map.of("not", exists));
        default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
      }
    }
    return conditions;
  }

  static String labelField(String key) {
    return "kubernetes.labels." + key.replace('.', '_');
  }

  private static Map<String, Object> anyOf(List<Map<String, Object>> conditions) {
    return conditions.size() == 1 ? conditions.get(0) : Map.of("or", conditions);
  }

  public static ConfigMap configMap(Pipeline p) {
    return new ConfigMapBuilder()
        .withMetadata(p.metadata(p.shipperName(), Pipeline.COMPONENT_SHIPPER, PRODUCT))
        .addToData(CONFIG_KEY, ConfigFiles.yaml(filebeatConfig(p)))
        .build();
  }

  public static ServiceAccount serviceAccount(Pipeline p) {
    return new ServiceAccountBuilder()
        .withMetadata(p.metadata(p.shipperName(), Pipeline.COMPONENT_SHIPPER, PRODUCT))
        .build();
  }

  /** Read access add_kubernetes_metadata needs to enrich events and resolve owners. */
  public static ClusterRole clusterRole(Pipeline p) {
    return new ClusterRoleBuilder()
        .withMetadata(clusterMetadata(p))
        .addToRules(new PolicyRuleBuilder().withApiGroups("")
            .withResources("pods", "namespaces", "nodes").withVerbs("get", "list", "watch").build())
        .addToRules(new PolicyRuleBuilder().withApiGroups("apps")
            .withResources("replicasets").withVerbs("get", "list", "watch").build())
        .addToRules(new PolicyRuleBuilder().withApiGroups("batch")
            .withResources("jobs").withVerbs("get", "list", "watch").build())
        .build();
  }

  public static ClusterRoleBinding clusterRoleBinding(Pipeline p) {
    return new ClusterRoleBindingBuilder()
        .withMetadata(clusterMetadata(p))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", p.shipperClusterRoleName())
        .addNewSubject().withKind("ServiceAccount").withName(p.shipperName())
            .withNamespace(p.namespace()).endSubject()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta clusterMetadata(Pipeline p) {
    return new ObjectMetaBuilder()
        .withName(p.shipperClusterRoleName())
        .withLabels(p.labels(Pipeline.COMPONENT_SHIPPER, PRODUCT))
        .addToLabels(Pipeline.LABEL_OWNER_NAMESPACE, p.namespace())
        .build();
  }

  public static ResourceRequirements defaultResources() {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("128Mi"))
        .addToLimits("memory", new Quantity("256Mi"))
        .build();
  }

  public static DaemonSet daemonSet(Pipeline p) {
    return daemonSet(p, configMap(p));
  }

  /** The DaemonSet whose pods read {@code config}, the pipeline's {@link #configMap(Pipeline)}. */
  public static DaemonSet daemonSet(Pipeline p, ConfigMap config) {
    ShipperSpec shipper = Objects.requireNonNullElseGet(p.spec().getShipper(), ShipperSpec::new);
    String configHash = ConfigFiles.hash(config.getData());
    DaemonSet daemonSet = new DaemonSetBuilder()
        .withMetadata(p.metadata(p.shipperName(), Pipeline.COMPONENT_SHIPPER, PRODUCT))
        .withNewSpec()
          .withNewSelector().withMatchLabels(p.selectorLabels(PRODUCT)).endSelector()
          .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(p.labels(Pipeline.COMPONENT_SHIPPER, PRODUCT))
              .addToAnnotations(Pipeline.CONFIG_HASH_ANNOTATION, configHash)
            .endMetadata()
            .withNewSpec()
              .withServiceAccountName(p.shipperName())
              .withTerminationGracePeriodSeconds(30L)
              .withNodeSelector(emptyToNull(shipper.getNodeSelector()))
              .withTolerations(emptyToNull(shipper.getTolerations()))
              .withPriorityClassName(blankToNull(shipper.getPriorityClassName()))
              .addNewContainer()
                .withName(PRODUCT)
                .withImage(Objects.requireNonNullElse(blankToNull(shipper.getImage()), DEFAULT_IMAGE))
                .withArgs("-c", CONFIG_DIR + "/" + CONFIG_KEY, "-e", "--path.data", DATA_DIR)
                .addNewEnv().withName("NODE_NAME").withNewValueFrom()
                    .withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef()
                  .endValueFrom().endEnv()
                .withResources(Objects.requireNonNullElseGet(shipper.getResources(), ShipperModel::defaultResources))
                // Root only to read root-owned log files; nothing else is granted.
                .withNewSecurityContext()
                  .withRunAsUser(0L)
                  .withReadOnlyRootFilesystem(true)
                  .withAllowPrivilegeEscalation(false)
                  .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath(DATA_DIR).endVolumeMount()
                .addNewVolumeMount().withName("varlog").withMountPath("/var/log").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("dockercontainers").withMountPath("/var/lib/docker/containers").withReadOnly(true).endVolumeMount()
              .endContainer()
              .addNewVolume().withName("config").withNewConfigMap()
                  .withName(p.shipperName())
                  // Filebeat refuses a config file that group or others may write.
                  .withDefaultMode(0640)
                .endConfigMap().endVolume()
              .addNewVolume().withName("data").withNewHostPath()
                  .withPath(hostDataPath(p)).withType("DirectoryOrCreate").endHostPath().endVolume()
              .addNewVolume().withName("varlog").withNewHostPath()
                  .withPath("/var/log").withType("Directory").endHostPath().endVolume()
              // Docker nodes keep the files the /var/log/containers links point to here.
              .addNewVolume().withName("dockercontainers").withNewHostPath()
                  .withPath("/var/lib/docker/containers").endHostPath().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
    KafkaSecurity.shipperPod(p, daemonSet.getSpec().getTemplate(), PRODUCT);
    return daemonSet;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  // A real API server drops empty lists and maps; leaving them out keeps desired equal to actual.
  static <T> List<T> emptyToNull(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }

  static <K, V> Map<K, V> emptyToNull(Map<K, V> map) {
    return map == null || map.isEmpty() ? null : map;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
