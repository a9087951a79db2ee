package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.ContainerRuntime;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which nodes should run the shipper and cannot, from the rendered pod template and the nodes. */
class ShipperCoverageTest {

  static final Taint GPU = taint("nvidia.com/gpu", "present", "NoSchedule");
  static final Taint KARPENTER = taint("karpenter.sh/unregistered", null, "NoExecute");
  static final Taint SOFT = taint("team", "batch", "PreferNoSchedule");

  @Test
  void theDefaultTolerationsLeaveNoTaintedNodeWithoutAShipper() {
    ShipperCoverage coverage = ShipperCoverage.of(pod(spec -> { }), List.of(
        node("gpu-1", "containerd://1.7.27", GPU), node("new-1", "containerd://1.7.27", KARPENTER),
        node("plain", "containerd://1.7.27")));
    assertThat(coverage.complete()).isTrue();
  }

  @Test
  void nodesKeptOffByATaintAreNamedWithTheTaint() {
    PodSpec pod = pod(spec -> spec.getShipper().setTolerations(new ArrayList<>(List.of(
        new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane").withOperator("Exists").build()))));
    ShipperCoverage coverage = ShipperCoverage.of(pod, List.of(
        node("gpu-2", "containerd://1.7.27", GPU, SOFT), node("gpu-1", "containerd://1.7.27", GPU),
        node("cp-1", "containerd://1.7.27", taint("node-role.kubernetes.io/control-plane", null, "NoSchedule")),
        node("soft", "containerd://1.7.27", SOFT)));
    assertThat(coverage.tainted()).extracting(ShipperCoverage.TaintedNode::name).containsExactly("gpu-1", "gpu-2");
    assertThat(coverage.tainted().get(1).taints()).containsExactly(GPU);
    assertThat(ShipperCoverage.describe(GPU)).isEqualTo("nvidia.com/gpu=present:NoSchedule");
    assertThat(ShipperCoverage.describe(KARPENTER)).isEqualTo("karpenter.sh/unregistered:NoExecute");
  }

  /** The DaemonSet controller's own tolerations: a node under pressure or cordoned still runs its daemons. */
  @ParameterizedTest
  @CsvSource({"node.kubernetes.io/not-ready, NoExecute", "node.kubernetes.io/unreachable, NoExecute",
      "node.kubernetes.io/disk-pressure, NoSchedule", "node.kubernetes.io/memory-pressure, NoSchedule",
      "node.kubernetes.io/pid-pressure, NoSchedule", "node.kubernetes.io/unschedulable, NoSchedule"})
  void conditionsTheDaemonSetControllerToleratesAreNoGap(String key, String effect) {
    PodSpec pod = pod(spec -> spec.getShipper().setTolerations(new ArrayList<>()));
    assertThat(ShipperCoverage.of(pod, List.of(node("n", "containerd://2.0.0", taint(key, null, effect)))).complete())
        .isTrue();
    assertThat(ShipperCoverage.of(pod, List.of(node("n", "containerd://2.0.0",
        taint("node.kubernetes.io/network-unavailable", null, "NoSchedule")))).tainted()).hasSize(1);
  }

  @Test
  void nodesOutsideTheNodeSelectorAreNotExpected() {
    PodSpec pod = pod(spec -> {
      spec.getShipper().setTolerations(new ArrayList<>());
      spec.getShipper().setNodeSelector(new LinkedHashMap<>(Map.of("pool", "apps")));
    });
    Node windows = node("win-1", "containerd://1.7.27", GPU);
    windows.getMetadata().getLabels().put("kubernetes.io/os", "windows");
    Node batch = node("batch-1", "containerd://1.7.27", GPU);
    Node apps = node("apps-1", "containerd://1.7.27", GPU);
    apps.getMetadata().getLabels().put("pool", "apps");
    assertThat(ShipperCoverage.of(pod, List.of(windows, batch, apps)).tainted())
        .extracting(ShipperCoverage.TaintedNode::name).containsExactly("apps-1");
  }

  @Test
  void dockerNodesAreUnreadableUnlessTheDockerDirectoryIsMounted() {
    List<Node> nodes = List.of(node("old-1", "docker://20.10.25"), node("new-1", "containerd://1.7.27"));
    assertThat(ShipperCoverage.of(pod(spec -> { }), nodes).unreadable())
        .containsExactly(new ShipperCoverage.UnreadableNode("old-1", "docker://20.10.25"));
    assertThat(ShipperCoverage.of(pod(spec -> spec.getShipper().setContainerRuntime(ContainerRuntime.DOCKER)),
        nodes).complete()).isTrue();
  }

  @Test
  void unreadableNodesAreSortedByName() {
    List<Node> nodes = List.of(node("old-2", "docker://20.10.25"), node("old-1", "docker://20.10.25"));
    assertThat(ShipperCoverage.of(pod(spec -> { }), nodes).unreadable())
        .extracting(ShipperCoverage.UnreadableNode::name).containsExactly("old-1", "old-2");
  }

  @Test
  void withoutANodeSelectorEveryNodeShouldRunTheShipper() {
    PodSpec pod = pod(spec -> { });
    pod.setNodeSelector(null);
    Node unlabelled = new NodeBuilder(node("bare", "docker://20.10.25")).editMetadata().withLabels(null).endMetadata().build();
    assertThat(ShipperCoverage.of(pod, List.of(unlabelled)).unreadable())
        .extracting(ShipperCoverage.UnreadableNode::name).containsExactly("bare");
    pod.setNodeSelector(Map.of());
    assertThat(ShipperCoverage.of(pod, List.of(unlabelled)).complete()).isFalse();
  }

  @Test
  void withoutNodesNothingIsKnown() {
    assertThat(ShipperCoverage.of(pod(spec -> { }), List.of())).isEqualTo(ShipperCoverage.UNKNOWN);
    assertThat(ShipperCoverage.of(null, List.of(node("n", "containerd://1")))).isEqualTo(ShipperCoverage.UNKNOWN);
  }

  /** Kubernetes' matching rule, case by case. */
  @ParameterizedTest
  @CsvSource(nullValues = "-", value = {
      // toleration key, operator, value, effect | taint key, value, effect | tolerated
      "-, Exists, -, -,                     a, x, NoSchedule, true",
      "-, Exists, -, NoExecute,             a, x, NoSchedule, false",
      "a, Exists, -, -,                     a, x, NoExecute, true",
      "a, Exists, -, -,                     b, x, NoExecute, false",
      "a, Equal, x, NoSchedule,             a, x, NoSchedule, true",
      "a, Equal, y, NoSchedule,             a, x, NoSchedule, false",
      "a, -, x, -,                          a, x, NoSchedule, true",
      "a, Equal, -, -,                      a, -, NoSchedule, true",
  })
  void tolerationsMatchTaintsAsKubernetesDoes(String key, String operator, String value, String effect,
      String taintKey, String taintValue, String taintEffect, boolean tolerated) {
    Toleration toleration = new TolerationBuilder().withKey(key).withOperator(operator).withValue(value)
        .withEffect(effect).build();
    assertThat(ShipperCoverage.tolerates(toleration, taint(taintKey, taintValue, taintEffect))).isEqualTo(tolerated);
  }

  static PodSpec pod(Consumer<LogPipelineSpec> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    edit.accept(lp.getSpec());
    try {
      return ShipperModel.daemonSet(Pipeline.resolve(lp)).getSpec().getTemplate().getSpec();
    } catch (io.logpipeline.operator.model.InvalidSpecException e) {
      throw new AssertionError(e);
    }
  }

  static Node node(String name, String runtime, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata().withName(name)
            .withLabels(new LinkedHashMap<>(Map.of("kubernetes.io/os", "linux", "kubernetes.io/hostname", name)))
        .endMetadata()
        .withNewSpec().withTaints(taints.length == 0 ? null : List.of(taints)).endSpec()
        .withNewStatus().withNewNodeInfo().withContainerRuntimeVersion(runtime).endNodeInfo().endStatus()
        .build();
  }

  static Taint taint(String key, String value, String effect) {
    return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
  }
}
