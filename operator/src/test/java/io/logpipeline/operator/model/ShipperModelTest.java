package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.logpipeline.operator.api.ContainerRuntime;
import io.logpipeline.operator.api.MultilineSpec;
import io.logpipeline.operator.api.ShipperSpec;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ShipperModelTest {

  private static final Pipeline PAYMENTS = Specs.resolve(Specs.minimal());

  // ---------------------------------------------------------------- DaemonSet

  @Nested
  class DaemonSetPod {

    private final DaemonSet ds = ShipperModel.daemonSet(PAYMENTS);
    private final PodSpec pod = ds.getSpec().getTemplate().getSpec();
    private final Container filebeat = pod.getContainers().get(0);

    @Test
    void runsOneFilebeatContainerUnderItsServiceAccount() {
      assertThat(pod.getContainers()).hasSize(1);
      assertThat(filebeat.getName()).isEqualTo("filebeat");
      assertThat(filebeat.getImage()).isEqualTo(ShipperModel.DEFAULT_IMAGE);
      assertThat(pod.getServiceAccountName())
          .isEqualTo(ShipperModel.serviceAccount(PAYMENTS).getMetadata().getName());
    }

    @Test
    void mountsTheNodeLogDirectoryReadOnlyAndNothingOfDocker() {
      VolumeMount varlog = mountAt("/var/log");
      assertThat(varlog.getReadOnly()).isTrue();
      assertThat(volume(varlog.getName()).getHostPath().getPath()).isEqualTo("/var/log");
      // containerd and CRI-O (EKS AL2023, Bottlerocket) write the files under /var/log/pods
      assertThat(filebeat.getVolumeMounts()).noneMatch(m -> m.getMountPath().startsWith("/var/lib/docker"));
      assertThat(pod.getVolumes()).noneMatch(v -> v.getHostPath() != null
          && v.getHostPath().getPath().startsWith("/var/lib/docker"));
    }

    @Test
    void readsItsConfigFromTheConfigMapMountedAtEtcFilebeat() {
      VolumeMount config = mountAt("/etc/filebeat");
      assertThat(config.getReadOnly()).isTrue();
      Volume volume = volume(config.getName());
      assertThat(volume.getConfigMap().getName())
          .isEqualTo(ShipperModel.configMap(PAYMENTS).getMetadata().getName());
      assertThat(argAfter("-c")).isEqualTo("/etc/filebeat/" + ShipperModel.CONFIG_KEY);
      assertThat(ShipperModel.configMap(PAYMENTS).getData()).containsKey(ShipperModel.CONFIG_KEY);
      // Filebeat refuses a config file writable by group or others (strict.perms).
      assertThat(volume.getConfigMap().getDefaultMode() & 0022).isZero();
    }

    @Test
    void keepsTheRegistryOnAHostPathUniqueToThePipeline() {
      String dataPath = argAfter("--path.data");
      VolumeMount data = mountAt(dataPath);
      assertThat(data.getReadOnly()).isNotEqualTo(Boolean.TRUE);
      Volume volume = volume(data.getName());
      assertThat(volume.getHostPath().getPath()).isEqualTo("/var/lib/logpipeline/logging/payments");
      assertThat(volume.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
      assertThat(ShipperModel.hostDataPath(PAYMENTS)).isEqualTo(volume.getHostPath().getPath());
    }

    @Test
    void passesTheNodeNameFromTheDownwardApi() {
      var env = filebeat.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).toList();
      assertThat(env).hasSize(1);
      assertThat(env.get(0).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    @Test
    void runsAsRootWithNothingElsePrivileged() {
      var sc = filebeat.getSecurityContext();
      assertThat(sc.getRunAsUser()).isZero();
      assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void defaultsResources() {
      assertThat(filebeat.getResources()).isEqualTo(ShipperModel.defaultResources());
      assertThat(filebeat.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(filebeat.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void runsOnEveryLinuxNodeTaintedOrNotBeforeTheWorkloads() {
      assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
        assertThat(t.getOperator()).isEqualTo("Exists");
        assertThat(t.getKey()).isNull();
        assertThat(t.getEffect()).isNull();
      });
      assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
      assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    }

    @Test
    void selectsItsOwnPods() {
      assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
      assertThat(ds.getSpec().getSelector().getMatchLabels())
          .containsEntry(Pipeline.LABEL_INSTANCE, "payments")
          .containsEntry(Pipeline.LABEL_NAME, "filebeat");
    }

    private VolumeMount mountAt(String path) {
      return filebeat.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
          .findFirst().orElseThrow(() -> new AssertionError("no mount at " + path + " in "
              + filebeat.getVolumeMounts()));
    }

    private Volume volume(String name) {
      return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private String argAfter(String flag) {
      List<String> args = filebeat.getArgs();
      int i = args.indexOf(flag);
      assertThat(i).as("%s in %s", flag, args).isNotNegative().isLessThan(args.size() - 1);
      return args.get(i + 1);
    }
  }

  @Test
  void twoPipelinesNeverShareARegistry() {
    Pipeline other = Specs.resolve(Specs.pipeline("payments", "shop", s -> { }));
    Pipeline another = Specs.resolve(Specs.pipeline("orders", "logging", s -> { }));
    assertThat(List.of(ShipperModel.hostDataPath(PAYMENTS), ShipperModel.hostDataPath(other),
        ShipperModel.hostDataPath(another))).doesNotHaveDuplicates();
  }

  @Test
  void takesSchedulingAndResourcesFromTheSpec() {
    var resources = new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("50m"))
        .addToLimits("memory", new Quantity("512Mi")).build();
    var toleration = new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane")
        .withOperator("Exists").withEffect("NoSchedule").build();
    Pipeline p = Specs.resolve(spec -> {
      ShipperSpec shipper = spec.getShipper();
      shipper.setImage("registry.example/filebeat:9.0.0");
      shipper.setResources(resources);
      shipper.setTolerations(new ArrayList<>(List.of(toleration)));
      shipper.setNodeSelector(new LinkedHashMap<>(Map.of("kubernetes.io/os", "linux")));
      shipper.setPriorityClassName("system-node-critical");
    });
    PodSpec pod = ShipperModel.daemonSet(p).getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations()).containsExactly(toleration);
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getContainers().get(0).getResources()).isEqualTo(resources);
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example/filebeat:9.0.0");
  }

  @Test
  void theSpecsNodeSelectorAddsToLinuxAndMayReplaceIt() {
    PodSpec pool = podSpec(spec -> spec.getShipper().setNodeSelector(
        new LinkedHashMap<>(Map.of("pool", "system"))));
    assertThat(pool.getNodeSelector()).containsOnly(Map.entry("kubernetes.io/os", "linux"),
        Map.entry("pool", "system"));
    PodSpec windows = podSpec(spec -> spec.getShipper().setNodeSelector(
        new LinkedHashMap<>(Map.of("kubernetes.io/os", "windows"))));
    assertThat(windows.getNodeSelector()).containsOnly(Map.entry("kubernetes.io/os", "windows"));
  }

  @Test
  void emptyTolerationsAndPriorityClassTurnTheDefaultsOff() {
    PodSpec pod = podSpec(spec -> {
      spec.getShipper().setTolerations(new ArrayList<>());
      spec.getShipper().setPriorityClassName("");
    });
    assertThat(pod.getTolerations()).isNullOrEmpty();
    assertThat(pod.getPriorityClassName()).isNull();
  }

  @Test
  void dockerNodesGetTheirContainerDirectoryMountedReadOnly() {
    PodSpec pod = podSpec(spec -> spec.getShipper().setContainerRuntime(ContainerRuntime.DOCKER));
    VolumeMount docker = pod.getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals("/var/lib/docker/containers")).findFirst().orElseThrow();
    assertThat(docker.getReadOnly()).isTrue();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(docker.getName())).singleElement()
        .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/lib/docker/containers"));
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/var/log"));
  }

  @Test
  void theSecurityContextTakesTheSpecsFieldsOverTheDefaults() {
    SecurityContext selinux = podSpec(spec -> spec.getShipper().setSecurityContext(new SecurityContextBuilder()
        .withNewSeLinuxOptions().withType("spc_t").endSeLinuxOptions().build()))
        .getContainers().get(0).getSecurityContext();
    assertThat(selinux.getSeLinuxOptions().getType()).isEqualTo("spc_t");
    // what the spec does not set keeps its default
    assertThat(selinux.getRunAsUser()).isZero();
    assertThat(selinux.getReadOnlyRootFilesystem()).isTrue();
    assertThat(selinux.getAllowPrivilegeEscalation()).isFalse();
    assertThat(selinux.getCapabilities().getDrop()).containsExactly("ALL");

    SecurityContext privileged = podSpec(spec -> spec.getShipper().setSecurityContext(
        new SecurityContextBuilder().withPrivileged(true).build())).getContainers().get(0).getSecurityContext();
    assertThat(privileged.getPrivileged()).isTrue();
    // the API server refuses privileged: true with allowPrivilegeEscalation: false
    assertThat(privileged.getAllowPrivilegeEscalation()).isNull();
    assertThat(privileged.getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void theDefaultsAreNamedInOnePlace() {
    PodSpec pod = ShipperModel.daemonSet(PAYMENTS).getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations()).isEqualTo(ShipperModel.defaultTolerations());
    assertThat(pod.getPriorityClassName()).isEqualTo(ShipperModel.DEFAULT_PRIORITY_CLASS);
    assertThat(pod.getNodeSelector()).isEqualTo(ShipperModel.DEFAULT_NODE_SELECTOR);
    assertThat(pod.getContainers().get(0).getSecurityContext()).isEqualTo(ShipperModel.defaultSecurityContext());
  }

  private static PodSpec podSpec(java.util.function.Consumer<io.logpipeline.operator.api.LogPipelineSpec> edit) {
    return ShipperModel.daemonSet(Specs.resolve(edit)).getSpec().getTemplate().getSpec();
  }

  @Test
  void configHashOnThePodTemplateFollowsFilebeatYml() {
    String hash = configHash(PAYMENTS);
    assertThat(hash).isEqualTo(ConfigFiles.hash(ShipperModel.configMap(PAYMENTS).getData()));
    assertThat(configHash(Specs.resolve(Specs.minimal()))).as("deterministic").isEqualTo(hash);

    Pipeline json = Specs.resolve(spec -> spec.getSources().setJson(true));
    assertThat(configHash(json)).isNotEqualTo(hash);
    Pipeline topic = Specs.resolve(spec -> spec.getKafka().getTopic().setName("other-topic"));
    assertThat(configHash(topic)).isNotEqualTo(hash);
  }

  @Test
  void configHashIgnoresWhatFilebeatYmlDoesNotContain() {
    String hash = configHash(PAYMENTS);
    Pipeline tolerating = Specs.resolve(spec -> spec.getShipper().setTolerations(new ArrayList<>(
        List.of(new TolerationBuilder().withOperator("Exists").build()))));
    Pipeline pinned = Specs.resolve(spec -> spec.getShipper().setNodeSelector(
        new LinkedHashMap<>(Map.of("pool", "system"))));
    Pipeline filtered = Specs.resolve(spec -> spec.getIndexer().setFilter("mutate { }"));
    assertThat(configHash(tolerating)).isEqualTo(hash);
    assertThat(configHash(pinned)).isEqualTo(hash);
    assertThat(configHash(filtered)).isEqualTo(hash);
  }

  private static String configHash(Pipeline p) {
    return ShipperModel.daemonSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(Pipeline.CONFIG_HASH_ANNOTATION);
  }

  @Test
  void everyShipperObjectCarriesTheRecommendedLabels() {
    for (var o : List.of(ShipperModel.configMap(PAYMENTS), ShipperModel.serviceAccount(PAYMENTS),
        ShipperModel.daemonSet(PAYMENTS), ShipperModel.clusterRole(PAYMENTS),
        ShipperModel.clusterRoleBinding(PAYMENTS))) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind())
          .containsEntry(Pipeline.LABEL_NAME, "filebeat")
          .containsEntry(Pipeline.LABEL_INSTANCE, "payments")
          .containsEntry(Pipeline.LABEL_COMPONENT, "shipper")
          .containsEntry(Pipeline.LABEL_MANAGED_BY, "logpipeline-operator");
    }
    for (var o : List.of(ShipperModel.configMap(PAYMENTS), ShipperModel.serviceAccount(PAYMENTS),
        ShipperModel.daemonSet(PAYMENTS))) {
      assertThat(o.getMetadata().getName()).isEqualTo("payments-filebeat");
      assertThat(o.getMetadata().getNamespace()).isEqualTo("logging");
    }
  }

  // ---------------------------------------------------------------- RBAC

  @Test
  void clusterRoleGrantsReadOnlyAccessToWhatMetadataEnrichmentNeeds() {
    ClusterRole role = ShipperModel.clusterRole(PAYMENTS);
    Map<String, PolicyRule> byGroup = role.getRules().stream()
        .collect(Collectors.toMap(r -> String.join(",", r.getApiGroups()), Function.identity()));
    assertThat(byGroup.get("").getResources()).containsExactlyInAnyOrder("pods", "namespaces", "nodes");
    assertThat(byGroup.get("apps").getResources()).containsExactly("replicasets");
    assertThat(byGroup.get("batch").getResources()).containsExactly("jobs");
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    }
    assertThat(role.getMetadata().getNamespace()).isNull();
    assertThat(role.getMetadata().getLabels()).containsEntry(Pipeline.LABEL_OWNER_NAMESPACE, "logging");
  }

  @Test
  void clusterRoleBindingBindsTheRoleToTheDaemonSetsServiceAccount() {
    ClusterRoleBinding binding = ShipperModel.clusterRoleBinding(PAYMENTS);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(ShipperModel.clusterRole(PAYMENTS).getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(ShipperModel.serviceAccount(PAYMENTS).getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo("logging");
    });
  }

  @Test
  void clusterScopedNamesDifferAcrossNamespaces() {
    Pipeline shop = Specs.resolve(Specs.pipeline("payments", "shop", s -> { }));
    assertThat(ShipperModel.clusterRole(shop).getMetadata().getName())
        .isNotEqualTo(ShipperModel.clusterRole(PAYMENTS).getMetadata().getName());
  }

  @Test
  void clusterScopedNamesNeverCollide() {
    Pipeline a = Specs.resolve(Specs.pipeline("logs", "team-a", s -> { }));
    Pipeline b = Specs.resolve(Specs.pipeline("a-logs", "team", s -> { }));
    assertThat(ShipperModel.clusterRole(a).getMetadata().getName())
        .isNotEqualTo(ShipperModel.clusterRole(b).getMetadata().getName());
  }

  // ---------------------------------------------------------------- filebeat.yml: inputs

  @Nested
  class FilebeatInput {

    @Test
    void isOneFilestreamInputWithAStableId() {
      JsonNode inputs = Specs.filebeatYaml(PAYMENTS).get("filebeat.inputs");
      assertThat(inputs).hasSize(1);
      JsonNode input = inputs.get(0);
      assertThat(input.get("type").asText()).isEqualTo("filestream");
      String id = input.get("id").asText();
      assertThat(id).isNotBlank().contains("logging").contains("payments");

      // the registry keys file state by id: changing what is collected must not change it
      Pipeline changed = Specs.resolve(spec -> {
        spec.getSources().setNamespaces(new ArrayList<>(List.of("payments")));
        spec.getSources().setJson(true);
        spec.getSources().setContainers(new ArrayList<>(List.of("app")));
        spec.getKafka().getTopic().setName("elsewhere");
      });
      assertThat(input(changed).get("id").asText()).isEqualTo(id);
      assertThat(input(Specs.resolve(Specs.pipeline("orders", "logging", s -> { })))
          .get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void readsEveryContainerLogFollowingSymlinksByDefault() {
      JsonNode input = input(PAYMENTS);
      assertThat(texts(input.get("paths"))).containsExactly("/var/log/containers/*.log");
      assertThat(input.get("prospector.scanner.symlinks").asBoolean()).isTrue();
      assertThat(input.has("prospector.scanner.exclude_files")).isFalse();
    }

    @Test
    void readsOnlyTheFilesOfTheListedNamespaces() {
      Pipeline p = Specs.resolve(spec ->
          spec.getSources().setNamespaces(new ArrayList<>(List.of("payments", "shop"))));
      List<PathMatcher> globs = texts(input(p).get("paths")).stream()
          .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
      assertThat(globs).hasSize(2);
      assertThat(matchesAny(globs, logFile("api-7d9f-x2x", "payments", "app"))).isTrue();
      assertThat(matchesAny(globs, logFile("web-1", "shop", "nginx"))).isTrue();
      assertThat(matchesAny(globs, logFile("coredns-1", "kube-system", "coredns"))).isFalse();
      assertThat(matchesAny(globs, logFile("api", "payments-staging", "app"))).isFalse();
    }

    @Test
    void neverOpensTheFilesOfExcludedNamespaces() {
      Pipeline p = Specs.resolve(spec ->
          spec.getSources().setExcludeNamespaces(new ArrayList<>(List.of("kube-system"))));
      List<Pattern> excludes = texts(input(p).get("prospector.scanner.exclude_files")).stream()
          .map(Pattern::compile).toList();
      assertThat(excludes).hasSize(1);
      assertThat(excluded(excludes, logFile("coredns-5d78c9869d-abcde", "kube-system", "coredns")))
          .isTrue();
      assertThat(excluded(excludes, logFile("api", "kube-system-extra", "app"))).isFalse();
      // a pod named like the namespace, in another namespace
      assertThat(excluded(excludes, logFile("kube-system", "payments", "app"))).isFalse();
      assertThat(excluded(excludes, logFile("api", "payments", "kube-system"))).isFalse();
    }

    /**
     * A deleted pod's (or rotated file's) last lines: Filebeat's default closes a removed file
     * before it has read it to the end. The state of a removed file is dropped, so that an inode
     * the file system reuses later starts at offset 0.
     */
    @Test
    void readsARemovedFileToItsEndThenForgetsIt() {
      JsonNode input = input(PAYMENTS);
      assertThat(input.get("close.on_state_change.removed").isBoolean()).isTrue();
      assertThat(input.get("close.on_state_change.removed").asBoolean()).isFalse();
      // renamed (rotation): Filebeat's default already keeps reading
      assertThat(input.has("close.on_state_change.renamed")).isFalse();
      assertThat(input.has("close.reader.on_eof")).isFalse();
      assertThat(input.get("clean_removed").asBoolean()).isTrue();
    }

    /**
     * Native file identity, stated: Filebeat 9's default, the fingerprint, ignores files shorter
     * than the fingerprint (1 KiB), such as a Job's or a crash-looping container's few lines.
     */
    @Test
    void identifiesFilesByInodeOnEveryFilebeatVersion() {
      JsonNode input = input(PAYMENTS);
      assertThat(input.has("file_identity.native")).isTrue();
      assertThat(input.has("file_identity.fingerprint")).isFalse();
      assertThat(input.get("prospector.scanner.fingerprint.enabled").asBoolean()).isFalse();
      // and never reads both a link and its target: only the /var/log/containers links
      assertThat(texts(input.get("paths"))).allMatch(path -> path.startsWith("/var/log/containers/"));
    }

    @Test
    void parsesContainerFormatsFirst() {
      JsonNode parsers = input(PAYMENTS).get("parsers");
      assertThat(parsers).hasSize(1);
      assertThat(parsers.get(0).has("container")).isTrue();
    }

    @Test
    void joinsMultilineEventsAfterTheContainerParser() {
      MultilineSpec multiline = new MultilineSpec();
      multiline.setPattern("^\\s");
      multiline.setNegate(false);
      multiline.setMatch("after");
      Pipeline p = Specs.resolve(spec -> spec.getSources().setMultiline(multiline));
      JsonNode parsers = input(p).get("parsers");
      assertThat(parsers).hasSize(2);
      assertThat(parsers.get(0).has("container")).isTrue();
      JsonNode m = parsers.get(1).get("multiline");
      assertThat(m.get("type").asText()).isEqualTo("pattern");
      assertThat(m.get("pattern").asText()).isEqualTo("^\\s");
      assertThat(m.get("negate").isBoolean()).isTrue();
      assertThat(m.get("negate").asBoolean()).isFalse();
      assertThat(m.get("match").asText()).isEqualTo("after");
    }

    @Test
    void enrichesEventsWithKubernetesMetadataOfTheNode() {
      JsonNode processors = input(PAYMENTS).get("processors");
      JsonNode k8s = processors.get(0).get("add_kubernetes_metadata");
      assertThat(k8s).as("add_kubernetes_metadata comes first").isNotNull();
      assertThat(k8s.get("host").asText()).isEqualTo("${NODE_NAME}");
      assertThat(k8s.get("matchers").get(0).get("logs_path").get("logs_path").asText())
          .isEqualTo("/var/log/containers/");
      assertThat(processorNames(PAYMENTS)).doesNotContain("drop_event", "decode_json_fields");
    }

    @Test
    void decodesJsonLinesOnlyWhenAsked() {
      Pipeline p = Specs.resolve(spec -> spec.getSources().setJson(true));
      JsonNode decode = processor(p, "decode_json_fields");
      assertThat(texts(decode.get("fields"))).containsExactly("message");
      assertThat(processorNames(PAYMENTS)).doesNotContain("decode_json_fields");
    }
  }

  // ---------------------------------------------------------------- filebeat.yml: selection

  @Nested
  class PodSelection {

    @Test
    void dropsNothingWithoutSelectorOrContainers() {
      assertThat(kept(PAYMENTS, "anything", Map.of())).isTrue();
    }

    @Test
    void matchLabelsKeepsOnlyMatchingPods() {
      Pipeline p = select(new LabelSelectorBuilder().addToMatchLabels("tier", "api")
          .addToMatchLabels("team", "payments").build());
      assertThat(kept(p, "app", Map.of("tier", "api", "team", "payments", "x", "y"))).isTrue();
      assertThat(kept(p, "app", Map.of("tier", "api"))).isFalse();
      assertThat(kept(p, "app", Map.of("tier", "web", "team", "payments"))).isFalse();
      assertThat(kept(p, "app", Map.of())).isFalse();
    }

    @Test
    void labelKeysWithDotsAreMatchedDedotted() {
      Pipeline p = select(new LabelSelectorBuilder()
          .addToMatchLabels("app.kubernetes.io/name", "payments").build());
      assertThat(kept(p, "app", Map.of("app.kubernetes.io/name", "payments"))).isTrue();
      assertThat(kept(p, "app", Map.of("app.kubernetes.io/name", "orders"))).isFalse();
      assertThat(conditionFields(p)).contains("kubernetes.labels.app_kubernetes_io/name")
          .noneMatch(f -> f.startsWith("kubernetes.labels.")
              && f.substring("kubernetes.labels.".length()).contains("."));
    }

    @Test
    void matchExpressionIn() {
      Pipeline p = select(new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("env").withOperator("In").withValues("prod", "staging").endMatchExpression().build());
      assertThat(kept(p, "app", Map.of("env", "prod"))).isTrue();
      assertThat(kept(p, "app", Map.of("env", "staging"))).isTrue();
      assertThat(kept(p, "app", Map.of("env", "dev"))).isFalse();
      assertThat(kept(p, "app", Map.of())).isFalse();
    }

    @Test
    void matchExpressionInWithOneValue() {
      Pipeline p = select(new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("env").withOperator("In").withValues("prod").endMatchExpression().build());
      assertThat(kept(p, "app", Map.of("env", "prod"))).isTrue();
      assertThat(kept(p, "app", Map.of("env", "dev"))).isFalse();
    }

    @Test
    void matchExpressionNotInKeepsPodsWithoutTheLabel() {
      Pipeline p = select(new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("env").withOperator("NotIn").withValues("dev", "test").endMatchExpression().build());
      assertThat(kept(p, "app", Map.of("env", "prod"))).isTrue();
      assertThat(kept(p, "app", Map.of())).as("Kubernetes: NotIn matches a missing label").isTrue();
      assertThat(kept(p, "app", Map.of("env", "dev"))).isFalse();
      assertThat(kept(p, "app", Map.of("env", "test"))).isFalse();
    }

    @Test
    void matchExpressionExistsAndDoesNotExist() {
      Pipeline exists = select(new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("logging.example.com/enabled").withOperator("Exists").endMatchExpression().build());
      assertThat(kept(exists, "app", Map.of("logging.example.com/enabled", "x"))).isTrue();
      assertThat(kept(exists, "app", Map.of("other", "x"))).isFalse();

      Pipeline absent = select(new LabelSelectorBuilder().addNewMatchExpression()
          .withKey("noisy").withOperator("DoesNotExist").endMatchExpression().build());
      assertThat(kept(absent, "app", Map.of("other", "x"))).isTrue();
      assertThat(kept(absent, "app", Map.of("noisy", "true"))).isFalse();
    }

    @Test
    void selectorTermsAreAnded() {
      Pipeline p = select(new LabelSelectorBuilder().addToMatchLabels("tier", "api")
          .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev")
          .endMatchExpression().build());
      assertThat(kept(p, "app", Map.of("tier", "api", "env", "prod"))).isTrue();
      assertThat(kept(p, "app", Map.of("tier", "api", "env", "dev"))).isFalse();
      assertThat(kept(p, "app", Map.of("tier", "web", "env", "prod"))).isFalse();
    }

    @Test
    void containersKeepOnlyTheNamedContainers() {
      Pipeline p = Specs.resolve(spec ->
          spec.getSources().setContainers(new ArrayList<>(List.of("app", "worker"))));
      assertThat(kept(p, "app", Map.of())).isTrue();
      assertThat(kept(p, "worker", Map.of())).isTrue();
      assertThat(kept(p, "istio-proxy", Map.of())).isFalse();
    }

    @Test
    void containersAndSelectorMustBothMatch() {
      Pipeline p = Specs.resolve(spec -> {
        spec.getSources().setContainers(new ArrayList<>(List.of("app")));
        spec.getSources().setPodSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "api").build());
      });
      assertThat(kept(p, "app", Map.of("tier", "api"))).isTrue();
      assertThat(kept(p, "sidecar", Map.of("tier", "api"))).isFalse();
      assertThat(kept(p, "app", Map.of("tier", "web"))).isFalse();
    }

    @Test
    void dropsAfterMetadataIsAddedAndBeforeJsonDecoding() {
      Pipeline p = Specs.resolve(spec -> {
        spec.getSources().setJson(true);
        spec.getSources().setPodSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "api").build());
      });
      assertThat(processorNames(p))
          .containsExactly("add_kubernetes_metadata", "drop_event", "decode_json_fields", "add_tags");
    }

    @Test
    void labelValuesThatLookLikeKeywordsStayStrings() {
      Pipeline p = select(new LabelSelectorBuilder().addToMatchLabels("enabled", "true")
          .addToMatchLabels("debug", "no").addToMatchLabels("build", "0755")
          .addToMatchLabels("v", "123").addToMatchLabels("e", "null").build());
      assertThat(kept(p, "app",
          Map.of("enabled", "true", "debug", "no", "build", "0755", "v", "123", "e", "null"))).isTrue();
    }

    @Test
    void labelValuesThatLookLikeNumbersInOtherNotationsStayStrings() {
      Pipeline p = select(new LabelSelectorBuilder().addToMatchLabels("build", "1e3")
          .addToMatchLabels("rev", "0x1F").addToMatchLabels("n", "1_000").build());
      assertThat(kept(p, "app", Map.of("build", "1e3", "rev", "0x1F", "n", "1_000"))).isTrue();
    }

    private Pipeline select(io.fabric8.kubernetes.api.model.LabelSelector selector) {
      return Specs.resolve(spec -> spec.getSources().setPodSelector(selector));
    }
  }

  // ---------------------------------------------------------------- filebeat.yml: output

  @Nested
  class KafkaOutput {

    @Test
    void isTheOnlyOutput() {
      List<String> outputs = new ArrayList<>();
      Specs.filebeatYaml(PAYMENTS).fieldNames().forEachRemaining(k -> {
        if (k.startsWith("output")) {
          outputs.add(k);
        }
      });
      assertThat(outputs).containsExactly("output.kafka");
    }

    @Test
    void waitsForAllInSyncReplicasAndCompresses() {
      JsonNode kafka = kafka(PAYMENTS);
      assertThat(kafka.get("required_acks").isInt()).isTrue();
      assertThat(kafka.get("required_acks").asInt()).isEqualTo(-1);
      assertThat(kafka.get("compression").asText()).isIn("gzip", "snappy", "lz4", "zstd");
    }

    @Test
    void publishesToThePipelinesTopicAtTheDefaultBootstrapAddress() {
      JsonNode kafka = kafka(PAYMENTS);
      assertThat(kafka.get("topic").asText()).isEqualTo("logs.logging.payments");
      assertThat(texts(kafka.get("hosts")))
          .containsExactly("my-cluster-kafka-bootstrap.logging.svc:9092");
    }

    @Test
    void defaultBootstrapFollowsTheKafkaNamespace() {
      Pipeline p = Specs.resolve(spec -> spec.getKafka().setNamespace("kafka"));
      assertThat(texts(kafka(p).get("hosts"))).containsExactly("my-cluster-kafka-bootstrap.kafka.svc:9092");
    }

    @Test
    void explicitBootstrapServersAreSplitIntoHosts() {
      Pipeline p = Specs.resolve(spec ->
          spec.getKafka().setBootstrapServers("b-1.msk.example:9092, b-2.msk.example:9092"));
      assertThat(texts(kafka(p).get("hosts")))
          .containsExactly("b-1.msk.example:9092", "b-2.msk.example:9092");
    }

    @Test
    void topicNameIsTheKafkaNameEvenWhenNotAKubernetesName() {
      Pipeline p = Specs.resolve(spec -> spec.getKafka().getTopic().setName("Team_Logs"));
      assertThat(kafka(p).get("topic").asText()).isEqualTo("Team_Logs");
    }

    @Test
    void neverSendsEventsLargerThanTheTopicAcceptsByDefault() {
      // Kafka's default max.message.bytes
      assertThat(kafka(PAYMENTS).get("max_message_bytes").asLong()).isLessThanOrEqualTo(1_048_588L);
    }

    @Test
    void neverSendsEventsLargerThanTheTopicAccepts() {
      Pipeline p = Specs.resolve(spec ->
          spec.getKafka().getTopic().getConfig().put("max.message.bytes", "524288"));
      assertThat(kafka(p).get("max_message_bytes").asLong()).isLessThanOrEqualTo(524_288L);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static JsonNode input(Pipeline p) {
    return Specs.filebeatYaml(p).get("filebeat.inputs").get(0);
  }

  private static JsonNode kafka(Pipeline p) {
    return Specs.filebeatYaml(p).get("output.kafka");
  }

  private static List<String> processorNames(Pipeline p) {
    List<String> names = new ArrayList<>();
    for (JsonNode processor : input(p).get("processors")) {
      assertThat(processor.size()).as("one processor per list entry: %s", processor).isEqualTo(1);
      names.add(processor.fieldNames().next());
    }
    return names;
  }

  private static JsonNode processor(Pipeline p, String name) {
    for (JsonNode processor : input(p).get("processors")) {
      if (processor.has(name)) {
        return processor.get(name);
      }
    }
    throw new AssertionError("no processor " + name + " in " + input(p).get("processors"));
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array).isNotNull();
    assertThat(array.isArray()).as("array: %s", array).isTrue();
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static Path logFile(String pod, String namespace, String container) {
    return Path.of("/var/log/containers/" + pod + "_" + namespace + "_" + container
        + "-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log");
  }

  private static boolean matchesAny(List<PathMatcher> globs, Path file) {
    return globs.stream().anyMatch(g -> g.matches(file));
  }

  private static boolean excluded(List<Pattern> excludes, Path file) {
    return excludes.stream().anyMatch(r -> r.matcher(file.toString()).find());
  }

  /**
   * Whether Filebeat ships a line of this container of a pod in namespace payments whose
   * metadata add_kubernetes_metadata knows (label keys dedotted, its default).
   */
  private static boolean kept(Pipeline p, String container, Map<String, String> labels) {
    return FilebeatSelection.shipped(p, "api-7d9f8c-x2x4z", "payments", container, labels);
  }

  private static List<String> conditionFields(Pipeline p) {
    List<String> fields = new ArrayList<>();
    for (JsonNode processor : input(p).get("processors")) {
      if (processor.has("drop_event")) {
        collectFields(processor.get("drop_event").get("when"), fields);
      }
    }
    return fields;
  }

  private static void collectFields(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("equals")) {
          e.getValue().fieldNames().forEachRemaining(out::add);
        } else if (e.getKey().equals("has_fields")) {
          e.getValue().forEach(f -> out.add(f.asText()));
        } else {
          collectFields(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectFields(n, out));
    }
  }
}
