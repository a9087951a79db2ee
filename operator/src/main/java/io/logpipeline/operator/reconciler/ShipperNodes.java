package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The cluster's nodes, watched so that ShipperReady can name the nodes that should run a
 * shipper and do not ({@link ShipperCoverage}). The cache keeps of each node only what that
 * needs (labels, taints, runtime), and a node change reconciles the pipelines only when one of
 * those changes on a node that matters: a node the DaemonSet can run on changes its DaemonSet's
 * status anyway.
 */
final class ShipperNodes {

  static final String NAME = "nodes";
  private static final Logger log = LoggerFactory.getLogger(ShipperNodes.class);

  private ShipperNodes() {}

  static InformerEventSource<Node, LogPipeline> eventSource(EventSourceContext<LogPipeline> context) {
    var config = InformerEventSourceConfiguration.from(Node.class, LogPipeline.class)
        .withName(NAME)
        .withWatchAllNamespaces()
        .withItemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Node.class,
            context.getClient().getKubernetesSerialization(),
            "metadata.labels", "spec.taints", "status.nodeInfo.containerRuntimeVersion"))
        // Every pipeline's shipper may be concerned; nodes change rarely in what is compared.
        .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withOnAddFilter(ShipperNodes::notable)
        .withOnDeleteFilter((node, unknownFinalState) -> notable(node))
        .withOnUpdateFilter((now, before) -> !Objects.equals(placement(now), placement(before)))
        .build();
    return new InformerEventSource<>(config, context);
  }

  /** The nodes in the cache; empty when they cannot be read (no permission, not synced yet). */
  static List<Node> list(Context<LogPipeline> context) {
    try {
      var source = context.eventSourceRetriever().getEventSourceFor(Node.class, NAME);
      if (source instanceof InformerEventSource<Node, LogPipeline> nodes) {
        return nodes.list(n -> true).toList();
      }
    } catch (RuntimeException e) {
      log.debug("nodes not available: {}", e.getMessage());
    }
    return List.of();
  }

  /** A node the DaemonSet's own status would not report on: tainted, or run by Docker. */
  static boolean notable(Node node) {
    boolean tainted = node.getSpec() != null && node.getSpec().getTaints() != null
        && !node.getSpec().getTaints().isEmpty();
    String runtime = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
        : node.getStatus().getNodeInfo().getContainerRuntimeVersion();
    return tainted || (runtime != null && runtime.startsWith("docker://"));
  }

  static List<Object> placement(Node node) {
    return java.util.Arrays.asList(node.getMetadata().getLabels(),
        node.getSpec() == null ? null : node.getSpec().getTaints(),
        node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
            : node.getStatus().getNodeInfo().getContainerRuntimeVersion());
  }
}
