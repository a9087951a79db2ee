package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineHealthTest {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  static io.fabric8.kubernetes.api.model.Condition shipper(DaemonSet ds) throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getMetadata().setGeneration(1L);
    var status = PipelineHealth.provisioned(lp, Pipeline.resolve(lp),
        new PipelineHealth.Observed(ds, null, null, null, null), new PipelineHealth.StageErrors(Map.of()), NOW);
    lp.setStatus(status);
    return TestLogPipelines.condition(lp, PipelineHealth.SHIPPER_READY);
  }

  static DaemonSetBuilder daemonSet() {
    return new DaemonSetBuilder().withNewMetadata().withName("app-filebeat").withGeneration(2L).endMetadata();
  }

  @Test
  void aDaemonSetNotYetCountedByItsControllerIsNotReportedAsRunningOnNoNodes() throws Exception {
    var fresh = shipper(daemonSet().build());
    assertThat(fresh.getReason()).isEqualTo("NodesNotReady");
    var stale = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(1L).withDesiredNumberScheduled(0).build()).build());
    assertThat(stale.getReason()).as("counted for an older spec").isEqualTo("NodesNotReady");
  }

  @Test
  void aDaemonSetItsControllerPutOnNoNodeIsReported() throws Exception {
    var none = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder()
        .withObservedGeneration(2L).withDesiredNumberScheduled(0).build()).build());
    assertThat(none.getStatus()).isEqualTo("False");
    assertThat(none.getReason()).isEqualTo("NoNodes");
    assertThat(none.getMessage()).contains("spec.shipper.nodeSelector", "spec.shipper.tolerations");
  }

  @Test
  void everyNodeReadyOnTheCurrentSpecIsReady() throws Exception {
    var ready = shipper(daemonSet().withStatus(new DaemonSetStatusBuilder().withObservedGeneration(2L)
        .withDesiredNumberScheduled(3).withNumberReady(3).withUpdatedNumberScheduled(3).build()).build());
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).isEqualTo("3/3 nodes");
  }
}
