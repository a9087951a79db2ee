package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.LP;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.P;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.model.ShipperModel;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The own Filebeat's filebeat.yml: over the pipeline's sources, or the paths its class allows. */
class FilebeatConfigMapDependentTest {

  @Test
  void theConfigReadsThePipelinesSourcesOrWhatItsClassAllows() {
    assertThat(new FilebeatConfigMapDependent().desired(LP, context(null, null)))
        .isEqualTo(ShipperModel.configMap(P, null));
    List<String> paths = List.of("/var/log/containers/*_team-a_*.log");
    ShipperPlacement confined = new ShipperPlacement(ShipperClassesTest.shipperClass("fast", false), null, null,
        false, true, paths);
    assertThat(new FilebeatConfigMapDependent().desired(LP, context(confined, null)))
        .isEqualTo(ShipperModel.configMap(P, paths));
  }
}
