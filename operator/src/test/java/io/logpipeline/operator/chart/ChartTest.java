package io.logpipeline.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart through the real Helm library: lint, render, schema, CRD. */
class ChartTest {

  // ---- lint ----------------------------------------------------------------------------------

  @Test
  void lintStrictPasses() {
    // The chart itself, symlinked CRD and kubeVersion included: lint does not check kubeVersion
    // against a cluster version.
    LintResult lint = new Helm(Chart.DIR).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).as("nothing above INFO")
        .allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
  }

  // ---- default values ------------------------------------------------------------------------

  @Test
  void defaultsRenderOneHardenedReplicaWatchingEveryNamespace() {
    List<HasMetadata> objects = Chart.render();
    assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment",
        "Role", "RoleBinding", "ShipperClass");
    objects.stream().filter(o -> !o.getKind().startsWith("Cluster") && !o.getKind().equals("ShipperClass")).forEach(o ->
        assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(Chart.NAMESPACE));

    Deployment deployment = Chart.one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    Container operator = operator(deployment);
    assertThat(operator.getArgs()).containsExactly(
        "run", "--log-format=plain", "--health-port=8081", "--metrics-port=8080");
    assertThat(operator.getImage()).isEqualTo("logpipeline-operator:0.1.0");
    assertHardened(deployment);
    assertProbesAndPorts(operator, 8081, 8080);
    assertThat(operator.getEnv()).anySatisfy(env -> {
      assertThat(env.getName()).isEqualTo("POD_NAMESPACE");
      assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    });
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");

    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(Chart.FULLNAME);
    assertThat(Chart.one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(Chart.FULLNAME);
    ClusterRoleBinding binding = Chart.one(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(Chart.one(objects, ClusterRole.class).getMetadata().getName());

    Service metrics = Chart.one(objects, Service.class);
    assertThat(metrics.getMetadata().getName()).isEqualTo(Chart.FULLNAME + "-metrics");
    assertThat(metrics.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
    });
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  // ---- watched namespaces, replicas, ServiceMonitor ------------------------------------------

  @Test
  void aProductionValuesFileRendersRolesLeaderElectionAndAServiceMonitor() {
    List<HasMetadata> objects = Chart.render(Chart.resource("values-namespaced.yaml"), Map.of());

    Deployment deployment = Chart.one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    Container operator = operator(deployment);
    assertThat(operator.getArgs()).containsExactly("run", "--namespace=team-a,team-b", "--leader-election",
        "--log-format=json", "--health-port=8081", "--metrics-port=8080");
    assertHardened(deployment);
    assertProbesAndPorts(operator, 8081, 8080);

    // A Role and its binding in each watched namespace, one for the Lease in the release's, and
    // one for Strimzi's Secrets in the Kafka namespace.
    assertThat(Chart.all(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("team-a/" + Chart.FULLNAME, "team-b/" + Chart.FULLNAME,
            Chart.NAMESPACE + "/" + Chart.FULLNAME + "-leader-election", "kafka/" + Chart.FULLNAME + "-kafka",
            Chart.NAMESPACE + "/" + Chart.FULLNAME + "-shippers");
    assertThat(Chart.all(objects, RoleBinding.class)).hasSize(5).allSatisfy(b -> {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getSubjects()).singleElement().satisfies(s -> {
        assertThat(s.getName()).isEqualTo(Chart.FULLNAME);
        assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
      });
    });
    Role lease = Chart.all(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow();
    assertThat(lease.getRules()).allSatisfy(r -> assertThat(r.getResources()).containsExactly("leases"));
    assertThat(lease.getRules()).anySatisfy(r ->
        assertThat(r.getResourceNames()).containsExactly("logpipeline-operator-leader"));
    // The ClusterRole keeps only what cannot be namespaced: no LogPipelines, no Secrets in it.
    assertThat(Chart.one(objects, ClusterRole.class).getRules())
        .noneSatisfy(r -> assertThat(r.getResources()).containsAnyOf("logpipelines", "secrets", "configmaps"));

    GenericKubernetesResource monitor = (GenericKubernetesResource) Chart.byKind(objects, "ServiceMonitor").orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> spec = monitor.get("spec");
    assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
        .isEqualTo(Chart.one(objects, Service.class).getMetadata().getLabels().entrySet().stream()
            .filter(e -> deployment.getSpec().getSelector().getMatchLabels().containsKey(e.getKey()))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat(monitor.<List<Map<String, Object>>>get("spec", "endpoints")).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics").containsEntry("interval", "30s");
    });
    assertThat(spec).containsKey("namespaceSelector");
  }

  @Test
  void portsAndBindAddressComeFromValues() {
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("health.port", 9440);
    set.put("metrics.port", 9090);
    set.put("bindAddress", "0.0.0.0");
    List<HasMetadata> objects = Chart.render(null, set);
    Container operator = operator(Chart.one(objects, Deployment.class));
    assertThat(operator.getArgs()).contains("--health-port=9440", "--metrics-port=9090", "--bind-address=0.0.0.0");
    assertProbesAndPorts(operator, 9440, 9090);
    assertThat(Chart.one(objects, Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(9090);
  }

  @Test
  void theFlowChecksTimingComesFromValuesAndTheOperatorAcceptsIt() {
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("flow.pollInterval", "PT30S");
    set.put("flow.statusInterval", "PT10M");
    Container operator = operator(Chart.one(Chart.render(null, set), Deployment.class));
    assertThat(operator.getArgs()).contains("--flow-poll-interval=PT30S", "--flow-status-interval=PT10M");
    // The same arguments as the run command parses them.
    var parsed = new picocli.CommandLine(new io.logpipeline.operator.cli.RunCommand())
        .parseArgs(operator.getArgs().subList(1, operator.getArgs().size()).toArray(String[]::new));
    assertThat(parsed.<java.time.Duration>matchedOptionValue("--flow-poll-interval", null))
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(parsed.<java.time.Duration>matchedOptionValue("--flow-status-interval", null))
        .isEqualTo(java.time.Duration.ofMinutes(10));
  }

  @Test
  void noServiceMonitorUnlessAskedFor() {
    assertThat(Chart.byKind(Chart.render(), "ServiceMonitor")).isEmpty();
  }

  @Test
  void theNotesSayWhatWasInstalled() {
    assertThat(Chart.installDryRun(null))
        .contains("reconciling LogPipelines in every namespace")
        .doesNotContain("elect a leader")
        .contains("apply the new CRD with kubectl");
    assertThat(Chart.installDryRun(Chart.resource("values-namespaced.yaml")))
        .contains("reconciling LogPipelines in: team-a, team-b.")
        .contains("2 replica(s) elect a leader through the Lease logpipeline-operator-leader in " + Chart.NAMESPACE)
        .contains("(ServiceMonitor " + Chart.FULLNAME + ")");
  }

  // ---- values.schema.json --------------------------------------------------------------------

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("logFormat", "xml", "logFormat"),
        Arguments.of("replicas", 0, "replicas"),
        Arguments.of("replicas", "two", "replicas"),
        Arguments.of("health.port", 0, "health.port"),
        Arguments.of("metrics.port", 70000, "metrics.port"),
        Arguments.of("watchNamespaces[0]", "Team_A", "watchNamespaces.0"),
        Arguments.of("watchNamespaces", "team-a", "watchNamespaces"),
        Arguments.of("image.pullPolicy", "Sometimes", "image.pullPolicy"),
        Arguments.of("leaderElection.enabled", "yes", "leaderElection.enabled"),
        Arguments.of("metrics.serviceMonitor.interval", "soon", "metrics.serviceMonitor.interval"),
        Arguments.of("replica", 2, "replica"),
        // --set key=null removes the key: what an upgrade with --reuse-values from 0.1.0 looks like.
        Arguments.of("health", "null", "health is required"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidValues")
  void theSchemaRefusesInvalidValues(String key, Object value, String reported) {
    assertThatThrownBy(() -> Chart.template(null, Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(reported);
  }

  @Test
  void theSchemaRefusesAnInvalidValuesFile() {
    assertThatThrownBy(() -> Chart.template(Chart.resource("values-invalid.yaml"), Map.of()))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("logFormat")
        .hasMessageContaining("replicas");
  }

  @Test
  void healthAndMetricsMustNotShareAPort() {
    assertThatThrownBy(() -> Chart.template(null, Map.of("health.port", 8080)))
        .hasMessageContaining("health.port and metrics.port must differ");
  }

  // ---- the CRD -------------------------------------------------------------------------------

  @Test
  void theChartsCrdsAreTheGeneratedOnesByteForByte() throws Exception {
    Path inChart = Chart.DIR.resolve("crds/logpipelines.logpipeline.io-v1.yml");
    Path classInChart = Chart.DIR.resolve("crds/shipperclasses.logpipeline.io-v1.yml");
    try (Stream<Path> files = Files.list(Chart.DIR.resolve("crds"))) {
      assertThat(files).containsExactlyInAnyOrder(inChart, classInChart);
    }
    // One source of truth: a link to the file the build generates, not a copy.
    assertThat(Files.isSymbolicLink(inChart)).isTrue();
    assertThat(Files.readSymbolicLink(inChart).toString()).isEqualTo("../../../crds/logpipelines.logpipeline.io-v1.yml");
    assertThat(Files.readSymbolicLink(classInChart).toString()).isEqualTo("../../../crds/shipperclasses.logpipeline.io-v1.yml");
    assertThat(Files.isSameFile(inChart, Chart.CRD)).isTrue();
    assertThat(Files.isSameFile(classInChart, Chart.SHIPPER_CLASS_CRD)).isTrue();
    // What Helm itself loads from the chart (helm show crds prints each CRD file and a newline).
    String shown = new Helm(Chart.DIR).show().crds().call();
    assertThat(shown).isEqualTo(Chart.crds());
  }

  @Test
  void thePackagedChartCarriesTheCrdsContent(@TempDir Path out) throws Exception {
    // helm package resolves the link: the archive holds the file's content, usable anywhere.
    Helm packaged = new Helm(Chart.DIR).packageIt().withDestination(out).call();
    String version = Files.readString(Chart.DIR.resolve("Chart.yaml")).lines()
        .filter(l -> l.startsWith("version:")).findFirst().orElseThrow().substring("version:".length()).strip();
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).singleElement().satisfies(p ->
          assertThat(p.getFileName().toString()).isEqualTo("logpipeline-operator-" + version + ".tgz"));
    }
    String shown = packaged.show().crds().call();
    assertThat(shown).isEqualTo(Chart.crds());
  }

  @Test
  void helmJavaRendersForKubernetes120SoTheChartItselfIsRefused() {
    // Why the tests template a copy without kubeVersion (Chart.renderable): helm-java exposes no
    // --kube-version, and Helm's built-in default is v1.20.0. If this starts to pass, template
    // the chart itself.
    assertThat(Chart.DIR.resolve("Chart.yaml")).content().contains("kubeVersion: \">=1.25.0-0\"");
    assertThatThrownBy(() -> new Helm(Chart.DIR).template().withName(Chart.RELEASE).call())
        .hasMessageContaining("chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.20.0");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Container operator(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("operator");
    return containers.get(0);
  }

  private static void assertHardened(Deployment deployment) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(container.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // The read-only root filesystem needs somewhere writable for the JVM.
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/tmp");
      assertThat(pod.getVolumes()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo(m.getName());
        assertThat(v.getEmptyDir()).isNotNull();
      });
    });
  }

  private static void assertProbesAndPorts(Container operator, int health, int metrics) {
    assertThat(operator.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactlyInAnyOrder("metrics:" + metrics, "health:" + health);
    assertHttpProbe(operator.getLivenessProbe(), "/healthz");
    assertHttpProbe(operator.getReadinessProbe(), "/readyz");
    assertHttpProbe(operator.getStartupProbe(), "/healthz");
  }

  private static void assertHttpProbe(Probe probe, String path) {
    assertThat(probe).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }
}
