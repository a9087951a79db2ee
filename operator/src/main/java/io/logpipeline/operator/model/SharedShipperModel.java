package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassSpec;
import io.logpipeline.operator.api.SourcesSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The shared shipper of a ShipperClass: one Filebeat per node for every admitted pipeline that
 * ships to one Kafka connection (a group), with one input file per pipeline that Filebeat loads
 * and unloads without a restart. Pure functions, like Kyma's one builder of the shared agent's
 * configuration from all pipelines.
 *
 * <p>Filebeat has exactly one output, so a group is one class and one Kafka connection; each
 * input sets the topic of its events in {@code @metadata}, which the output reads, with no
 * fallback topic. Only input files are reloaded ({@code filebeat.config.inputs} with
 * {@code reload.enabled}); filebeat.yml is in its own ConfigMap whose hash rolls the pods.
 */
public final class SharedShipperModel {

  /** Where the inputs ConfigMap is mounted, whole (no subPath), so kubelet refreshes it in place. */
  static final String INPUTS_DIR = "/usr/share/filebeat/inputs.d";
  /** How often Filebeat looks for changed input files. */
  public static final int RELOAD_PERIOD_SECONDS = 10;
  /** The event's @metadata field that names its topic, read by the Kafka output. */
  static final String TOPIC_FIELD = "logpipeline_topic";
  public static final String LABEL_SHIPPER_CLASS = "logpipeline.io/shipper-class";
  static final String INPUTS_SUFFIX = "-inputs";
  /** Reason of Valid=False for sources beyond the pipeline's namespace. */
  public static final String CROSS_NAMESPACE_DENIED = "CrossNamespaceSourceDenied";

  private SharedShipperModel() {}

  /**
   * One shared Filebeat: its class, where it runs, its name and the pipelines whose inputs it
   * carries, in admission order.
   */
  public record Group(ShipperClass shipperClass, String namespace, String name, List<Pipeline> pipelines) {

    public Group {
      pipelines = List.copyOf(pipelines);
    }

    ShipperClassSpec spec() {
      return shipperClass.getSpec();
    }
  }

  /**
   * What one Filebeat output must agree on: the bootstrap servers, the security settings
   * (protocol, CA and, with Strimzi, the kind of authentication of the group's KafkaUser) and
   * the message size limit, which is the output's and each batch's.
   */
  public static String connection(Pipeline p) {
    String connection = String.join("|", p.bootstrapServers(), KafkaSecurity.protocol(p),
        Objects.toString(KafkaSecurity.caSecretName(p), ""), Integer.toString(groupTopicBytes(p)));
    // Only with authentication, so that the groups without keep their names (and DaemonSets).
    return KafkaSecurity.authentication(p) == KafkaAuthenticationType.NONE ? connection
        : connection + "|" + KafkaSecurity.authentication(p).name();
  }

  /**
   * Whether a pipeline's shipper needs a group of its own: its Kafka credentials (or the CA it
   * trusts) come from a Secret in its own namespace, and one Filebeat output is one Kafka
   * identity, so a tenant's Secret is never used for another tenant's logs. Its Filebeat runs
   * all the same in the operator's namespace, out of the tenant's reach. With Strimzi, never:
   * the group has a KafkaUser of its own ({@link KafkaUserModel#sharedShipperUser}) whose ACLs
   * name the topics of its pipelines, and its credentials and the cluster CA come from the Kafka
   * namespace.
   */
  public static boolean ownGroup(Pipeline p) {
    return !KafkaSecurity.strimzi(p) && KafkaSecurity.needsSecret(p);
  }

  /** Whether a group of this pipeline's connection has a Strimzi KafkaUser. */
  public static boolean needsKafkaUser(Pipeline p) {
    return KafkaUserModel.enabled(p);
  }

  /** The group's copy of its Kafka credentials and CA, in the operator's namespace. */
  public static String credentialsSecretName(Group g) {
    return g.name() + "-kafka";
  }

  /**
   * The copy of the group's credentials (those Strimzi writes for its KafkaUser, and the CA) its
   * pods mount, owned by the class like the rest of the group.
   */
  public static Secret credentialsSecret(Group g, KafkaSecurity.Credentials credentials) {
    return new SecretBuilder()
        .withMetadata(metadata(g, credentialsSecretName(g)))
        .withType("Opaque")
        .withData(KafkaSecurity.secretData(g.pipelines().get(0), credentials))
        .build();
  }

  /** The name of a group's DaemonSet, ServiceAccount and filebeat.yml ConfigMap. */
  public static String groupName(String className, String connection) {
    String hash = Names.hash(className + "\0" + connection, 8);
    String tail = "-" + hash;
    String base = "lp-shipper-" + className.replace('.', '-');
    int max = Names.WORKLOAD_NAME_MAX - INPUTS_SUFFIX.length() - tail.length();
    base = base.length() > max ? base.substring(0, max) : base;
    while (base.endsWith("-")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + tail;
  }

  /** The name of a group's inputs ConfigMap. */
  public static String inputsName(String groupName) {
    return groupName + INPUTS_SUFFIX;
  }

  /** A pipeline's key in the inputs ConfigMap: namespaces and names have no '/' nor '_'. */
  public static String inputKey(String namespace, String name) {
    return namespace + "." + name + ".yml";
  }

  public static String inputKey(Pipeline p) {
    return inputKey(p.namespace(), p.name());
  }

  /** Whether a pipeline in {@code namespace} may collect from other namespaces. */
  public static boolean clusterWide(ShipperClassSpec cls, String namespace) {
    return cls.getClusterWideNamespaces() != null && cls.getClusterWideNamespaces().contains(namespace);
  }

  /**
   * Tenancy: a pipeline outside the class's clusterWideNamespaces collects only its own
   * namespace. A cluster fact, checked before anything is written.
   */
  public static List<SpecProblem> tenancyProblems(Pipeline p, ShipperClassSpec cls) {
    if (clusterWide(cls, p.namespace())) {
      return List.of();
    }
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);
    List<String> others = ShipperModel.nonNull(sources.getNamespaces()).stream()
        .filter(ns -> !ns.equals(p.namespace())).toList();
    if (others.isEmpty()) {
      return List.of();
    }
    return List.of(new SpecProblem("spec.sources.namespaces", CROSS_NAMESPACE_DENIED + ": "
        + String.join(", ", others) + " is another namespace; a LogPipeline in " + p.namespace()
        + " collects only its own namespace, unless the ShipperClass lists " + p.namespace()
        + " in clusterWideNamespaces (ask the cluster's administrators)"));
  }

  /**
   * The files the pipeline's input reads: its own namespace's only, by the file name, unless the
   * pipeline lives in a cluster-wide namespace. Call after {@link #tenancyProblems} found none.
   */
  public static List<String> sourcePaths(Pipeline p, ShipperClassSpec cls) {
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);
    if (clusterWide(cls, p.namespace())) {
      return ShipperModel.logPaths(sources);
    }
    return List.of(ShipperModel.CONTAINER_LOGS + "/*_" + p.namespace() + "_*.log");
  }

  /**
   * The pipeline's input: today's input, its paths confined by tenancy, and last the topic its
   * events go to. Set after JSON decoding (which may write any field, @metadata included), so
   * that a crafted log line cannot route itself into another pipeline's topic.
   */
  public static Map<String, Object> input(Pipeline p, ShipperClassSpec cls) {
    SourcesSpec sources = Objects.requireNonNullElseGet(p.spec().getSources(), SourcesSpec::new);
    Map<String, Object> input = ShipperModel.containerInput(p, sourcePaths(p, cls),
        MessageSizes.of(groupTopicBytes(p), sources.isJson()));
    List<Map<String, Object>> processors = new ArrayList<>(ShipperModel.processors(sources));
    processors.add(Map.of("add_fields", ShipperModel.ordered(
        "target", "@metadata",
        "fields", Map.of(TOPIC_FIELD, p.topicName()))));
    input.put("processors", processors);
    return input;
  }

  /** The pipeline's input file: a list of one input, as Filebeat's reloaded files are. */
  public static String inputFile(Pipeline p, ShipperClassSpec cls) {
    return ConfigFiles.yaml(List.of(input(p, cls)));
  }

  /** Bytes of a set of input files in a ConfigMap, which the class bounds. */
  public static int size(Map<String, String> inputs) {
    return inputs.entrySet().stream()
        .mapToInt(e -> e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length)
        .sum();
  }

  /** filebeat.yml: inputs from the reloaded directory, one Kafka output routed by @metadata. */
  public static Map<String, Object> filebeatConfig(Group g) {
    Pipeline any = g.pipelines().get(0);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("filebeat.config.inputs", ShipperModel.ordered(
        "enabled", true,
        "path", INPUTS_DIR + "/*.yml",
        "reload.enabled", true,
        "reload.period", RELOAD_PERIOD_SECONDS + "s"));
    Map<String, Object> kafka = new LinkedHashMap<>(ShipperModel.kafkaOutput(any));
    // No default topic: an event without its input's topic goes nowhere rather than into
    // another pipeline's topic.
    kafka.put("topic", "%{[@metadata." + TOPIC_FIELD + "]}");
    kafka.put("client_id", "filebeat-" + g.name());
    kafka.put("max_message_bytes", MessageSizes.of(groupTopicBytes(any), false).eventBytes());
    config.put("output.kafka", kafka);
    config.put("logging.level", "info");
    config.put("logging.to_stderr", true);
    return config;
  }

  /** The group's filebeat.yml; its hash is on the pod template. */
  public static ConfigMap configMap(Group g) {
    return configMapWithData(g, Map.of(ShipperModel.CONFIG_KEY, ConfigFiles.yaml(filebeatConfig(g))));
  }

  /** The group's filebeat.yml ConfigMap with this content. */
  public static ConfigMap configMapWithData(Group g, Map<String, String> data) {
    return new ConfigMapBuilder().withMetadata(metadata(g, g.name())).withData(new TreeMap<>(data)).build();
  }

  /**
   * The group's input files. Which inputs are in it is the reconciler's decision (admission,
   * topic readiness, remove-wait-add); {@code inputs} maps each key to its file.
   */
  public static ConfigMap inputsConfigMap(Group g, Map<String, String> inputs) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(g, inputsName(g.name())))
        .withData(new TreeMap<>(inputs))
        .build();
  }

  /**
   * The group's DaemonSet. Its pod template depends on filebeat.yml only, never on the inputs:
   * adding or removing a pipeline changes a file in a mounted directory, not the pods.
   */
  public static DaemonSet daemonSet(Group g, ConfigMap config) {
    return daemonSet(g, config, null);
  }

  /**
   * As {@link #daemonSet(Group, ConfigMap)}, with the group's Kafka credentials mounted when its
   * connection needs them; {@code secretVersion} is the copy's resourceVersion (null while there
   * is none), on the pod template so that a rotation rolls the pods.
   */
  public static DaemonSet daemonSet(Group g, ConfigMap config, String secretVersion) {
    DaemonSet ds = pod(g, config);
    Pipeline any = g.pipelines().isEmpty() ? null : g.pipelines().get(0);
    if (any != null && KafkaSecurity.needsSecret(any)) {
      KafkaSecurity.shipperPod(any, ds.getSpec().getTemplate(), ShipperModel.PRODUCT, credentialsSecretName(g));
      KafkaSecurity.secretVersion(ds.getSpec().getTemplate(), secretVersion);
    }
    return ds;
  }

  private static DaemonSet pod(Group g, ConfigMap config) {
    return ShipperModel.daemonSet(new ShipperModel.Pod(
        metadata(g, g.name()), selectorLabels(g), labels(g), g.spec().podSettings(),
        ConfigFiles.hash(config.getData()), hostDataPath(g),
        List.of(ShipperModel.configVolume("config", g.name()),
            ShipperModel.configVolume("inputs", inputsName(g.name()))),
        List.of(
            new VolumeMountBuilder().withName("config").withMountPath(ShipperModel.CONFIG_DIR)
                .withReadOnly(true).build(),
            new VolumeMountBuilder().withName("inputs").withMountPath(INPUTS_DIR)
                .withReadOnly(true).build())));
  }

  /** One registry per group on the node; inputs keep their ids, so positions are per pipeline. */
  static String hostDataPath(Group g) {
    return ShipperModel.HOST_DATA_ROOT + "/shared/" + g.name();
  }

  public static ServiceAccount serviceAccount(Group g) {
    return new ServiceAccountBuilder().withMetadata(metadata(g, g.name())).build();
  }

  /** The read access add_kubernetes_metadata needs, as for a per-pipeline shipper. */
  public static ClusterRole clusterRole(Group g) {
    return new ClusterRoleBuilder()
        .withMetadata(clusterMetadata(g))
        .withRules(ShipperModel.metadataRules())
        .build();
  }

  public static ClusterRoleBinding clusterRoleBinding(Group g) {
    return new ClusterRoleBindingBuilder()
        .withMetadata(clusterMetadata(g))
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRoleName(g))
        .addNewSubject().withKind("ServiceAccount").withName(g.name())
            .withNamespace(g.namespace()).endSubject()
        .build();
  }

  /** ClusterRole names may hold ':', which no namespace or workload name does. */
  public static String clusterRoleName(Group g) {
    return "logpipeline:" + g.namespace() + ":" + g.name();
  }

  private static ObjectMeta clusterMetadata(Group g) {
    return new ObjectMetaBuilder().withName(clusterRoleName(g)).withLabels(labels(g)).build();
  }

  static ObjectMeta metadata(Group g, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(g.namespace()).withLabels(labels(g)).build();
  }

  public static Map<String, String> labels(Group g) {
    Map<String, String> labels = new LinkedHashMap<>(selectorLabels(g));
    labels.put(Pipeline.LABEL_COMPONENT, Pipeline.COMPONENT_SHIPPER);
    labels.put(Pipeline.LABEL_PART_OF, "logpipeline");
    labels.put(Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY);
    labels.put(LABEL_SHIPPER_CLASS, Names.labelValue(g.shipperClass().getMetadata().getName()));
    return labels;
  }

  static Map<String, String> selectorLabels(Group g) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Pipeline.LABEL_NAME, ShipperModel.PRODUCT);
    labels.put(Pipeline.LABEL_INSTANCE, g.name());
    return labels;
  }

  /**
   * The topic size limit a group's output works with: the pipeline's, never above Kafka's
   * default, so that pipelines with default topics share one group and a smaller topic gets a
   * group of its own (a batch above a topic's limit is refused whole).
   */
  static int groupTopicBytes(Pipeline p) {
    return Math.min(MessageSizes.of(p).topicBytes(), MessageSizes.DEFAULT_TOPIC_BYTES);
  }
}
