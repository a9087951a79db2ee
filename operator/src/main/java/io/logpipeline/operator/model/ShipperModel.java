package io.logpipeline.operator.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.logpipeline.operator.api.ContainerRuntime;
import io.logpipeline.operator.api.MultilineSpec;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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
  /** Where Docker keeps the files the /var/log/pods links point to on its nodes. */
  public static final String DOCKER_CONTAINERS = "/var/lib/docker/containers";
  /**
   * Shipped with this tag, never dropped, when add_kubernetes_metadata found nothing for the
   * file: after the pod was deleted and its metadata expired, or right after a Filebeat restart.
   */
  public static final String METADATA_MISSING_TAG = "kubernetes_metadata_missing";
  /** A field add_kubernetes_metadata sets on every event it enriches. */
  static final String METADATA_PRESENT_FIELD = "kubernetes.pod.uid";
  /**
   * The node's default PriorityClass for the shipper: scheduled before, and evicted after, the
   * workloads whose logs it reads.
   */
  public static final String DEFAULT_PRIORITY_CLASS = "system-node-critical";
  /** The image runs on Linux only: Windows nodes neither can run it nor are expected to. */
  public static final Map<String, String> DEFAULT_NODE_SELECTOR = Map.of("kubernetes.io/os", "linux");
  public static final ContainerRuntime DEFAULT_CONTAINER_RUNTIME = ContainerRuntime.CONTAINERD;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  private ShipperModel() {}

  /** The node directory that holds this pipeline's Filebeat registry. */
  public static String hostDataPath(Pipeline p) {
    return HOST_DATA_ROOT + "/" + p.namespace() + "/" + p.name();
  }

  /** filebeat.yml as a tree: inputs with source selection, Kubernetes metadata, Kafka output. */
  public static Map<String, Object> filebeatConfig(Pipeline p) {
    return filebeatConfig(p, null);
  }

  /** filebeat.yml reading {@code paths}; null: the files the pipeline's sources select. */
  static Map<String, Object> filebeatConfig(Pipeline p, List<String> paths) {
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("filebeat.inputs", List.of(containerInput(p,
        paths == null ? logPaths(sources) : paths, MessageSizes.of(p))));
    config.put("output.kafka", kafkaOutput(p));
    config.put("logging.level", "info");
    config.put("logging.to_stderr", true);
    return config;
  }

  /** The filestream input that reads the selected containers' log files on the node. */
  static Map<String, Object> containerInput(Pipeline p) {
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);
    return containerInput(p, logPaths(sources), MessageSizes.of(p));
  }

  /** The input reading {@code paths}, with the line limit of {@code sizes}. */
  static Map<String, Object> containerInput(Pipeline p, List<String> paths, MessageSizes sizes) {
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
          "match", Objects.requireNonNullElse(multiline.getMatch(), "after"),
          // Every line adds at least its separator: the byte limit, not the default 500 lines,
          // decides where a long event is truncated (and flagged).
          "max_lines", sizes.lineBytes())));
    }

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("type", "filestream");
    // The registry keys file state by this id: it must never change for a pipeline, or every
    // file would be read again from the start.
    input.put("id", inputId(p));
    input.put("paths", paths);
    List<String> excluded = nonNull(sources.getExcludeNamespaces());
    if (!excluded.isEmpty()) {
      // File names are <pod>_<namespace>_<container>-<id>.log; pod and namespace names have no
      // '_', so the namespace is matched exactly and excluded files are never opened.
      input.put("prospector.scanner.exclude_files", excluded.stream()
          .map(ns -> "^" + CONTAINER_LOGS + "/[^_]+_" + ns + "_").toList());
    }
    input.put("prospector.scanner.symlinks", true);
    input.putAll(fileIdentity());
    // A line longer than this is cut here and flagged log.flags: truncated, so that the event
    // stays below the Kafka output's limit, which would drop it (see MessageSizes).
    input.put("message_max_bytes", sizes.lineBytes());
    input.put("parsers", parsers);
    input.put("processors", processors(sources));
    return input;
  }

  /** The input's id, which keys its files' read positions in the registry. */
  static String inputId(Pipeline p) {
    return "logpipeline-" + p.namespace() + "-" + p.name();
  }

  /**
   * How Filebeat tells files apart and when it lets go of them, for kubelet's container logs
   * (the reasoning is in docs/durability.md, "File identity"):
   * <ul>
   * <li>native identity (inode and device), stated so that a Filebeat 9 image does not switch to
   *     the fingerprint, which ignores files shorter than the fingerprint, such as a short-lived
   *     pod's few lines;</li>
   * <li>a removed or rotated-away file is read to its end through the open handle (by default the
   *     harvester would close it, losing what it had not read yet), which also keeps its inode
   *     from being reused meanwhile;</li>
   * <li>the state of a removed file is dropped, so that a new file given its inode later starts
   *     at offset 0 rather than at the old file's offset.</li>
   * </ul>
   */
  static Map<String, Object> fileIdentity() {
    return ordered(
        "prospector.scanner.fingerprint.enabled", false,
        "file_identity.native", Map.of(),
        "close.on_state_change.removed", false,
        "clean_removed", true);
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
    // Larger events are dropped, not retried: MessageSizes keeps every event below it.
    kafka.put("max_message_bytes", MessageSizes.of(p).eventBytes());
    // Filebeat keeps unacknowledged events and retries until Kafka takes them; the registry
    // only advances on acknowledgement, so an outage delays but never drops.
    kafka.put("max_retries", 3);
    kafka.put("backoff.init", "1s");
    kafka.put("backoff.max", "60s");
    kafka.putAll(KafkaSecurity.filebeatSettings(p));
    return kafka;
  }

  static List<String> logPaths(SourcesSpec sources) {
    List<String> namespaces = nonNull(sources.getNamespaces());
    if (namespaces.isEmpty()) {
      return List.of(CONTAINER_LOGS + "/*.log");
    }
    return namespaces.stream().map(ns -> CONTAINER_LOGS + "/*_" + ns + "_*.log").toList();
  }

  /**
   * Enrichment, selection and decoding. Selection never depends on Kubernetes metadata alone:
   * the container comes from the file's path, and a pod selector drops an event only when its
   * metadata is there to say the pod does not match. An event without metadata is shipped and
   * tagged {@link #METADATA_MISSING_TAG}.
   */
  static List<Map<String, Object>> processors(SourcesSpec sources) {
    List<Map<String, Object>> processors = new ArrayList<>();
    processors.add(Map.of("add_kubernetes_metadata", ordered(
        "host", "${NODE_NAME}",
        "matchers", List.of(Map.of("logs_path", Map.of("logs_path", CONTAINER_LOGS + "/"))))));
    List<String> containers = nonNull(sources.getContainers());
    if (!containers.isEmpty()) {
      processors.add(Map.of("drop_event", Map.of("when", Map.of("not",
          Map.of("regexp", Map.of("log.file.path", containerPathRegex(containers)))))));
    }
    List<Map<String, Object>> selector = selectorConditions(sources.getPodSelector());
    if (!selector.isEmpty()) {
      Map<String, Object> matches = selector.size() == 1 ? selector.get(0) : Map.of("and", selector);
      processors.add(Map.of("drop_event", Map.of("when", Map.of("and", List.of(
          metadataPresent(), Map.of("not", matches))))));
    }
    if (sources.isJson()) {
      processors.add(Map.of("decode_json_fields", ordered(
          "fields", List.of("message"),
          "target", "",
          "overwrite_keys", true,
          "add_error_key", true)));
    }
    // After decoding, which would replace the tags with a "tags" key of the line.
    processors.add(Map.of("add_tags", ordered(
        "tags", List.of(METADATA_MISSING_TAG),
        "when", Map.of("not", metadataPresent()))));
    return processors;
  }

  private static Map<String, Object> metadataPresent() {
    return Map.of("has_fields", List.of(METADATA_PRESENT_FIELD));
  }

  /**
   * A file of one of these containers, from its name in /var/log/containers:
   * {@code <pod>_<namespace>_<container>-<container id>.log}. Pod and namespace names have no
   * '_'; a container name may have '-' but the runtime's id (hex) has none, so "app" never
   * matches the files of a container "app-worker".
   */
  static String containerPathRegex(List<String> containers) {
    String names = containers.stream().map(c -> REGEX_SPECIAL.matcher(c).replaceAll("\\\\$0"))
        .collect(java.util.stream.Collectors.joining("|"));
    return "^" + CONTAINER_LOGS + "/[^_/]+_[^_/]+_(" + names + ")-[0-9a-f]+\\.log$";
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
    return configMap(p, null);
  }

  /**
   * The pipeline's own filebeat.yml, reading {@code paths} when its ShipperClass confines it to
   * its namespace (null: what its sources select).
   */
  public static ConfigMap configMap(Pipeline p, List<String> paths) {
    return new ConfigMapBuilder()
        .withMetadata(p.metadata(p.shipperName(), Pipeline.COMPONENT_SHIPPER, PRODUCT))
        .addToData(CONFIG_KEY, ConfigFiles.yaml(filebeatConfig(p, paths)))
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
        .withRules(metadataRules())
        .build();
  }

  static List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> metadataRules() {
    return List.of(
        new PolicyRuleBuilder().withApiGroups("")
            .withResources("pods", "namespaces", "nodes").withVerbs("get", "list", "watch").build(),
        new PolicyRuleBuilder().withApiGroups("apps")
            .withResources("replicasets").withVerbs("get", "list", "watch").build(),
        new PolicyRuleBuilder().withApiGroups("batch")
            .withResources("jobs").withVerbs("get", "list", "watch").build());
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
    DaemonSet daemonSet = daemonSet(new Pod(
        p.metadata(p.shipperName(), Pipeline.COMPONENT_SHIPPER, PRODUCT),
        p.selectorLabels(PRODUCT), p.labels(Pipeline.COMPONENT_SHIPPER, PRODUCT), shipper,
        ConfigFiles.hash(config.getData()), hostDataPath(p),
        List.of(configVolume("config", p.shipperName())),
        List.of(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).build())));
    KafkaSecurity.shipperPod(p, daemonSet.getSpec().getTemplate(), PRODUCT);
    return daemonSet;
  }

  /**
   * What sets one Filebeat DaemonSet apart from another, per pipeline or shared by a group.
   *
   * @param metadata the DaemonSet's name, namespace and labels
   * @param selector the labels it selects its pods by
   * @param podLabels the labels of its pods
   * @param shipper image, resources and scheduling
   * @param configHash the hash of the configuration whose change must restart the pods
   * @param hostDataPath the node directory of the registry
   * @param configVolumes the ConfigMap volumes
   * @param configMounts where they are mounted
   */
  record Pod(io.fabric8.kubernetes.api.model.ObjectMeta metadata, Map<String, String> selector,
      Map<String, String> podLabels, ShipperSpec shipper, String configHash, String hostDataPath,
      List<io.fabric8.kubernetes.api.model.Volume> configVolumes,
      List<io.fabric8.kubernetes.api.model.VolumeMount> configMounts) {}

  /** A ConfigMap mounted as a directory, files readable by the owner (root) and the group only. */
  static io.fabric8.kubernetes.api.model.Volume configVolume(String volume, String configMap) {
    return new VolumeBuilder().withName(volume).withNewConfigMap()
        .withName(configMap)
        // Filebeat refuses a config file that group or others may write.
        .withDefaultMode(0640)
        .endConfigMap().build();
  }

  static DaemonSet daemonSet(Pod pod) {
    ShipperSpec shipper = pod.shipper();
    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(pod.configMounts());
    mounts.add(new VolumeMountBuilder().withName("data").withMountPath(DATA_DIR).build());
    mounts.add(new VolumeMountBuilder().withName("varlog").withMountPath("/var/log").withReadOnly(true).build());
    List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(pod.configVolumes());
    volumes.add(new VolumeBuilder().withName("data").withNewHostPath()
        .withPath(pod.hostDataPath()).withType("DirectoryOrCreate").endHostPath().build());
    volumes.add(new VolumeBuilder().withName("varlog").withNewHostPath()
        .withPath("/var/log").withType("Directory").endHostPath().build());
    if (containerRuntime(shipper) == ContainerRuntime.DOCKER) {
      // Docker nodes keep the files the /var/log/pods links point to here; containerd and CRI-O
      // write them under /var/log/pods itself.
      mounts.add(new VolumeMountBuilder().withName("dockercontainers").withMountPath(DOCKER_CONTAINERS)
          .withReadOnly(true).build());
      volumes.add(new VolumeBuilder().withName("dockercontainers").withNewHostPath()
          .withPath(DOCKER_CONTAINERS).endHostPath().build());
    }
    return new DaemonSetBuilder()
        .withMetadata(pod.metadata())
        .withNewSpec()
          .withNewSelector().withMatchLabels(pod.selector()).endSelector()
          .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(pod.podLabels())
              .addToAnnotations(Pipeline.CONFIG_HASH_ANNOTATION, pod.configHash())
            .endMetadata()
            .withNewSpec()
              .withServiceAccountName(pod.metadata().getName())
              .withTerminationGracePeriodSeconds(30L)
              .withNodeSelector(nodeSelector(shipper))
              .withTolerations(emptyToNull(tolerations(shipper)))
              .withPriorityClassName(priorityClassName(shipper))
              .addNewContainer()
                .withName(PRODUCT)
                .withImage(Objects.requireNonNullElse(blankToNull(shipper.getImage()), DEFAULT_IMAGE))
                .withArgs("-c", CONFIG_DIR + "/" + CONFIG_KEY, "-e", "--path.data", DATA_DIR)
                .addNewEnv().withName("NODE_NAME").withNewValueFrom()
                    .withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef()
                  .endValueFrom().endEnv()
                .withResources(Objects.requireNonNullElseGet(shipper.getResources(), ShipperModel::defaultResources))
                .withSecurityContext(securityContext(shipper))
                .withVolumeMounts(mounts)
              .endContainer()
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /** Every taint tolerated: GPU, Karpenter, control-plane and other tainted nodes run containers too. */
  public static List<Toleration> defaultTolerations() {
    return List.of(new TolerationBuilder().withOperator("Exists").build());
  }

  /** The spec's tolerations; absent: {@link #defaultTolerations()}, [] none. */
  public static List<Toleration> tolerations(ShipperSpec shipper) {
    return shipper.getTolerations() == null ? defaultTolerations() : shipper.getTolerations();
  }

  /** The spec's PriorityClass; absent: {@link #DEFAULT_PRIORITY_CLASS}, "" none. */
  static String priorityClassName(ShipperSpec shipper) {
    return shipper.getPriorityClassName() == null ? DEFAULT_PRIORITY_CLASS
        : blankToNull(shipper.getPriorityClassName());
  }

  /** {@link #DEFAULT_NODE_SELECTOR} and the spec's labels, which win on the same key. */
  public static Map<String, String> nodeSelector(ShipperSpec shipper) {
    Map<String, String> selector = new LinkedHashMap<>(DEFAULT_NODE_SELECTOR);
    if (shipper.getNodeSelector() != null) {
      selector.putAll(shipper.getNodeSelector());
    }
    return selector;
  }

  public static ContainerRuntime containerRuntime(ShipperSpec shipper) {
    return Objects.requireNonNullElse(shipper.getContainerRuntime(), DEFAULT_CONTAINER_RUNTIME);
  }

  /** Root only to read root-owned log files; nothing else is granted. */
  public static SecurityContext defaultSecurityContext() {
    return new SecurityContextBuilder()
        .withRunAsUser(0L)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .build();
  }

  /**
   * {@link #defaultSecurityContext()} with the fields the spec sets replaced, for nodes whose
   * SELinux policy keeps an ordinary container from the host's log files.
   */
  static SecurityContext securityContext(ShipperSpec shipper) {
    SecurityContext defaults = defaultSecurityContext();
    if (shipper.getSecurityContext() == null) {
      return defaults;
    }
    TypeReference<Map<String, Object>> tree = new TypeReference<>() {};
    Map<String, Object> merged = new LinkedHashMap<>(JSON.convertValue(defaults, tree));
    Map<String, Object> overrides = JSON.convertValue(shipper.getSecurityContext(), tree);
    overrides.values().removeIf(Objects::isNull);
    merged.putAll(overrides);
    if (Boolean.TRUE.equals(shipper.getSecurityContext().getPrivileged())
        && shipper.getSecurityContext().getAllowPrivilegeEscalation() == null) {
      // The API server refuses a privileged container that may not escalate privileges.
      merged.remove("allowPrivilegeEscalation");
    }
    return JSON.convertValue(merged, SecurityContext.class);
  }

  static Map<String, Object> ordered(Object... kv) {
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
