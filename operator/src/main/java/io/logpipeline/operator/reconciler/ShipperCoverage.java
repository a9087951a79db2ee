package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.logpipeline.operator.model.ShipperModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The nodes that should run a pipeline's shipper and do not, found from the nodes and the
 * shipper's pod template: a DaemonSet counts only the nodes it can schedule on, so its own
 * "desired" never shows a node kept off by a taint. Pure, like {@link PipelineHealth}.
 *
 * @param tainted nodes that match the shipper's node selector but carry a taint it does not
 *     tolerate, with those taints: no Filebeat runs there
 * @param unreadable nodes that run the shipper but whose runtime keeps the log files where the
 *     pod mounts nothing (Docker nodes without spec.shipper.containerRuntime docker)
 */
record ShipperCoverage(List<TaintedNode> tainted, List<UnreadableNode> unreadable) {

  /** A node and the taints that keep the shipper off it. */
  record TaintedNode(String name, List<Taint> taints) {}

  /** A node and its runtime (status.nodeInfo.containerRuntimeVersion). */
  record UnreadableNode(String name, String runtime) {}

  static final ShipperCoverage UNKNOWN = new ShipperCoverage(List.of(), List.of());

  /**
   * Tolerations the DaemonSet controller adds to every DaemonSet pod (not host-network), so that
   * a node's passing conditions never evict or keep off its daemons.
   */
  static final List<Toleration> DAEMONSET_TOLERATIONS = List.of(
      toleration("node.kubernetes.io/not-ready", "NoExecute"),
      toleration("node.kubernetes.io/unreachable", "NoExecute"),
      toleration("node.kubernetes.io/disk-pressure", "NoSchedule"),
      toleration("node.kubernetes.io/memory-pressure", "NoSchedule"),
      toleration("node.kubernetes.io/pid-pressure", "NoSchedule"),
      toleration("node.kubernetes.io/unschedulable", "NoSchedule"));

  static ShipperCoverage of(PodSpec pod, Collection<Node> nodes) {
    if (pod == null || nodes.isEmpty()) {
      return UNKNOWN;
    }
    List<Toleration> tolerations = new ArrayList<>(DAEMONSET_TOLERATIONS);
    if (pod.getTolerations() != null) {
      tolerations.addAll(pod.getTolerations());
    }
    boolean dockerMounted = pod.getVolumes() != null && pod.getVolumes().stream().anyMatch(v ->
        v.getHostPath() != null && ShipperModel.DOCKER_CONTAINERS.equals(v.getHostPath().getPath()));
    List<TaintedNode> tainted = new ArrayList<>();
    List<UnreadableNode> unreadable = new ArrayList<>();
    for (Node node : nodes) {
      if (!selected(pod.getNodeSelector(), node)) {
        continue;
      }
      List<Taint> blocking = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
          : node.getSpec().getTaints().stream()
              .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
              .filter(t -> tolerations.stream().noneMatch(tol -> tolerates(tol, t)))
              .toList();
      if (!blocking.isEmpty()) {
        tainted.add(new TaintedNode(node.getMetadata().getName(), blocking));
        continue;
      }
      String runtime = runtime(node);
      if (!dockerMounted && runtime != null && runtime.startsWith("docker://")) {
        unreadable.add(new UnreadableNode(node.getMetadata().getName(), runtime));
      }
    }
    tainted.sort(Comparator.comparing(TaintedNode::name));
    unreadable.sort(Comparator.comparing(UnreadableNode::name));
    return new ShipperCoverage(List.copyOf(tainted), List.copyOf(unreadable));
  }

  boolean complete() {
    return tainted.isEmpty() && unreadable.isEmpty();
  }

  /** Kubernetes' rule (ToleratesTaint): effect, key and, unless Exists, value must agree. */
  static boolean tolerates(Toleration toleration, Taint taint) {
    if (!blank(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!blank(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    String operator = Objects.requireNonNullElse(toleration.getOperator(), "Equal");
    return switch (operator) {
      case "Exists" -> true;
      case "Equal", "" -> Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""),
          Objects.requireNonNullElse(taint.getValue(), ""));
      default -> false;
    };
  }

  /** key=value:Effect, as kubectl shows a taint. */
  static String describe(Taint taint) {
    return taint.getKey() + (blank(taint.getValue()) ? "" : "=" + taint.getValue()) + ":" + taint.getEffect();
  }

  private static boolean selected(Map<String, String> nodeSelector, Node node) {
    if (nodeSelector == null || nodeSelector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return nodeSelector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static String runtime(Node node) {
    return node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
        : node.getStatus().getNodeInfo().getContainerRuntimeVersion();
  }

  private static Toleration toleration(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
