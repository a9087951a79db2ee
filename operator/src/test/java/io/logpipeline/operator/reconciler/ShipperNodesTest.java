package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** Which node changes concern the shippers, and the nodes as the reconcile reads them. */
class ShipperNodesTest {

  static Node node(String runtime, boolean tainted, String zone) {
    var node = new NodeBuilder().withNewMetadata().withName("n1").addToLabels("zone", zone).endMetadata();
    if (tainted) {
      node.withNewSpec().withTaints(ShipperCoverageTest.GPU).endSpec();
    } else {
      node.withNewSpec().endSpec();
    }
    if (runtime != null) {
      node.withNewStatus().withNewNodeInfo().withContainerRuntimeVersion(runtime).endNodeInfo().endStatus();
    }
    return node.build();
  }

  @Test
  void aNodeMattersWhenTaintedOrRunByDocker() {
    assertThat(ShipperNodes.notable(node("containerd://1.7.27", true, "a"))).isTrue();
    assertThat(ShipperNodes.notable(node("docker://24.0.7", false, "a"))).isTrue();
    assertThat(ShipperNodes.notable(node("containerd://1.7.27", false, "a"))).isFalse();
    assertThat(ShipperNodes.notable(node(null, false, "a"))).isFalse();
    Node bare = new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build();
    assertThat(ShipperNodes.notable(bare)).isFalse();
    Node noInfo = new NodeBuilder(bare).withNewStatus().endStatus().withNewSpec().withTaints(List.of()).endSpec().build();
    assertThat(ShipperNodes.notable(noInfo)).isFalse();
  }

  @Test
  void aNodeChangeMattersWhenItsLabelsTaintsOrRuntimeChange() {
    Node node = node("containerd://1.7.27", false, "a");
    assertThat(ShipperNodes.placement(node)).isEqualTo(ShipperNodes.placement(node("containerd://1.7.27", false, "a")));
    assertThat(ShipperNodes.placement(node)).isNotEqualTo(ShipperNodes.placement(node("containerd://1.7.27", false, "b")))
        .isNotEqualTo(ShipperNodes.placement(node("containerd://1.7.27", true, "a")))
        .isNotEqualTo(ShipperNodes.placement(node("docker://24.0.7", false, "a")));
    assertThat(ShipperNodes.placement(new NodeBuilder().withNewMetadata().withName("bare").endMetadata().build()))
        .containsExactly(java.util.Map.of(), null, null);
    assertThat(ShipperNodes.placement(node)).containsExactly(java.util.Map.of("zone", "a"), List.of(),
        "containerd://1.7.27");
  }

  @SuppressWarnings("unchecked")
  static Context<LogPipeline> context(EventSource<?, LogPipeline> source, RuntimeException failure) {
    Context<LogPipeline> context = ReconcilerFixtures.context(null);
    EventSourceRetriever<LogPipeline> retriever = mock(EventSourceRetriever.class);
    when(context.eventSourceRetriever()).thenReturn(retriever);
    if (failure != null) {
      when(retriever.getEventSourceFor(Node.class, ShipperNodes.NAME)).thenThrow(failure);
    } else {
      doReturn(source).when(retriever).getEventSourceFor(Node.class, ShipperNodes.NAME);
    }
    return context;
  }

  @Test
  @SuppressWarnings("unchecked")
  void theNodesComeFromTheInformerAndAreNoneWhenItCannotBeRead() {
    Node node = node("containerd://1.7.27", false, "a");
    InformerEventSource<Node, LogPipeline> informer = mock(InformerEventSource.class);
    when(informer.list(any(Predicate.class))).thenAnswer(inv -> List.of(node).stream().filter(inv.getArgument(0)));
    assertThat(ShipperNodes.list(context(informer, null))).containsExactly(node);
    assertThat(ShipperNodes.list(context(mock(EventSource.class), null))).isEmpty();
    assertThat(ShipperNodes.list(context(null, new IllegalArgumentException("no event source nodes")))).isEmpty();
  }
}
